package io.basalt.node.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A finished snapshot's database opened read-only, read in pages in key order: what a backup
 * streams out. A page starts after a given RocksDB key, so a reader that lost its place (a
 * retried call) resumes exactly; the database never changes, so pages are consistent with one
 * another.
 */
public final class SnapshotReader implements AutoCloseable {

    /** One record: the RocksDB key ({@code [slot: 2 bytes][key]}) and the engine's record. */
    public record Entry(byte[] rocksKey, byte[] record) {}

    /** A page of records, and whether more follow it. */
    public record Page(List<Entry> entries, boolean more) {}

    private final Options options;
    private final RocksDB db;

    public SnapshotReader(Path snapshotDir) throws IOException {
        Path dir = snapshotDir.resolve(SnapshotFiles.DB_DIR);
        this.options = new Options().setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        try {
            this.db = RocksDB.openReadOnly(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            throw new IOException("cannot open the snapshot database in " + dir, e);
        }
    }

    /**
     * The records after {@code afterKey} (from the first when it is empty) whose keys and records
     * fit in {@code bytesMax}; always at least one record when any is left, however large.
     */
    public Page page(byte[] afterKey, long bytesMax) throws IOException {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        try (RocksIterator it = db.newIterator()) {
            if (afterKey.length == 0) {
                it.seekToFirst();
            } else {
                it.seek(afterKey);
                if (it.isValid() && Arrays.equals(it.key(), afterKey)) {
                    it.next();
                }
            }
            while (it.isValid()) {
                byte[] k = it.key();
                byte[] v = it.value();
                if (!out.isEmpty() && bytes + k.length + v.length > bytesMax) {
                    break;
                }
                out.add(new Entry(k, v));
                bytes += k.length + v.length;
                it.next();
            }
            boolean more = it.isValid();
            it.status();
            return new Page(out, more);
        } catch (RocksDBException e) {
            throw new IOException("cannot read the snapshot database", e);
        }
    }

    @Override
    public void close() {
        db.close();
        options.close();
    }
}
