package io.basalt.node.engine;

import io.basalt.router.slot.HashSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of each hash slot: a count and a doubly linked list per slot, through the keys'
 * {@link KeyEntry} links. Kept on every insert and delete (O(1) each), so CLUSTER
 * COUNTKEYSINSLOT is O(1) and CLUSTER GETKEYSINSLOT is O(keys returned), as in Redis 7.0; slot
 * migration will walk a slot the same way. Counts include keys that are logically expired but not
 * yet deleted, as Redis's do (DBSIZE counts them too).
 *
 * <p>Order within a slot is newest first (insertion at the head), identical on every replica
 * because inserts and deletes are. The per-key cost (8 bytes of links) is in
 * {@link MemoryModel#KEY_ENTRY_BYTES}; the two arrays of 16384 (about 128 KiB per shard, fixed)
 * are left out of the memory estimate, which tracks what keys cost: maxmemory is about data.
 */
final class SlotIndex {

    private final KeyEntry[] heads = new KeyEntry[HashSlot.SLOT_COUNT];
    private final int[] counts = new int[HashSlot.SLOT_COUNT];

    void link(KeyEntry e) {
        KeyEntry head = heads[e.slot];
        e.slotPrev = null;
        e.slotNext = head;
        if (head != null) {
            head.slotPrev = e;
        }
        heads[e.slot] = e;
        counts[e.slot]++;
    }

    void unlink(KeyEntry e) {
        if (e.slotPrev != null) {
            e.slotPrev.slotNext = e.slotNext;
        } else {
            heads[e.slot] = e.slotNext;
        }
        if (e.slotNext != null) {
            e.slotNext.slotPrev = e.slotPrev;
        }
        e.slotPrev = null;
        e.slotNext = null;
        counts[e.slot]--;
    }

    void clear() {
        Arrays.fill(heads, null);
        Arrays.fill(counts, 0);
    }

    int count(int slot) {
        return counts[slot];
    }

    KeyEntry first(int slot) {
        return heads[slot];
    }

    /** At most {@code max} keys of the slot, newest first. */
    List<byte[]> keys(int slot, int max) {
        List<byte[]> out = new ArrayList<>(Math.min(max, counts[slot]));
        for (KeyEntry e = heads[slot]; e != null && out.size() < max; e = e.slotNext) {
            out.add(e.key);
        }
        return out;
    }
}
