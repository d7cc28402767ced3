package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import java.util.List;

/**
 * The CLUSTER subcommands a shard answers about its own keys; the gateway answers the rest of
 * CLUSTER from the topology. Both read {@link SlotIndex} through {@link Db}.
 */
final class ClusterSlotCommands extends CommandFamily {

    ClusterSlotCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("cluster|countkeysinslot", this::countKeysInSlot);
        r.register("cluster|getkeysinslot", this::getKeysInSlot);
    }

    /* CLUSTER COUNTKEYSINSLOT slot
     * O(1): the slot index keeps a count per slot. */
    private void countKeysInSlot(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long slot = parsed[0];
        if (slot < 0 || slot >= HashSlot.SLOT_COUNT) {
            out.error(EngineErrors.INVALID_SLOT);
            return;
        }
        out.integer(db.keysInSlot((int) slot));
    }

    /* CLUSTER GETKEYSINSLOT slot count
     * O(keys returned): walks the slot's list, newest key first as Redis 7.0 lists them. */
    private void getKeysInSlot(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long slot = parsed[0];
        if (!parseLong(argv.get(3), out)) {
            return;
        }
        long max = parsed[0];
        if (max < 0 || slot < 0 || slot >= HashSlot.SLOT_COUNT) {
            out.error(EngineErrors.INVALID_SLOT_OR_COUNT);
            return;
        }
        List<byte[]> keys = db.keysOfSlot((int) slot, (int) Math.min(max, Integer.MAX_VALUE));
        out.array(keys.size());
        for (byte[] key : keys) {
            out.bulk(key);
        }
    }
}
