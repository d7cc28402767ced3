package io.basalt.router.client;

import io.basalt.router.text.RedisIntegers;

/**
 * SCAN's cursor over several shards: the shard's position in the slot map's shard list in the top
 * 16 bits, the shard's own cursor in the low 48. Shard 0's cursors are therefore its own, so a
 * one-shard cluster's cursors are exactly the engine's.
 *
 * <p>Why this fits: an engine cursor indexes its key table's buckets (reversed-bit order, always
 * below the table's size, at most 2^31 in Java), far below 2^48; 16 bits name 65536 shards, more
 * than the 16384 slots allow. The result is an unsigned 64-bit number written in decimal, as
 * Redis's cursors are. It is 0 only for (shard 0, cursor 0), the start: when a shard is
 * exhausted the gateway answers (next shard, 0), which is not 0, so a client never sees the end
 * before every shard has been scanned.
 */
final class ScanCursor {

    static final int SHARD_SHIFT = 48;
    static final long SHARD_CURSOR_MASK = (1L << SHARD_SHIFT) - 1;
    static final int SHARDS_MAX = 1 << (64 - SHARD_SHIFT);

    private ScanCursor() {}

    static long encode(int shard, long shardCursor) {
        if (shard < 0 || shard >= SHARDS_MAX || (shardCursor & ~SHARD_CURSOR_MASK) != 0) {
            throw new IllegalArgumentException("cursor " + Long.toUnsignedString(shardCursor) + " of shard " + shard
                + " does not fit the gateway's encoding");
        }
        return ((long) shard << SHARD_SHIFT) | shardCursor;
    }

    static int shard(long cursor) {
        return (int) (cursor >>> SHARD_SHIFT);
    }

    static long shardCursor(long cursor) {
        return cursor & SHARD_CURSOR_MASK;
    }

    /** Redis's cursor syntax ({@link RedisIntegers#parseScanCursor}); null = "ERR invalid cursor". */
    static Long parse(byte[] s) {
        return RedisIntegers.parseScanCursor(s);
    }
}
