package io.basalt.gateway.cluster;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.slot.HashSlot;
import java.util.List;
import java.util.Set;

/**
 * Redis Cluster's rule for multi-key commands, as a cluster-mode gateway applies it: the keys of
 * one command must hash to one slot, or the command is refused with CROSSSLOT before it is sent
 * anywhere. Atomic multi-key commands (MSETNX, RENAME, SINTERSTORE, BLPOP over several lists...)
 * need it, because after slots spread over shards no single shard could run them atomically.
 *
 * <p>Exempt are the commands a proxy can split by shard and merge, because their result is the
 * same whether the keys are handled together or one by one: MGET, MSET, DEL, EXISTS, UNLINK,
 * TOUCH. A real Redis Cluster node refuses even these; a gateway serves every slot, so it need
 * not (and cluster-aware clients split them by slot themselves anyway).
 */
public final class CrossSlot {

    private CrossSlot() {}

    static final Set<String> SPLITTABLE = Set.of("mget", "mset", "del", "exists", "unlink", "touch");

    /** True when the command names keys of more than one slot and may not. */
    public static boolean violates(CommandSpec spec, List<byte[]> argv) {
        if (SPLITTABLE.contains(spec.name())) {
            return false;
        }
        int[] keys = spec.keyPositions(argv);
        if (keys.length < 2) {
            return false;
        }
        int slot = HashSlot.of(argv.get(keys[0]));
        for (int i = 1; i < keys.length; i++) {
            if (HashSlot.of(argv.get(keys[i])) != slot) {
                return true;
            }
        }
        return false;
    }
}
