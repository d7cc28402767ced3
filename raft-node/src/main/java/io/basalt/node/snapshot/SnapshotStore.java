package io.basalt.node.snapshot;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a group's snapshots live, and which of them counts: Ratis's {@link StateMachineStorage}.
 *
 * <p>Layout, in the group's Ratis state machine directory ({@code <group>/sm}):
 * <pre>
 * snapshot.&lt;term&gt;_&lt;index&gt;/   a finished snapshot: db/ (RocksDB), state.bin, MANIFEST.basalt
 * tmp.&lt;term&gt;_&lt;index&gt;/        one being written; never read, removed at start
 * snapshot.&lt;...&gt;.corrupt/      one that failed its checksums, kept for inspection
 * </pre>
 * A snapshot is written under a tmp name and renamed when complete and fsynced, so a crash leaves
 * either no snapshot or a whole one; the manifest's checksums catch damage after that. The newest
 * snapshot that verifies is the latest; one that fails is renamed {@code .corrupt} and logged, and
 * the next older one is used, which is why the log is purged only up to the older of the two
 * newest snapshots ({@link #purgeSafeIndex}).
 *
 * <p>A snapshot installed from the leader arrives through Ratis, which replaces the whole
 * directory; {@link #reload} then finds it.
 */
public final class SnapshotStore implements StateMachineStorage {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    /** Finished snapshots kept: the newest and one to fall back to. */
    static final int RETAINED = 2;

    private File smDir;
    private File tmpDir;
    private volatile Snapshot latest;
    /** Snapshot directories a backup is reading: cleanup keeps them (see {@link #pin}). */
    private final java.util.Set<Path> pinned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A verified snapshot directory. */
    public record Snapshot(Path dir, long term, long index) {
        public TermIndex termIndex() {
            return TermIndex.valueOf(term, index);
        }
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        smDir = raftStorage.getStorageDir().getStateMachineDir();
        tmpDir = raftStorage.getStorageDir().getTmpDir();
        Files.createDirectories(smDir.toPath());
        removeUnfinished();
        reload();
    }

    /** Finds the newest snapshot that verifies again, e.g. after one was installed. */
    public void reload() throws IOException {
        latest = null;
        for (Snapshot s : listNewestFirst()) {
            try {
                SnapshotManifest.verify(s.dir(), s.term(), s.index());
                latest = s;
                return;
            } catch (CorruptSnapshotException e) {
                setAside(s, e.getMessage());
            }
        }
    }

    /**
     * Refuses a snapshot: renames it {@code .corrupt} (kept for inspection, never read again) and
     * logs why; the caller then {@link #reload}s to fall back to an older one.
     */
    public void setAside(Snapshot s, String why) throws IOException {
        Path aside = s.dir().resolveSibling(s.dir().getFileName() + ".corrupt");
        LOG.error("{}; refusing it and falling back to an older snapshot (moved to {})", why, aside);
        Durable.deleteTree(aside);
        Files.move(s.dir(), aside);
    }

    /** The newest verified snapshot, or null. */
    public Snapshot latest() {
        return latest;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        Snapshot s = latest;
        if (s == null) {
            return null;
        }
        try {
            List<FileInfo> files = new ArrayList<>();
            for (Path p : SnapshotManifest.contentFiles(s.dir())) {
                files.add(new FileInfo(p.toAbsolutePath(), null));
            }
            files.add(new FileInfo(s.dir().resolve(SnapshotManifest.FILE_NAME).toAbsolutePath(), null));
            return new FileListSnapshotInfo(files, s.term(), s.index());
        } catch (IOException e) {
            LOG.error("cannot list the files of snapshot {}", s.dir(), e);
            return null;
        }
    }

    /** A fresh directory to write the snapshot at (term, index) into. */
    Path newTmpDir(long term, long index) throws IOException {
        Path dir = smDir.toPath().resolve("tmp." + term + "_" + index);
        Durable.deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** Publishes a finished, fsynced tmp directory as the latest snapshot. */
    Snapshot publish(Path tmp, long term, long index) throws IOException {
        Path dir = smDir.toPath().resolve("snapshot." + term + "_" + index);
        Durable.deleteTree(dir);
        Durable.publish(tmp, dir);
        Snapshot s = new Snapshot(dir, term, index);
        latest = s;
        return s;
    }

    /**
     * The highest log index that may be purged: the index of the older of the two newest
     * snapshots, so a corrupt newest one can still be replaced by the older one plus the log.
     * -1 while there are fewer than two.
     */
    public long purgeSafeIndex() throws IOException {
        List<Snapshot> all = listNewestFirst();
        return all.size() < 2 ? -1 : all.get(1).index();
    }

    @Override
    public void format() {
        // a new group starts with an empty directory; nothing to format
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        cleanup();
    }

    /**
     * Keeps a snapshot from being deleted by {@link #cleanup} while a backup reads it. Pinning the
     * latest right after it was published cannot race its deletion: cleanup only deletes
     * snapshots older than the {@link #RETAINED} newest.
     *
     * @return false when the directory is already gone
     */
    public boolean pin(Snapshot s) {
        pinned.add(s.dir());
        if (!Files.isDirectory(s.dir())) {
            pinned.remove(s.dir());
            return false;
        }
        return true;
    }

    /** Lets {@link #cleanup} delete it again (at the next snapshot). */
    public void unpin(Snapshot s) {
        pinned.remove(s.dir());
    }

    /** Deletes snapshots beyond the {@link #RETAINED} newest, except pinned ones. */
    public void cleanup() throws IOException {
        List<Snapshot> all = listNewestFirst();
        for (Snapshot old : all.subList(Math.min(RETAINED, all.size()), all.size())) {
            if (pinned.contains(old.dir())) {
                continue;
            }
            LOG.info("deleting old snapshot {}", old.dir().getFileName());
            Durable.deleteTree(old.dir());
        }
    }

    @Override
    public File getSnapshotDir() {
        return smDir;
    }

    @Override
    public File getTmpDir() {
        return tmpDir;
    }

    List<Snapshot> listNewestFirst() throws IOException {
        List<Snapshot> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(smDir.toPath())) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(new Snapshot(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        found.sort(Comparator.comparingLong(Snapshot::index).thenComparingLong(Snapshot::term).reversed());
        return found;
    }

    private void removeUnfinished() throws IOException {
        try (Stream<Path> dirs = Files.list(smDir.toPath())) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                if (p.getFileName().toString().startsWith("tmp.")) {
                    LOG.info("removing unfinished snapshot {}", p.getFileName());
                    Durable.deleteTree(p);
                }
            }
        }
    }
}
