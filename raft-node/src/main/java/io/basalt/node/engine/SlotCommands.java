package io.basalt.node.engine;

import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

/**
 * Which slots the shard owns (see {@link SlotOwnership}), read and changed through the log. The
 * changes are for slot migration: the target shard takes a slot, the source gives it up, each by
 * an entry of its own log, so every replica of a shard switches at the same point of its history.
 *
 * <pre>
 * basalt.slots                          read; flat array of integers: start, end, start, end ...
 * basalt.slots.own range [range ...]    write; :N slots newly owned
 * basalt.slots.disown range [range ...] write; :N slots no longer owned; deletes their keys and
 *                                       ends their migration (see {@link SlotMigrationCommands})
 * </pre>
 * A range is a slot ({@code 42}) or an inclusive span ({@code 0-5460}). All ranges are checked
 * before anything changes: a bad one changes nothing.
 */
final class SlotCommands extends CommandFamily {

    private final SlotOwnership ownership;
    private final SlotMigration migration;

    SlotCommands(Db db, SlotOwnership ownership, SlotMigration migration) {
        super(db);
        this.ownership = ownership;
        this.migration = migration;
    }

    @Override
    void register(CommandRegistry registry) {
        registry.register(InternalCommandSpecs.SLOTS, this::slots);
        registry.register(InternalCommandSpecs.SLOTS_OWN, (argv, ctx, out) -> change(argv, out, true));
        registry.register(InternalCommandSpecs.SLOTS_DISOWN, (argv, ctx, out) -> change(argv, out, false));
    }

    private void slots(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() != 1) { // the spec admits the gateway's shard argument, which it strips
            out.error(io.basalt.router.ErrorReplies.wrongArity(InternalCommandSpecs.SLOTS));
            return;
        }
        List<int[]> ranges = ownership.ranges();
        out.array(ranges.size() * 2);
        for (int[] r : ranges) {
            out.integer(r[0]).integer(r[1]);
        }
    }

    private void change(List<byte[]> argv, RespWriter out, boolean own) {
        BitSet slots = new BitSet(HashSlot.SLOT_COUNT);
        for (int i = 1; i < argv.size(); i++) {
            String range = new String(argv.get(i), StandardCharsets.US_ASCII);
            if (!addRange(range, slots)) {
                out.error("ERR invalid slot range '" + range + "'");
                return;
            }
        }
        int changed = ownership.change(slots, own);
        if (!own) {
            // the keys of a slot given up are unreachable: the slot's new owner has its copy
            for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
                for (byte[] key : db.keysOfSlot(slot, Integer.MAX_VALUE)) {
                    db.delete(db.findIncludingExpired(key));
                }
                migration.end(slot);
            }
        }
        out.integer(changed);
    }

    /** Adds "n" or "a-b" (0 <= a <= b <= 16383) to {@code slots}; false when malformed. */
    static boolean addRange(String range, BitSet slots) {
        int dash = range.indexOf('-');
        int start = parseSlot(dash < 0 ? range : range.substring(0, dash));
        int end = dash < 0 ? start : parseSlot(range.substring(dash + 1));
        if (start < 0 || end < start) {
            return false;
        }
        slots.set(start, end + 1);
        return true;
    }

    /** A slot number in plain decimal digits, or -1. */
    static int parseSlot(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < HashSlot.SLOT_COUNT ? n : -1;
    }
}
