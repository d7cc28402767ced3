package io.basalt.cli.admin;

import java.util.List;

/**
 * A piece of one key read from an RDB file. Small keys come whole (one chunk, {@code last});
 * large collections come as several chunks of a bounded number of elements, numbered from 0,
 * so that neither the reader nor the writer holds a whole big collection.
 *
 * @param db         the RDB database number the key belongs to
 * @param key        the key's bytes (binary safe)
 * @param type       the key's type
 * @param expireAtMs absolute expiry in Unix milliseconds, or {@link #NO_EXPIRY}
 * @param index      0 for the first chunk of a key
 * @param last       whether this is the key's last chunk
 * @param items      the elements, flattened: a string's value; list or set elements in order;
 *                   hash field, value, field, value...; sorted-set score, member, score,
 *                   member... with each score already formatted as ZADD reads it. Empty for
 *                   unsupported types.
 * @param typeName   for unsupported types, what they are ("stream", "module ..."), else null
 */
record RdbChunk(long db, byte[] key, KeyType type, long expireAtMs, int index, boolean last,
                List<byte[]> items, String typeName) {

    static final long NO_EXPIRY = -1;

    /** The types a key in an RDB can have, as far as the import is concerned. */
    enum KeyType {
        STRING("strings", 1), LIST("lists", 1), HASH("hashes", 2), SET("sets", 1), ZSET("sorted sets", 2),
        UNSUPPORTED("unsupported", 0);

        final String plural;
        /** Wire arguments per element: hash (field, value) and sorted-set (score, member) pairs. */
        final int itemsPerElement;

        KeyType(String plural, int itemsPerElement) {
            this.plural = plural;
            this.itemsPerElement = itemsPerElement;
        }
    }

    long itemBytes() {
        long n = 0;
        for (byte[] b : items) {
            n += b.length;
        }
        return n;
    }
}
