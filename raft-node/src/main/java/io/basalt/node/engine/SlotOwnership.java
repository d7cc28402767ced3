package io.basalt.node.engine;

import io.basalt.router.slot.HashSlot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The hash slots this shard owns: replicated state, changed only by log entries
 * ({@code basalt.slots.own/disown}), kept in snapshots. A keyed command for a slot outside it is
 * refused (see {@link Keyspace#execute}), so a gateway with a stale slot map can never make a
 * write land in the wrong shard.
 *
 * <p>{@link #ownsAll} is kept as a flag so the single-shard case, every slot owned, costs one
 * branch per command and no hashing.
 */
final class SlotOwnership {

    /** Format of {@link #writeTo}: 1 = count of ranges, then start and end of each. */
    private static final int FORMAT = 1;

    private final BitSet owned = new BitSet(HashSlot.SLOT_COUNT);
    private boolean all;

    SlotOwnership() {
        replaceWith(allSlots());
    }

    static BitSet allSlots() {
        BitSet b = new BitSet(HashSlot.SLOT_COUNT);
        b.set(0, HashSlot.SLOT_COUNT);
        return b;
    }

    boolean ownsAll() {
        return all;
    }

    boolean owns(int slot) {
        return all || owned.get(slot);
    }

    BitSet slots() {
        return (BitSet) owned.clone();
    }

    void replaceWith(BitSet slots) {
        if (slots.length() > HashSlot.SLOT_COUNT) {
            throw new IllegalArgumentException("slot " + (slots.length() - 1) + " is out of range");
        }
        owned.clear();
        owned.or(slots);
        all = owned.cardinality() == HashSlot.SLOT_COUNT;
    }

    /** Adds (or removes) the slots; returns how many changed. */
    int change(BitSet slots, boolean own) {
        BitSet changed = (BitSet) slots.clone();
        if (own) {
            changed.andNot(owned);
            owned.or(slots);
        } else {
            changed.and(owned);
            owned.andNot(slots);
        }
        all = owned.cardinality() == HashSlot.SLOT_COUNT;
        return changed.cardinality();
    }

    /** The owned slots as inclusive ranges, ascending: start0, end0, start1, end1, ... */
    List<int[]> ranges() {
        List<int[]> out = new ArrayList<>();
        for (int start = owned.nextSetBit(0); start >= 0; ) {
            int end = owned.nextClearBit(start); // exclusive
            out.add(new int[] {start, end - 1});
            start = end >= HashSlot.SLOT_COUNT ? -1 : owned.nextSetBit(end);
        }
        return out;
    }

    void writeTo(DataOutput out) throws IOException {
        List<int[]> ranges = ranges();
        out.writeByte(FORMAT);
        out.writeInt(ranges.size());
        for (int[] r : ranges) {
            out.writeShort(r[0]);
            out.writeShort(r[1]);
        }
    }

    void readFrom(DataInput in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("slot ownership of an unknown format " + format);
        }
        int count = in.readInt();
        if (count < 0 || count > HashSlot.SLOT_COUNT) {
            throw new IOException("slot ownership with " + count + " ranges");
        }
        BitSet slots = new BitSet(HashSlot.SLOT_COUNT);
        for (int i = 0; i < count; i++) {
            int start = in.readUnsignedShort();
            int end = in.readUnsignedShort();
            if (start > end || end >= HashSlot.SLOT_COUNT) {
                throw new IOException("slot range " + start + "-" + end + " is out of range");
            }
            slots.set(start, end + 1);
        }
        replaceWith(slots);
    }
}
