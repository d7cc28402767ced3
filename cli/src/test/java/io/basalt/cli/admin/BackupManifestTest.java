package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupManifestTest {

    @TempDir
    Path dir;

    private static final byte[][] KEYS = {{0, 1, 'a'}, {0x3f, (byte) 0xff, 'b', 0, (byte) 0xfe}, {0, 2}};
    private static final byte[][] RECORDS = {{1, 2, 3}, new byte[70_000], {9}};

    private BackupManifest writeBackup() throws IOException {
        Path file = dir.resolve("shard-0.records");
        try (BackupRecords.Writer w = new BackupRecords.Writer(Files.newOutputStream(file))) {
            for (int i = 0; i < KEYS.length; i++) {
                w.write(KEYS[i], RECORDS[i]);
            }
        }
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT_VERSION, 1_700_000_000_123L, List.of(
            new BackupManifest.Shard(0, "0-16383", 3, 12345, KEYS.length, "shard-0.records", Files.size(file),
                BackupManifest.sha256(file))));
        Files.writeString(dir.resolve(BackupManifest.FILE_NAME), m.toJson());
        return m;
    }

    @Test
    void aWholeBackupVerifiesAndReadsBackEveryRecord() throws IOException {
        BackupManifest written = writeBackup();
        assertEquals(written, BackupManifest.readAndVerify(dir));
        try (BackupRecords.Reader r = new BackupRecords.Reader(dir.resolve("shard-0.records"))) {
            for (int i = 0; i < KEYS.length; i++) {
                BackupRecords.Entry e = r.next();
                assertArrayEquals(KEYS[i], e.rocksKey());
                assertArrayEquals(RECORDS[i], e.record());
            }
            assertNull(r.next());
        }
        assertArrayEquals(new byte[] {'a'}, new BackupRecords.Entry(KEYS[0], RECORDS[0]).key());
    }

    @Test
    void aChangedByteIsRefusedNamingTheFile() throws IOException {
        writeBackup();
        Path file = dir.resolve("shard-0.records");
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 1;
        Files.write(file, b);
        IOException e = assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir));
        assertTrue(e.getMessage().startsWith("shard-0.records is damaged: its SHA-256 is "), e.getMessage());
    }

    @Test
    void aTruncatedOrMissingFileIsRefused() throws IOException {
        writeBackup();
        Path file = dir.resolve("shard-0.records");
        long size = Files.size(file);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length - 1));
        assertEquals("shard-0.records is " + (size - 1) + " bytes; the manifest says " + size,
            assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir)).getMessage());
        Files.delete(file);
        assertEquals("shard-0.records is missing",
            assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir)).getMessage());
    }

    @Test
    void aBadOrMissingManifestIsRefused() throws IOException {
        BackupManifest m = writeBackup();
        Path manifest = dir.resolve(BackupManifest.FILE_NAME);
        String json = m.toJson();
        Files.writeString(manifest, json.replace("\"format_version\": 1", "\"format_version\": 2"));
        assertTrue(assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir))
            .getMessage().contains("format version 2"));
        Files.writeString(manifest, json.substring(0, json.length() - 4));
        assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir));
        Files.writeString(manifest, json.replace("\"keys\": 3", "\"keys\": x"));
        assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir));
        Files.delete(manifest);
        assertTrue(assertThrows(BackupManifest.DamagedBackup.class, () -> BackupManifest.readAndVerify(dir))
            .getMessage().startsWith("no manifest.json in "));
    }

    @Test
    void aRecordsFileWithAnAbsurdLengthIsAnErrorNotAnAllocation() throws IOException {
        Path file = dir.resolve("bad.records");
        Files.write(file, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0});
        try (BackupRecords.Reader r = new BackupRecords.Reader(file)) {
            assertTrue(assertThrows(IOException.class, r::next).getMessage().contains("a key of 2147483647 bytes"));
        }
    }
}
