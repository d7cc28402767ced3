package io.basalt.node.snapshot;

import io.basalt.node.engine.KeyspaceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot in the background while the group keeps applying entries.
 *
 * <p>The keyspace was captured at the snapshot's index (see {@link KeyspaceSnapshot}); this job
 * takes the engine lock for one step of {@link #STEP_KEYS} keys at a time, turns them into
 * records, releases the lock and writes them to RocksDB, so applying waits at most one step. When
 * every key is written: flush, the state file, fsync of every file, the manifest, and the atomic
 * rename that makes it the latest snapshot.
 */
public final class SnapshotJob {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotJob.class);
    /** Keys recorded per step under the engine lock: ~0.1-1 ms for small values. */
    static final int STEP_KEYS = 1000;

    /** What a finished snapshot cost. */
    public record Result(SnapshotStore.Snapshot snapshot, long keys, long bytes, long durationMs,
            long longestStepNanos, long captureNanos) {}

    private final SnapshotStore store;
    private final Object engineLock;
    private final KeyspaceSnapshot keys;
    private final byte[] state;
    private final long term;
    private final long index;
    private final long captureNanos;
    private final long startedMs = System.currentTimeMillis();
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile long keysWritten;
    private Thread thread;

    /**
     * @param keys the keyspace captured at {@code index}; every later call on it is made under {@code engineLock}
     * @param state the state machine's other state at {@code index}, for {@code state.bin}
     * @param captureNanos how long capturing took (the apply thread paid it), for the report
     */
    public SnapshotJob(SnapshotStore store, Object engineLock, KeyspaceSnapshot keys, byte[] state, long term,
            long index, long captureNanos) {
        this.store = store;
        this.engineLock = engineLock;
        this.keys = keys;
        this.state = state;
        this.term = term;
        this.index = index;
        this.captureNanos = captureNanos;
    }

    public CompletableFuture<Result> start(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    public long index() {
        return index;
    }

    public long startedMs() {
        return startedMs;
    }

    public long keysWritten() {
        return keysWritten;
    }

    public CompletableFuture<Result> completion() {
        return done;
    }

    /** Stops the job (e.g. a snapshot is being installed over the state) and waits for it. */
    public void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Path tmp = null;
        try {
            tmp = store.newTmpDir(term, index);
            long longestStep = 0;
            long bytes;
            try (SnapshotFiles.Writer writer = new SnapshotFiles.Writer(tmp)) {
                List<KeyspaceSnapshot.Record> batch = new ArrayList<>(STEP_KEYS + 64);
                boolean more = true;
                while (more) {
                    batch.clear();
                    synchronized (engineLock) {
                        if (cancelled) {
                            keys.abandon();
                            throw new IOException("cancelled");
                        }
                        long t0 = System.nanoTime();
                        more = keys.next(STEP_KEYS, batch);
                        longestStep = Math.max(longestStep, System.nanoTime() - t0);
                    }
                    writer.write(batch);
                    keysWritten = writer.records();
                }
                writer.finish();
                bytes = writer.bytes();
            }
            Files.write(SnapshotFiles.stateFile(tmp), state);
            Durable.fsyncTree(tmp);
            SnapshotManifest.write(tmp, term, index);
            Durable.fsync(tmp);
            SnapshotStore.Snapshot published = store.publish(tmp, term, index);
            store.cleanup();
            Result r = new Result(published, keysWritten, bytes, System.currentTimeMillis() - startedMs,
                longestStep, captureNanos);
            LOG.info("snapshot at index {} (term {}): {} keys, {} bytes of records, {} ms; capture paused applying "
                + "{} ms, the longest step {} ms", index, term, r.keys(), r.bytes(), r.durationMs(),
                captureNanos / 1_000_000.0, longestStep / 1_000_000.0);
            done.complete(r);
        } catch (Throwable e) {
            synchronized (engineLock) {
                keys.abandon();
            }
            if (tmp != null) {
                try {
                    Durable.deleteTree(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            if (!cancelled) {
                LOG.error("snapshot at index {} failed", index, e);
            }
            done.completeExceptionally(e);
        }
    }
}
