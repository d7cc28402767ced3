package io.basalt.node.statemachine;

import io.basalt.node.snapshot.SnapshotReader;
import io.basalt.node.snapshot.SnapshotStore;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code basalt.backup.open|read|close}: a backup streams the newest snapshot of the replica that
 * serves its reads (the leader). A snapshot is immutable and consistent at one log index, so the
 * backup is too, however long it takes and whatever is written meanwhile.
 *
 * <p>Open takes a fresh snapshot as SAVE does (while another is being written it answers
 * TRYAGAIN), pins it so retention keeps it, and opens its database read-only under an id. The
 * sessions live in this replica's memory only: after a leader change the new leader does not know
 * the id, and the tool starts that shard again. A session unused for {@link #IDLE_NANOS} is
 * closed at the next backup command, so a tool that died leaves at most a pinned snapshot until
 * then (or the node's restart); at most {@link #SESSIONS_MAX} are open at once.
 */
final class BackupCommands {

    static final List<String> NAMES = List.of(InternalCommandSpecs.BACKUP_OPEN, InternalCommandSpecs.BACKUP_READ,
        InternalCommandSpecs.BACKUP_CLOSE);
    /** One page of records at most: far below the 64 MiB Raft message limit a reply travels in. */
    static final long PAGE_BYTES_MAX = 4L << 20;
    static final int SESSIONS_MAX = 4;
    static final long IDLE_NANOS = 120_000_000_000L;

    private record Session(SnapshotStore.Snapshot snapshot, SnapshotReader reader, long[] lastUsedNanos) {}

    private final ShardSnapshots snapshots;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private long opened;
    /** The index a backup asked a snapshot at and has not taken yet; -1 when none. */
    private long requestedIndex = -1;

    BackupCommands(ShardSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    /**
     * Open: caller holds the engine lock (the snapshot is requested at the applied index). Waits
     * for the snapshot at most {@link #OPEN_WAIT_MS}, well inside the gateway's 5 s read deadline;
     * a snapshot that takes longer is answered {@code -TRYAGAIN}, and the tool asks again: the next
     * open takes that snapshot once it is published, without starting another one.
     */
    CompletableFuture<byte[]> open(long term, long index, long nowMs) {
        synchronized (this) {
            sweep();
            if (sessions.size() >= SESSIONS_MAX) {
                return done(new RespWriter(96).error("ERR too many backups open on this replica (at most "
                    + SESSIONS_MAX + ")"));
            }
            SnapshotStore.Snapshot latest = snapshots.store().latest();
            if (requestedIndex >= 0 && latest != null && latest.index() >= requestedIndex) {
                return CompletableFuture.completedFuture(pinLatest());
            }
            if (snapshots.inProgress()) {
                return done(new RespWriter(96).error(TRY_AGAIN));
            }
            requestedIndex = index;
        }
        CompletableFuture<?> saved = snapshots.requestNow(term, index, nowMs);
        CompletableFuture<Object> ready = new CompletableFuture<>();
        (saved == null ? CompletableFuture.completedFuture(null) : saved).whenComplete((r, e) -> {
            if (e != null) {
                ready.completeExceptionally(e);
            } else {
                ready.complete(Boolean.TRUE);
            }
        });
        return ready.completeOnTimeout(WAITED, OPEN_WAIT_MS, TimeUnit.MILLISECONDS).handle((r, e) -> {
            if (e != null) {
                return new RespWriter(96).error("ERR snapshot failed: " + PersistenceCommands.rootMessage(e)).toByteArray();
            }
            return r == WAITED ? new RespWriter(96).error(TRY_AGAIN).toByteArray() : pinLatest();
        });
    }

    static final String TRY_AGAIN = "TRYAGAIN the snapshot for the backup is being written, ask again";
    static final long OPEN_WAIT_MS = 3_000;
    private static final Object WAITED = new Object();

    private synchronized byte[] pinLatest() {
        requestedIndex = -1;
        SnapshotStore.Snapshot s = snapshots.store().latest();
        RespWriter out = new RespWriter(96);
        if (s == null || !snapshots.store().pin(s)) {
            return out.error("ERR no snapshot to back up yet (a background save is in progress), try again").toByteArray();
        }
        try {
            long keys = keyCount(s);
            String id = s.term() + "_" + s.index() + "." + (++opened);
            sessions.put(id, new Session(s, new SnapshotReader(s.dir()), new long[] {System.nanoTime()}));
            return out.array(4).bulk(id).integer(keys).integer(s.term()).integer(s.index()).toByteArray();
        } catch (IOException | RuntimeException e) {
            snapshots.store().unpin(s);
            return out.error("ERR cannot open snapshot " + s.dir().getFileName() + ": " + e.getMessage()).toByteArray();
        }
    }

    /** Read and close: without the engine lock. */
    synchronized byte[] query(List<byte[]> argv) {
        String name = new String(argv.get(0), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        sweep();
        RespWriter out = new RespWriter(256);
        int arity = name.equals(InternalCommandSpecs.BACKUP_READ) ? 4 : 2;
        if (argv.size() != arity) {
            return out.error("ERR wrong number of arguments for '" + name + "' command").toByteArray();
        }
        String id = new String(argv.get(1), StandardCharsets.ISO_8859_1);
        Session s = sessions.get(id);
        if (name.equals(InternalCommandSpecs.BACKUP_CLOSE)) {
            if (s != null) {
                close(id, s);
            }
            return out.integer(s == null ? 0 : 1).toByteArray();
        }
        if (s == null) {
            return out.error("ERR unknown backup id '" + id + "' (the serving replica changed, or the backup sat idle)")
                .toByteArray();
        }
        long bytesMax = parseBytes(argv.get(3));
        if (bytesMax < 1 || bytesMax > PAGE_BYTES_MAX) {
            return out.error("ERR max-bytes must be between 1 and " + PAGE_BYTES_MAX).toByteArray();
        }
        s.lastUsedNanos()[0] = System.nanoTime();
        try {
            SnapshotReader.Page page = s.reader().page(argv.get(2), bytesMax);
            out.array(1 + 2 * page.entries().size()).integer(page.more() ? 1 : 0);
            for (SnapshotReader.Entry e : page.entries()) {
                out.bulk(e.rocksKey()).bulk(e.record());
            }
            return java.util.Arrays.copyOf(out.buffer(), out.size());
        } catch (IOException e) {
            close(id, s);
            return new RespWriter(128).error("ERR cannot read the snapshot: " + e.getMessage()).toByteArray();
        }
    }

    private static long parseBytes(byte[] arg) {
        try {
            return Long.parseLong(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Session> e = it.next();
            if (now - e.getValue().lastUsedNanos()[0] > IDLE_NANOS) {
                it.remove();
                release(e.getValue());
            }
        }
    }

    private void close(String id, Session s) {
        sessions.remove(id);
        release(s);
    }

    private void release(Session s) {
        s.reader().close();
        // unpin only when no other session reads the same directory
        boolean shared = sessions.values().stream().anyMatch(o -> o.snapshot().dir().equals(s.snapshot().dir()));
        if (!shared) {
            snapshots.store().unpin(s.snapshot());
        }
    }

    /** The key count the snapshot's state file records (written by {@link ShardSnapshots}). */
    private static long keyCount(SnapshotStore.Snapshot s) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(s.dir().resolve("state.bin")))) {
            in.readInt(); // format
            in.readLong(); // applied time
            return in.readLong();
        }
    }

    /** Every session, e.g. when the state machine closes. */
    synchronized void closeAll() {
        for (Session s : new ArrayList<>(sessions.values())) {
            s.reader().close();
            snapshots.store().unpin(s.snapshot());
        }
        sessions.clear();
    }

    private static CompletableFuture<byte[]> done(RespWriter out) {
        return CompletableFuture.completedFuture(out.toByteArray());
    }
}
