package io.basalt.node.engine;

import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;

/**
 * The steps of moving a slot to another shard, each an entry of a shard's log or a read of it
 * (docs/ARCHITECTURE.md, "Moving slots between shards"). On the source:
 * <pre>
 * basalt.slots.migrate-start slot [slot ...] write; +OK: record the slots' changed keys from now on
 * basalt.slots.export slot cursor max-bytes  read; [more, key, record, ...]: the slot's keys
 * basalt.slots.freeze slot [slot ...]        write; +OK: writes to the slots get -TRYAGAIN
 * basalt.slots.export-changed slot cursor max-bytes
 *                                            read; [more, key, record-or-"", ...]: the changed keys
 * basalt.slots.state slot [slot ...]         read; [owned, migrating, frozen, changed, keys] per slot
 * </pre>
 * then, on the target, {@code basalt.slots.put slot key record ...} (write; :N) and
 * {@code basalt.slots.own}, and on the source {@code basalt.slots.disown} (which deletes the keys).
 * A cursor is "" for the start, or ">" followed by the last key of the previous page. Records are
 * {@link SnapshotCodec}'s (value, encoding, absolute expiry time), so a key keeps its TTL.
 */
final class SlotMigrationCommands extends CommandFamily {

    /** Largest page of an export, as a backup page. */
    static final long PAGE_BYTES_MAX = 4L << 20;

    private final SlotOwnership ownership;
    private final SlotMigration migration;

    SlotMigrationCommands(Db db, SlotOwnership ownership, SlotMigration migration) {
        super(db);
        this.ownership = ownership;
        this.migration = migration;
    }

    @Override
    void register(CommandRegistry r) {
        r.register(InternalCommandSpecs.SLOTS_STATE, this::state);
        r.register(InternalCommandSpecs.SLOTS_MIGRATE_START, this::migrateStart);
        r.register(InternalCommandSpecs.SLOTS_FREEZE, this::freeze);
        r.register(InternalCommandSpecs.SLOTS_EXPORT, this::export);
        r.register(InternalCommandSpecs.SLOTS_EXPORT_CHANGED, this::exportChanged);
        r.register(InternalCommandSpecs.SLOTS_PUT, this::put);
    }

    /** {@code state slot [slot ...]}: five integers per slot, in the order asked. */
    private void state(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int[] slots = slotArgs(argv, out);
        if (slots == null) {
            return;
        }
        out.array(5 * slots.length);
        for (int slot : slots) {
            out.integer(ownership.owns(slot) ? 1 : 0)
                .integer(migration.migrating(slot) ? 1 : 0)
                .integer(migration.frozen(slot) ? 1 : 0)
                .integer(migration.changedKeys(slot).size())
                .integer(db.keysInSlot(slot));
        }
    }

    /** {@code migrate-start slot [slot ...]}: all or none (a refused slot refuses the whole entry). */
    private void migrateStart(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int[] slots = slotArgs(argv, out);
        if (slots == null) {
            return;
        }
        for (int slot : slots) {
            if (!ownership.owns(slot)) {
                out.error("ERR slot " + slot + " is not owned by this shard");
                return;
            }
            if (migration.frozen(slot)) { // starting over would forget changes made before the freeze
                out.error("ERR slot " + slot + " is frozen");
                return;
            }
        }
        for (int slot : slots) {
            migration.start(slot);
        }
        out.raw(OK);
    }

    /** {@code freeze slot [slot ...]}: all or none. */
    private void freeze(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int[] slots = slotArgs(argv, out);
        if (slots == null) {
            return;
        }
        for (int slot : slots) {
            if (!migration.migrating(slot)) {
                out.error("ERR slot " + slot + " is not migrating");
                return;
            }
        }
        for (int slot : slots) {
            migration.freeze(slot);
        }
        out.raw(OK);
    }

    /** Every argument after the name as a slot; null (and an error written) if one is not. */
    private static int[] slotArgs(List<byte[]> argv, RespWriter out) {
        int[] slots = new int[argv.size() - 1];
        for (int i = 1; i < argv.size(); i++) {
            String text = new String(argv.get(i), java.nio.charset.StandardCharsets.US_ASCII);
            slots[i - 1] = SlotCommands.parseSlot(text);
            if (slots[i - 1] < 0) {
                out.error("ERR invalid slot '" + text + "'");
                return null;
            }
        }
        return slots;
    }

    /* Walks the slot's list from the cursor key on (newest first). Keys added meanwhile go to the
     * head and are missed, and a cursor key deleted meanwhile restarts the walk: both are changed
     * keys, which the final pass sends. */
    private void export(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int slot = slotArg(argv, 4, out);
        long budget = slot < 0 ? -1 : budget(argv.get(3), out);
        if (budget < 0) {
            return;
        }
        byte[] cursor = argv.get(2);
        KeyEntry e = db.firstOfSlot(slot);
        if (cursor.length > 0) {
            Entry at = db.findIncludingExpired(Arrays.copyOfRange(cursor, 1, cursor.length));
            if (at instanceof KeyEntry k && k.slot == slot) {
                e = k.slotNext;
            }
        }
        List<byte[]> page = new ArrayList<>();
        long bytes = 0;
        for (; e != null && (page.isEmpty() || bytes < budget); e = e.slotNext) {
            byte[] record = SnapshotCodec.encode(e.value, db.expireAt(e));
            page.add(e.key);
            page.add(record);
            bytes += e.key.length + record.length;
        }
        writePage(out, e != null, page);
    }

    private void exportChanged(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int slot = slotArg(argv, 4, out);
        long budget = slot < 0 ? -1 : budget(argv.get(3), out);
        if (budget < 0) {
            return;
        }
        byte[] cursor = argv.get(2);
        NavigableSet<byte[]> keys = migration.changedKeys(slot);
        if (cursor.length > 0) {
            keys = keys.tailSet(Arrays.copyOfRange(cursor, 1, cursor.length), false);
        }
        List<byte[]> page = new ArrayList<>();
        long bytes = 0;
        boolean more = false;
        for (byte[] key : keys) {
            if (!page.isEmpty() && bytes >= budget) {
                more = true;
                break;
            }
            Entry e = db.findIncludingExpired(key);
            byte[] record = e == null ? new byte[0] : SnapshotCodec.encode(e.value, db.expireAt(e));
            page.add(key);
            page.add(record);
            bytes += key.length + record.length;
        }
        writePage(out, more, page);
    }

    private static void writePage(RespWriter out, boolean more, List<byte[]> page) {
        out.array(page.size() + 1).integer(more ? 1 : 0);
        for (byte[] b : page) {
            out.bulk(b);
        }
    }

    /* basalt.slots.put slot key record [key record ...]
     * Only for a slot the shard does not own: once it owns it, clients write there and a late
     * copy must not overwrite them. Everything is checked before anything changes. */
    private void put(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() % 2 != 0) {
            out.error(io.basalt.router.ErrorReplies.wrongArity(InternalCommandSpecs.SLOTS_PUT));
            return;
        }
        int slot = slotArg(argv, -1, out);
        if (slot < 0) {
            return;
        }
        if (ownership.owns(slot)) {
            out.error("ERR slot " + slot + " is owned by this shard");
            return;
        }
        int n = (argv.size() - 2) / 2;
        SnapshotCodec.Decoded[] decoded = new SnapshotCodec.Decoded[n];
        for (int i = 0; i < n; i++) {
            byte[] key = argv.get(2 + 2 * i);
            byte[] record = argv.get(3 + 2 * i);
            if (HashSlot.of(key) != slot) {
                out.error("ERR key of slot " + HashSlot.of(key) + " in a put for slot " + slot);
                return;
            }
            if (record.length > 0) {
                try {
                    decoded[i] = SnapshotCodec.decode(record, db::hash, db.limits());
                } catch (IOException | RuntimeException bad) {
                    out.error(RestoreCommand.BAD_FORMAT);
                    return;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            byte[] key = argv.get(2 + 2 * i);
            Entry old = db.findIncludingExpired(key);
            if (old != null) {
                db.delete(old);
            }
            SnapshotCodec.Decoded d = decoded[i];
            if (d == null || (d.expireAt() >= 0 && d.expireAt() < ctx.nowMs())) {
                continue;
            }
            Entry e = db.add(key, db.hash(key), d.value());
            if (d.expireAt() >= 0) {
                db.setExpire(e, d.expireAt());
            }
        }
        out.integer(n);
    }

    /** The slot in argv[1], checking the argument count when {@code argc} >= 0; -1 after an error reply. */
    private static int slotArg(List<byte[]> argv, int argc, RespWriter out) {
        if (argc >= 0 && argv.size() != argc) {
            out.error(io.basalt.router.ErrorReplies.wrongArity(new String(argv.get(0), java.nio.charset.StandardCharsets.US_ASCII)));
            return -1;
        }
        String text = new String(argv.get(1), java.nio.charset.StandardCharsets.US_ASCII);
        int slot = SlotCommands.parseSlot(text);
        if (slot < 0) {
            out.error("ERR invalid slot '" + text + "'");
        }
        return slot;
    }

    private long budget(byte[] arg, RespWriter out) {
        if (!parseLong(arg, out)) {
            return -1;
        }
        if (parsed[0] <= 0) {
            out.error("ERR max-bytes must be positive");
            return -1;
        }
        return Math.min(parsed[0], PAGE_BYTES_MAX);
    }
}
