package io.basalt.node.engine;

/**
 * A key of the keyspace (not a hash field): an {@link Entry} that is also a node of its hash
 * slot's list in {@link SlotIndex}, so the keys of one slot are found without walking the whole
 * table (CLUSTER GETKEYSINSLOT now, slot migration later). 48 bytes: the two links and the slot
 * number fill the next 8-byte step after Entry's 40 (Redis 7.0 pays the same two pointers per key
 * in cluster mode, in its dictEntry metadata).
 */
final class KeyEntry extends Entry {
    /** The hash slot, 0..16383: stored rather than recomputed (CRC16 of the key) at unlink. */
    final short slot;
    KeyEntry slotPrev;
    KeyEntry slotNext;

    KeyEntry(byte[] key, int hash, Object value, int slot) {
        super(key, hash, value);
        this.slot = (short) slot;
    }
}
