package io.basalt.node.snapshot;

import io.basalt.node.engine.KeyspaceEngine;
import io.basalt.node.engine.KeyspaceSnapshot;
import io.basalt.router.slot.HashSlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The files inside one snapshot directory:
 * <ul>
 *   <li>{@code db/}: a RocksDB database of every key. Its keys are {@code [slot: 2 bytes, big
 *       endian][key]}, so one hash slot's keys are one contiguous range (a prefix seek exports or
 *       reads a slot alone, for resharding and per-slot backups); values are the engine's
 *       self-describing records (type, representation, expiry time).</li>
 *   <li>{@code state.bin}: the state machine's state that is not keys (applied time, the
 *       exactly-once filter, the engine's hash key), written by the state machine.</li>
 * </ul>
 * RocksDB writes without its WAL (the database is written once, then flushed and closed); its
 * info log and lock file are removed before the manifest is computed, so the directory holds only
 * what is needed to open it read-only.
 */
public final class SnapshotFiles {

    static final String DB_DIR = "db";
    static final String STATE_FILE = "state.bin";

    static {
        RocksDB.loadLibrary();
    }

    private SnapshotFiles() {}

    /** An open RocksDB being filled with one snapshot's records. */
    static final class Writer implements AutoCloseable {
        private final Options options;
        private final WriteOptions writeOptions;
        private final RocksDB db;
        private final Path dir;
        private long records;
        private long bytes;

        Writer(Path snapshotDir) throws IOException {
            this.dir = snapshotDir.resolve(DB_DIR);
            this.options = new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(1);
            this.writeOptions = new WriteOptions().setDisableWAL(true);
            try {
                this.db = RocksDB.open(options, dir.toString());
            } catch (RocksDBException e) {
                options.close();
                writeOptions.close();
                throw new IOException("cannot create the snapshot database in " + dir, e);
            }
        }

        void write(List<KeyspaceSnapshot.Record> batch) throws IOException {
            try (WriteBatch b = new WriteBatch()) {
                for (KeyspaceSnapshot.Record r : batch) {
                    b.put(slotKey(r.key()), r.value());
                    bytes += r.key().length + r.value().length;
                }
                db.write(writeOptions, b);
                records += batch.size();
            } catch (RocksDBException e) {
                throw new IOException("cannot write to the snapshot database in " + dir, e);
            }
        }

        long records() {
            return records;
        }

        long bytes() {
            return bytes;
        }

        /** Flushes the memtable to SST files; the database is then complete on disk. */
        void finish() throws IOException {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            } catch (RocksDBException e) {
                throw new IOException("cannot flush the snapshot database in " + dir, e);
            }
        }

        @Override
        public void close() throws IOException {
            db.close();
            writeOptions.close();
            options.close();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String name = p.getFileName().toString();
                    if (name.equals("LOCK") || name.startsWith("LOG")) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** The RocksDB key of a Redis key: its hash slot first, so a slot is one key range. */
    static byte[] slotKey(byte[] key) {
        int slot = HashSlot.of(key);
        byte[] k = new byte[key.length + 2];
        k[0] = (byte) (slot >>> 8);
        k[1] = (byte) slot;
        System.arraycopy(key, 0, k, 2, key.length);
        return k;
    }

    /**
     * Restores every key of a snapshot's database into an empty engine.
     *
     * @return the number of keys restored
     */
    public static long loadKeys(Path snapshotDir, KeyspaceEngine engine) throws IOException {
        Path dir = snapshotDir.resolve(DB_DIR);
        long n = 0;
        try (Options options = new Options().setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
             RocksDB db = RocksDB.openReadOnly(options, dir.toString());
             RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                engine.restore(Arrays.copyOfRange(k, 2, k.length), it.value());
                n++;
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IOException("cannot read the snapshot database in " + dir, e);
        }
        return n;
    }

    /** The state machine's own state in a snapshot (see the class comment). */
    public static Path stateFile(Path snapshotDir) {
        return snapshotDir.resolve(STATE_FILE);
    }
}
