package io.basalt.node.server;

/**
 * How a node keeps its groups' data on disk.
 *
 * @param durability when an acknowledged write is on disk; see {@link Durability}
 * @param snapshotEveryEntries applied log entries between automatic snapshots of a group (an entry
 *     is a batch of commands); the log is purged after snapshots, so this bounds replay at restart
 * @param logSegmentBytes size at which Ratis closes a log segment; purging removes whole closed
 *     segments, so the log on disk is about (entries since the older of the two newest snapshots)
 *     plus one segment
 */
public record StorageOptions(Durability durability, long snapshotEveryEntries, long logSegmentBytes) {

    public static final StorageOptions DEFAULT = new StorageOptions(Durability.FSYNC, 100_000, 32L << 20);

    /** When a write is acknowledged relative to the disk. */
    public enum Durability {
        /** After a majority of replicas fsynced it (the default). */
        FSYNC,
        /**
         * After a majority has it in its log buffer; each replica's log worker writes and flushes
         * it in the background, a batch at a time, without waiting before acknowledging. A crash of
         * a majority at once may lose the most recent acknowledged writes (like appendfsync everysec).
         */
        ASYNC
    }

    public StorageOptions {
        if (snapshotEveryEntries < 1) {
            throw new IllegalArgumentException("snapshots every " + snapshotEveryEntries + " entries: must be at least 1");
        }
        if (logSegmentBytes < 64 * 1024) {
            throw new IllegalArgumentException("log segments of " + logSegmentBytes + " bytes: must be at least 64 KiB");
        }
    }

    public StorageOptions withSnapshotEveryEntries(long n) {
        return new StorageOptions(durability, n, logSegmentBytes);
    }

    public StorageOptions withLogSegmentBytes(long n) {
        return new StorageOptions(durability, snapshotEveryEntries, n);
    }

    public StorageOptions withDurability(Durability d) {
        return new StorageOptions(d, snapshotEveryEntries, logSegmentBytes);
    }
}
