package io.basalt.cli.admin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shard's records file, {@code shard-<n>.records}: {@code [int length][RocksDB key][int
 * length][record]} pairs, big endian, until the end of the file. The RocksDB key is the
 * snapshot's own ({@code [slot: 2 bytes][key]}), the record the engine's self-describing form
 * (value, representation, absolute expiry), so restore hands it back unchanged.
 */
final class BackupRecords {

    /** One key (with its 2-byte slot) at most: Redis keys are bounded by the 16 MiB command. */
    static final int KEY_BYTES_MAX = 16 << 20;
    /** One record at most: a Raft message is at most 64 MiB. */
    static final int RECORD_BYTES_MAX = 64 << 20;

    private BackupRecords() {}

    /** One pair as read back. */
    record Entry(byte[] rocksKey, byte[] record) {
        byte[] key() {
            return java.util.Arrays.copyOfRange(rocksKey, 2, rocksKey.length);
        }
    }

    static final class Writer implements Closeable {
        private final DataOutputStream out;

        /** Writes to {@code sink} (closed with this writer). */
        Writer(java.io.OutputStream sink) {
            this.out = new DataOutputStream(new BufferedOutputStream(sink, 256 * 1024));
        }

        void write(byte[] rocksKey, byte[] record) throws IOException {
            out.writeInt(rocksKey.length);
            out.write(rocksKey);
            out.writeInt(record.length);
            out.write(record);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static final class Reader implements Closeable {
        private final DataInputStream in;

        Reader(Path file) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 256 * 1024));
        }

        /** The next pair, or null at the end of the file. */
        Entry next() throws IOException {
            int keyLength;
            try {
                keyLength = in.readInt();
            } catch (EOFException end) {
                return null;
            }
            byte[] key = read(keyLength, 2, KEY_BYTES_MAX, "key");
            byte[] record = read(in.readInt(), 1, RECORD_BYTES_MAX, "record");
            return new Entry(key, record);
        }

        private byte[] read(int length, int min, int max, String what) throws IOException {
            if (length < min || length > max) {
                throw new IOException("a " + what + " of " + length + " bytes in a records file");
            }
            byte[] b = new byte[length];
            in.readFully(b);
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
