package io.basalt.node.snapshot;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest verifies its own directory, and any change to a file, the list or itself is caught. */
class SnapshotManifestTest {

    @TempDir
    Path dir;

    private void fill() throws IOException {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/000008.sst"), "sorted table");
        Files.writeString(dir.resolve("db/CURRENT"), "MANIFEST-000005\n");
        Files.writeString(dir.resolve("state.bin"), "state");
        SnapshotManifest.write(dir, 3, 120);
    }

    @Test
    void aFreshManifestVerifiesAndIgnoresRatisAndRocksDbExtras() throws IOException {
        fill();
        Files.writeString(dir.resolve("state.bin.md5"), "md5 written by Ratis on install");
        Files.writeString(dir.resolve("db/LOG"), "RocksDB info log from a read-only open");
        assertDoesNotThrow(() -> SnapshotManifest.verify(dir, 3, 120));
    }

    @Test
    void aChangedFileIsCaught() throws IOException {
        fill();
        Files.writeString(dir.resolve("db/000008.sst"), "sorted tablf");
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 120));
        assertTrue(e.getMessage().contains("db/000008.sst fails its checksum"), e.getMessage());
    }

    @Test
    void aMissingExtraOrRenamedFileIsCaught() throws IOException {
        fill();
        Files.writeString(dir.resolve("db/000009.sst"), "stray");
        assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 120));
        Files.delete(dir.resolve("db/000009.sst"));
        Files.delete(dir.resolve("state.bin"));
        assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 120));
    }

    @Test
    void anEditedManifestOrAnotherIndexIsCaught() throws IOException {
        fill();
        assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 121));
        Path m = dir.resolve(SnapshotManifest.FILE_NAME);
        Files.writeString(m, Files.readString(m, StandardCharsets.UTF_8).replace("index 120", "index 121"));
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 121));
        assertTrue(e.getMessage().contains("does not match its own checksum"), e.getMessage());
        Files.delete(m);
        assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 120));
    }
}
