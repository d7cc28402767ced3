package io.basalt.node.statemachine;

import io.basalt.node.engine.KeyspaceEngine;
import io.basalt.node.engine.KeyspaceSnapshot;
import io.basalt.node.snapshot.SnapshotFiles;
import io.basalt.node.snapshot.SnapshotJob;
import io.basalt.node.snapshot.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard replica's snapshots: when to take one, the state that travels with the keys, loading
 * the newest at start and after an install, and the figures INFO persistence reports.
 *
 * <p>Each replica snapshots on its own, as Raft intends: every {@code everyEntries} applied
 * entries, and on demand (BGSAVE, SAVE on the leader). Taking one is asynchronous (see
 * {@link SnapshotJob}); when it is published, the log is purged up to the older of the two
 * newest snapshots (see {@link SnapshotStore#purgeSafeIndex}), whatever the followers' progress:
 * disk stays bounded while a replica is down, and that replica catches up by snapshot install.
 *
 * <p>Called by {@link ShardStateMachine} with its engine lock held, except where noted.
 */
final class ShardSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(ShardSnapshots.class);
    private static final int STATE_FORMAT = 1;

    private final SnapshotStore store = new SnapshotStore();
    private final KeyspaceEngine engine;
    private final DuplicateFilter duplicates;
    private final Object engineLock;
    private final long everyEntries;
    /** For log lines: the group, once Ratis names it. */
    private volatile String name;
    private final boolean enabled;
    /** Purges the Raft log up to an index; set once the group's server is known. */
    private volatile LongConsumer logPurger = i -> {};

    private SnapshotJob job;
    private boolean anotherRequested;
    /** As in Redis, the start time until the first snapshot is loaded or taken (LASTSAVE is never 0). */
    private volatile long lastSaveUnixMs = System.currentTimeMillis();
    private volatile boolean lastSaveOk = true;
    private volatile long lastDurationMs = -1;
    private volatile long lastCaptureNanos;
    private volatile long lastLongestStepNanos;
    private volatile long lastKeys;
    private volatile long saves;

    ShardSnapshots(KeyspaceEngine engine, DuplicateFilter duplicates, Object engineLock, long everyEntries, String name) {
        this(engine, duplicates, engineLock, everyEntries, name, true);
    }

    /** @param enabled false in memory mode: nothing is loaded, taken or purged */
    ShardSnapshots(KeyspaceEngine engine, DuplicateFilter duplicates, Object engineLock, long everyEntries, String name,
            boolean enabled) {
        this.enabled = enabled;
        this.engine = engine;
        this.duplicates = duplicates;
        this.engineLock = engineLock;
        this.everyEntries = everyEntries;
        this.name = name;
    }

    /** False in memory mode, where the log is the only copy and is never purged. */
    boolean enabled() {
        return enabled;
    }

    SnapshotStore store() {
        return store;
    }

    void setName(String name) {
        this.name = name;
    }

    void setLogPurger(LongConsumer purger) {
        this.logPurger = purger;
    }

    /** The state loaded from a snapshot, for the state machine to take over. */
    record Loaded(long term, long index, long appliedTimeMs) {}

    /**
     * Loads the newest snapshot that verifies into the (empty) engine and the duplicate filter.
     * A snapshot whose contents fail to load is set aside like a corrupt one and the next older is
     * tried: never a partial load.
     *
     * @return what was loaded, or null when there is no snapshot
     */
    Loaded loadLatest() throws IOException {
        while (enabled) {
            SnapshotStore.Snapshot s = store.latest();
            if (s == null) {
                return null;
            }
            long t0 = System.nanoTime();
            try {
                engine.clear();
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                    Files.readAllBytes(SnapshotFiles.stateFile(s.dir()))));
                if (in.readInt() != STATE_FORMAT) {
                    throw new IOException("state.bin of an unknown format");
                }
                long appliedTimeMs = in.readLong();
                long keyCount = in.readLong();
                byte[] meta = new byte[in.readInt()];
                in.readFully(meta);
                duplicates.readFrom(in);
                long loaded = SnapshotFiles.loadKeys(s.dir(), engine);
                // after the keys: taking over the blocked clients also forgets the keys that
                // restoring them marked as ready to serve
                engine.restoreMeta(meta);
                if (loaded != keyCount) {
                    throw new IOException("holds " + loaded + " keys, its state says " + keyCount);
                }
                lastSaveUnixMs = Files.getLastModifiedTime(s.dir()).toMillis();
                LOG.info("{}: loaded snapshot at index {} (term {}): {} keys in {} ms", name, s.index(), s.term(),
                    loaded, (System.nanoTime() - t0) / 1_000_000);
                return new Loaded(s.term(), s.index(), appliedTimeMs);
            } catch (IOException | RuntimeException e) {
                engine.clear();
                store.setAside(s, name + ": snapshot " + s.dir().getFileName() + " cannot be loaded (" + e + ")");
                store.reload();
            }
        }
        return null;
    }

    /** After an entry is applied: starts a snapshot when enough entries have gone by. */
    void afterApply(long term, long index, long appliedTimeMs) {
        if (!enabled || job != null) {
            return;
        }
        SnapshotStore.Snapshot latest = store.latest();
        long base = latest == null ? 0 : latest.index();
        if (index - base >= everyEntries || anotherRequested) {
            anotherRequested = false;
            start(term, index, appliedTimeMs);
        }
    }

    /**
     * BGSAVE: a snapshot at the current state, now or, when one is being written, right after it
     * (Redis's BGSAVE SCHEDULE).
     *
     * @return the snapshot's completion; null when it was scheduled after the running one
     */
    CompletableFuture<SnapshotJob.Result> requestNow(long term, long index, long appliedTimeMs) {
        if (job != null) {
            anotherRequested = true;
            return null;
        }
        SnapshotStore.Snapshot latest = store.latest();
        if (latest != null && latest.index() == index) {
            return CompletableFuture.completedFuture(null); // nothing changed since
        }
        return start(term, index, appliedTimeMs);
    }

    boolean inProgress() {
        return job != null;
    }

    private CompletableFuture<SnapshotJob.Result> start(long term, long index, long appliedTimeMs) {
        long t0 = System.nanoTime();
        byte[] state;
        KeyspaceSnapshot keys = engine.beginSnapshot();
        try {
            state = stateBytes(appliedTimeMs, keys.keyCount());
        } catch (IOException | RuntimeException e) {
            keys.abandon();
            LOG.error("{}: cannot capture the state for a snapshot", name, e);
            return CompletableFuture.failedFuture(e);
        }
        long captureNanos = System.nanoTime() - t0;
        SnapshotJob started = new SnapshotJob(store, engineLock, keys, state, term, index, captureNanos);
        job = started;
        return started.start(name + "-snapshot-" + index).whenComplete((r, e) -> finished(started, r, e));
    }

    private byte[] stateBytes(long appliedTimeMs, long keyCount) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(STATE_FORMAT);
        out.writeLong(appliedTimeMs);
        out.writeLong(keyCount);
        byte[] meta = engine.snapshotMeta();
        out.writeInt(meta.length);
        out.write(meta);
        duplicates.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** On the snapshot's own thread, without the engine lock. */
    private void finished(SnapshotJob done, SnapshotJob.Result r, Throwable e) {
        synchronized (engineLock) {
            if (job == done) {
                job = null;
            }
        }
        if (e != null) {
            lastSaveOk = false;
            return;
        }
        lastSaveOk = true;
        lastSaveUnixMs = System.currentTimeMillis();
        lastDurationMs = r.durationMs();
        lastCaptureNanos = r.captureNanos();
        lastLongestStepNanos = r.longestStepNanos();
        lastKeys = r.keys();
        saves++;
        try {
            long purgeTo = store.purgeSafeIndex();
            if (purgeTo > 0) {
                logPurger.accept(purgeTo);
            }
        } catch (IOException | RuntimeException purgeFailed) {
            LOG.warn("{}: purging the log after snapshot {} failed", name, r.snapshot().index(), purgeFailed);
        }
    }

    /** Stops a snapshot being written, e.g. before an installed snapshot replaces the state. Without the lock. */
    void cancelRunning() {
        SnapshotJob running;
        synchronized (engineLock) {
            running = job;
        }
        if (running != null) {
            running.cancel();
        }
    }

    /** LASTSAVE: Unix time in seconds of the newest snapshot on this replica; 0 when none. */
    long lastSaveSeconds() {
        return lastSaveUnixMs / 1000;
    }

    /** INFO persistence fields, Redis's names where they mean the same, in "name:value\r\n" lines. */
    String persistenceInfo(long appliedIndex, long nowMs) {
        SnapshotStore.Snapshot latest = store.latest();
        SnapshotJob running;
        synchronized (engineLock) {
            running = job;
        }
        StringBuilder b = new StringBuilder();
        line(b, "loading", 0);
        line(b, "async_loading", 0);
        line(b, "rdb_changes_since_last_save", Math.max(0, appliedIndex - (latest == null ? 0 : latest.index())));
        line(b, "rdb_bgsave_in_progress", running == null ? 0 : 1);
        line(b, "rdb_last_save_time", lastSaveSeconds());
        line(b, "rdb_last_bgsave_status", lastSaveOk ? "ok" : "err");
        line(b, "rdb_last_bgsave_time_sec", lastDurationMs < 0 ? -1 : lastDurationMs / 1000);
        line(b, "rdb_current_bgsave_time_sec", running == null ? -1 : (nowMs - running.startedMs()) / 1000);
        line(b, "rdb_saves", saves);
        line(b, "rdb_last_cow_size", 0);
        line(b, "aof_enabled", 0);
        line(b, "aof_rewrite_in_progress", 0);
        line(b, "aof_rewrite_scheduled", 0);
        line(b, "aof_last_rewrite_time_sec", -1);
        line(b, "aof_current_rewrite_time_sec", -1);
        line(b, "aof_last_bgrewrite_status", "ok");
        line(b, "aof_rewrites", 0);
        line(b, "aof_last_write_status", "ok");
        line(b, "basalt_snapshot_index", latest == null ? 0 : latest.index());
        line(b, "basalt_snapshot_keys", lastKeys);
        line(b, "basalt_snapshot_keys_written", running == null ? 0 : running.keysWritten());
        line(b, "basalt_snapshot_last_capture_ms", String.format(java.util.Locale.ROOT, "%.3f", lastCaptureNanos / 1e6));
        line(b, "basalt_snapshot_last_longest_step_ms",
            String.format(java.util.Locale.ROOT, "%.3f", lastLongestStepNanos / 1e6));
        line(b, "basalt_snapshot_last_duration_ms", lastDurationMs);
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append(name).append(':').append(value).append("\r\n");
    }
}
