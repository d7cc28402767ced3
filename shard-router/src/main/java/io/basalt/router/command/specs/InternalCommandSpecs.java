package io.basalt.router.command.specs;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandSpec.Site;
import java.util.List;

/**
 * Commands the gateway sends to a shard on its own behalf; never visible to clients (COMMAND
 * hides them and the gateway refuses them from clients as unknown commands).
 */
public final class InternalCommandSpecs {
    private InternalCommandSpecs() {}

    /** Name of the keyspace statistics query behind INFO keyspace/memory. */
    public static final String STATS = "basalt.stats";

    /** Name of the snapshot statistics query behind INFO persistence. */
    public static final String PERSISTENCE = "basalt.persistence";

    public static List<CommandSpec> specs() {
        return List.of(
            CommandSpec.builder(STATS, 1, Site.SHARD)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Keyspace statistics of a shard: a map of keys, expires, used_memory and friends",
                      "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(PERSISTENCE, 1, Site.REPLICA)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Snapshot figures of the replica serving the read, as INFO persistence lines",
                      "0.1.0", "basalt", "O(1)")
                .build());
    }
}
