package io.basalt.node.snapshot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest written by {@link SnapshotManifest#write} verifies, and a change to any file or to itself does not. */
class SnapshotManifestTest {

    @TempDir
    Path dir;

    private void snapshotFiles() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/000001.sst"), "keys", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("state.bin"), "state", StandardCharsets.UTF_8);
    }

    @Test
    void aWrittenManifestVerifies() throws Exception {
        snapshotFiles();
        SnapshotManifest.write(dir, 3, 42);
        SnapshotManifest.verify(dir, 3, 42);
    }

    @Test
    void aChangedFileOrManifestIsRefused() throws Exception {
        snapshotFiles();
        SnapshotManifest.write(dir, 3, 42);
        Files.writeString(dir.resolve("state.bin"), "statf", StandardCharsets.UTF_8);
        assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 42));

        Files.writeString(dir.resolve("state.bin"), "state", StandardCharsets.UTF_8);
        SnapshotManifest.verify(dir, 3, 42);
        Path manifest = dir.resolve(SnapshotManifest.FILE_NAME);
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, text.replace("index 42", "index 43"), StandardCharsets.UTF_8);
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> SnapshotManifest.verify(dir, 3, 42));
        assertTrue(e.getMessage().contains("its own checksum"), e.getMessage());
    }
}
