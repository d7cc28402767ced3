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

    /**
     * When a write is acknowledged relative to the disk; docs/ARCHITECTURE.md (Durability) states
     * each mode's promise.
     */
    public enum Durability {
        /**
         * After a majority of replicas wrote it to its log and fsynced it (the default): an
         * acknowledged write survives any crash, power loss included, of any number of nodes
         * whose disks survive.
         */
        FSYNC,
        /**
         * Ratis's unsafe flush: after a majority wrote it to its log file (the OS page cache),
         * before the fsync, which the log worker queues right after the write on its flush thread.
         * An acknowledged write survives kill -9 of every node (the page cache outlives the
         * process), but a power loss or kernel crash of a majority may lose the writes whose
         * fsync had not completed. Ratis sets no deadline on that fsync: the exposure is the
         * fsyncs queued at the moment of the crash, milliseconds on a healthy disk, unbounded on a
         * stalled one.
         */
        ASYNC,
        /**
         * No data on disk: Ratis's in-memory log, no snapshots. A write is acknowledged once a
         * majority has it in memory; a restarted replica comes back empty and catches up from the
         * leader's log; losing a majority at once loses the data. The log is never purged (Ratis's
         * memory log cannot purge and install a snapshot), so each replica holds every entry since
         * the cluster started: memory grows with the write history. Term and vote are kept in
         * memory too (Ratis's memory log), so a restarted node forgets its vote.
         */
        MEMORY;

        /** Whether snapshots are taken and the log purged; not in MEMORY mode. */
        public boolean snapshots() {
            return this != MEMORY;
        }
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
