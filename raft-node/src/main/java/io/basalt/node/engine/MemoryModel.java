package io.basalt.node.engine;

/**
 * Estimated heap bytes of the engine's objects on a 64-bit HotSpot JVM with compressed oops and
 * compressed class pointers (heaps under 32 GiB): 12-byte object headers, 16-byte array headers,
 * 4-byte references, 8-byte alignment. The estimate is kept up to date incrementally by
 * {@link Db}; it is what INFO memory's used_memory reports, not a measurement.
 */
final class MemoryModel {
    private MemoryModel() {}

    static final long ENTRY_BYTES = 40;
    /** A keyspace key's entry: {@link KeyEntry}, an Entry plus slot links. */
    static final long KEY_ENTRY_BYTES = 48;
    /** 12-byte header, then the long at the next 8-byte boundary. */
    static final long INT_STRING_BYTES = 24;
    static final long RAW_STRING_BYTES = 24;
    static final long ARRAY_HEADER_BYTES = 16;
    static final long REFERENCE_BYTES = 4;

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    static long byteArray(int length) {
        return align(ARRAY_HEADER_BYTES + length);
    }

    static long refArray(int length) {
        return align(ARRAY_HEADER_BYTES + REFERENCE_BYTES * (long) length);
    }

    static long longArray(int length) {
        return ARRAY_HEADER_BYTES + 8L * length;
    }

    /** Bytes held by a stored value (shared small integers cost nothing). */
    static long value(Object v) {
        if (v instanceof byte[] b) {
            return byteArray(b.length);
        }
        if (v instanceof IntString i) {
            return i.isShared() ? 0 : INT_STRING_BYTES;
        }
        if (v instanceof RawString r) {
            return RAW_STRING_BYTES + byteArray(r.buf.length);
        }
        if (v instanceof CollectionValue c) {
            return c.memoryBytes();
        }
        throw new IllegalStateException("no memory model for " + v.getClass().getName());
    }
}
