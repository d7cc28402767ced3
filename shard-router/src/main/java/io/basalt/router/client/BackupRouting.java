package io.basalt.router.client;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses the backup commands to one shard each, so {@code basalt admin backup} can copy every
 * shard's snapshot through one gateway without knowing the nodes:
 * <ul>
 *   <li>{@code basalt.backup.open <shard>} goes to that shard (its position in the slot map) as
 *       {@code basalt.backup.open}; the reply {@code [id, keys, term, index]} comes back as
 *       {@code ["<shard>:id", keys, term, index, "<slot ranges>"]}. A shard past the last is
 *       {@code ERR no such shard}, which is how the tool knows it has them all. Without the
 *       argument it is shard 0's, answered as the shard answers (the one-shard form).</li>
 *   <li>{@code basalt.backup.read|close <shard>:id ...} go to that shard with the bare id.</li>
 * </ul>
 * The shards' own commands are unchanged: the routing is the gateway's alone.
 */
final class BackupRouting {

    static final String NO_SUCH_SHARD = "ERR no such shard";

    private BackupRouting() {}

    static ShardPlan plan(SlotMap map, CommandSpec spec, List<byte[]> argv) {
        int shards = map.shards().size();
        if (argv.size() < 2) {
            return ShardPlan.single(0, spec, argv);
        }
        String arg = new String(argv.get(1), StandardCharsets.UTF_8);
        boolean open = argv.size() == 2 && spec.name().equals(io.basalt.router.command.specs.InternalCommandSpecs.BACKUP_OPEN);
        int colon = arg.indexOf(':');
        if (!open && colon < 0) {
            return ShardPlan.single(0, spec, argv); // an id from the one-shard form
        }
        int shard = shardNumber(open ? arg : arg.substring(0, colon), shards);
        if (shard < 0) {
            return ShardPlan.answered(new RespWriter(32).error(NO_SUCH_SHARD).toByteArray());
        }
        if (!open) {
            List<byte[]> sent = new ArrayList<>(argv);
            sent.set(1, arg.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
            return ShardPlan.single(shard, spec, sent);
        }
        String slots = slotRanges(map, shard);
        return new ShardPlan(List.of(new ShardPlan.Part(shard, spec, List.of(argv.get(0)))),
            replies -> opened(replies.get(0), shard, slots), null);
    }

    private static int shardNumber(String text, int shards) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int n = Integer.parseInt(text);
        return n < shards ? n : -1;
    }

    private static byte[] opened(byte[] reply, int shard, String slots) {
        if (EncodedReply.isError(reply)) {
            return reply;
        }
        int[] o = EncodedReply.elements(reply, 0);
        byte[] id = EncodedReply.bulk(reply, o[0]);
        RespWriter out = new RespWriter(reply.length + 64).array(o.length).bulk(shard + ":" + new String(id, StandardCharsets.UTF_8));
        out.raw(java.util.Arrays.copyOfRange(reply, o[1], o[o.length - 1]));
        return out.bulk(slots).toByteArray();
    }

    /** "0-5460" or "0-99,200-300": the slots a shard owns, as ranges. */
    static String slotRanges(SlotMap map, int shard) {
        StringBuilder b = new StringBuilder();
        int start = -1;
        for (int slot = 0; slot <= HashSlot.SLOT_COUNT; slot++) {
            boolean owned = slot < HashSlot.SLOT_COUNT && map.shardIndexOfSlot(slot) == shard;
            if (owned && start < 0) {
                start = slot;
            } else if (!owned && start >= 0) {
                b.append(b.isEmpty() ? "" : ",").append(start).append('-').append(slot - 1);
                start = -1;
            }
        }
        return b.toString();
    }
}
