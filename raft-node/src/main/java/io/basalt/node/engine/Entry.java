package io.basalt.node.engine;

/**
 * One key of the keyspace: a node of {@link KeyTable}'s bucket chains. The only object per key
 * besides the key bytes and the value: 40 bytes with compressed oops (12 header + 6 × 4 + a
 * flag, aligned to 8).
 * The expiry time is not here but in {@link ExpiryHeap}, so keys without one pay 4 bytes for it.
 * Keys of the keyspace are {@link KeyEntry}s (linked into their hash slot); hash fields are plain
 * entries.
 */
class Entry {
    final byte[] key;
    final int hash;
    /** A {@code byte[]} or a {@link Value}; see {@link Value}. */
    Object value;
    Entry next;
    /** Position in the {@link ExpiryHeap}, or -1 when the key has no expiry time. */
    int expiryPos = -1;
    /**
     * Position in the keyspace's heap of hash field expiry times (a hash with fields that have a
     * TTL, keyed on its earliest one), or -1. Fits in the object's alignment padding.
     */
    int fieldExpiryPos = -1;
    /** Listed by a {@link KeyspaceSnapshot} in progress and not yet recorded by it. */
    boolean snapshotPending;

    Entry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }
}
