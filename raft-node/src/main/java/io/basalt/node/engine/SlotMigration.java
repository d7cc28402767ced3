package io.basalt.node.engine;

import io.basalt.router.slot.HashSlot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The source side of moving slots to another shard (replicated state, kept in snapshots):
 * <ul>
 *   <li><b>migrating</b> slots record every key changed or deleted since {@code
 *       basalt.slots.migrate-start}, so the copy taken while the slot still serves writes can be
 *       completed by sending only those keys again;</li>
 *   <li><b>frozen</b> slots refuse writes with {@code -TRYAGAIN} (reads still run), so the last
 *       pass sees a set of changed keys that no client can grow.</li>
 * </ul>
 * Both end when the slot is disowned (which also deletes its keys). The changed keys are kept per
 * slot in byte order, so replies and snapshots list them identically on every replica.
 */
final class SlotMigration {

    /** Format of {@link #writeTo}: 1 = migrating ranges, frozen ranges, changed keys per slot. */
    private static final int FORMAT = 1;

    private final BitSet migrating = new BitSet(HashSlot.SLOT_COUNT);
    private final BitSet frozen = new BitSet(HashSlot.SLOT_COUNT);
    private final Map<Integer, NavigableSet<byte[]>> changed = new TreeMap<>();
    /** Cached "no slot is migrating": the only test the hot path pays. */
    private boolean idle = true;
    private boolean anyFrozen;

    boolean idle() {
        return idle;
    }

    boolean anyFrozen() {
        return anyFrozen;
    }

    boolean migrating(int slot) {
        return migrating.get(slot);
    }

    boolean frozen(int slot) {
        return frozen.get(slot);
    }

    /** Starts (or starts over) recording the slot's changes. */
    void start(int slot) {
        migrating.set(slot);
        changed.put(slot, newKeySet());
        idle = false;
    }

    void freeze(int slot) {
        frozen.set(slot);
        anyFrozen = true;
    }

    /** The slot is no longer migrating nor frozen; its record of changes is dropped. */
    void end(int slot) {
        migrating.clear(slot);
        frozen.clear(slot);
        changed.remove(slot);
        refresh();
    }

    void reset() {
        migrating.clear();
        frozen.clear();
        changed.clear();
        refresh();
    }

    /** Called before any change to a key (and on insert): records it when its slot is migrating. */
    void touched(int slot, byte[] key) {
        if (migrating.get(slot)) {
            changed.get(slot).add(key);
        }
    }

    /** The slot's changed keys, in byte order (empty when not migrating). */
    NavigableSet<byte[]> changedKeys(int slot) {
        NavigableSet<byte[]> keys = changed.get(slot);
        return keys == null ? newKeySet() : keys;
    }

    private void refresh() {
        idle = migrating.isEmpty();
        anyFrozen = !frozen.isEmpty();
    }

    private static NavigableSet<byte[]> newKeySet() {
        return new TreeSet<>(Arrays::compareUnsigned);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        writeBits(out, migrating);
        writeBits(out, frozen);
        out.writeInt(changed.size());
        for (Map.Entry<Integer, NavigableSet<byte[]>> e : changed.entrySet()) {
            out.writeShort(e.getKey());
            out.writeInt(e.getValue().size());
            for (byte[] key : e.getValue()) {
                out.writeInt(key.length);
                out.write(key);
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("slot migration state of an unknown format " + format);
        }
        reset();
        migrating.or(readBits(in));
        frozen.or(readBits(in));
        int slots = in.readInt();
        if (slots < 0 || slots > HashSlot.SLOT_COUNT) {
            throw new IOException("slot migration state with " + slots + " slots");
        }
        for (int i = 0; i < slots; i++) {
            int slot = in.readUnsignedShort();
            int count = in.readInt();
            if (slot >= HashSlot.SLOT_COUNT || count < 0) {
                throw new IOException("slot migration state: bad slot " + slot + " or count " + count);
            }
            NavigableSet<byte[]> keys = newKeySet();
            for (int k = 0; k < count; k++) {
                int length = in.readInt();
                if (length < 0 || length > Keyspace.PROTO_MAX_BULK_BYTES) {
                    throw new IOException("slot migration state: key of " + length + " bytes");
                }
                byte[] key = new byte[length];
                in.readFully(key);
                keys.add(key);
            }
            changed.put(slot, keys);
        }
        refresh();
    }

    private static void writeBits(DataOutput out, BitSet bits) throws IOException {
        out.writeInt(bits.cardinality());
        for (int s = bits.nextSetBit(0); s >= 0; s = bits.nextSetBit(s + 1)) {
            out.writeShort(s);
        }
    }

    private static BitSet readBits(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > HashSlot.SLOT_COUNT) {
            throw new IOException("slot migration state with " + n + " slots");
        }
        BitSet bits = new BitSet(HashSlot.SLOT_COUNT);
        for (int i = 0; i < n; i++) {
            int s = in.readUnsignedShort();
            if (s >= HashSlot.SLOT_COUNT) {
                throw new IOException("slot " + s + " is out of range");
            }
            bits.set(s);
        }
        return bits;
    }
}
