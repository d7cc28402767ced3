package io.basalt.node.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checksummed list of a snapshot's files, written last: a snapshot directory without a
 * manifest that matches every file byte for byte is not a snapshot.
 *
 * <p>Text, one line per fact, so an operator can read it:
 * <pre>
 * basalt-snapshot 1
 * term 3
 * index 120045
 * file &lt;sha-256&gt; &lt;size&gt; &lt;path relative to the snapshot directory&gt;
 * ...
 * manifest &lt;sha-256 of every line above&gt;
 * </pre>
 * SHA-256 rather than a CRC: it also catches a file swapped for another snapshot's file of the
 * same name, and it costs little next to writing the files.
 */
final class SnapshotManifest {

    static final String FILE_NAME = "MANIFEST.basalt";
    private static final String HEADER = "basalt-snapshot 1";

    record FileSum(String path, long size, String sha256) {}

    private SnapshotManifest() {}

    /**
     * Files of a snapshot directory that belong to it: not the manifest, not Ratis's .md5 files,
     * not RocksDB's info logs and lock file (opening the database read-only may create them).
     */
    static List<Path> contentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                .filter(p -> isContent(p.getFileName().toString()))
                .sorted()
                .toList();
        }
    }

    private static boolean isContent(String name) {
        return !name.equals(FILE_NAME) && !name.endsWith(".md5") && !name.equals("LOCK") && !name.startsWith("LOG");
    }

    /** Computes and writes the manifest of {@code dir}, fsynced. */
    static void write(Path dir, long term, long index) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(HEADER).append('\n').append("term ").append(term).append('\n').append("index ").append(index).append('\n');
        for (Path file : contentFiles(dir)) {
            text.append("file ").append(sha256(file)).append(' ').append(Files.size(file)).append(' ')
                .append(dir.relativize(file).toString().replace('\\', '/')).append('\n');
        }
        // hash first: in text.append("manifest ").append(sha256(text...)) the receiver's append runs
        // before the argument is evaluated, and the hash would cover "manifest " too, which
        // verify() does not, so no snapshot would ever load
        String selfSum = sha256(text.toString().getBytes(StandardCharsets.UTF_8));
        text.append("manifest ").append(selfSum).append('\n');
        Path manifest = dir.resolve(FILE_NAME);
        Files.writeString(manifest, text.toString(), StandardCharsets.UTF_8);
        Durable.fsync(manifest);
    }

    /**
     * Checks every file of {@code dir} against its manifest.
     *
     * @throws CorruptSnapshotException naming the first file (or the manifest) that does not match
     */
    static void verify(Path dir, long term, long index) throws IOException {
        Path manifest = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            throw new CorruptSnapshotException(dir, "no " + FILE_NAME + " (a snapshot that was never finished)");
        }
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.size() < 4 || !lines.get(0).equals(HEADER)) {
            throw new CorruptSnapshotException(dir, FILE_NAME + " is not a manifest of a known format");
        }
        StringBuilder covered = new StringBuilder();
        for (int i = 0; i < lines.size() - 1; i++) {
            covered.append(lines.get(i)).append('\n');
        }
        String last = lines.get(lines.size() - 1);
        if (!last.equals("manifest " + sha256(covered.toString().getBytes(StandardCharsets.UTF_8)))) {
            throw new CorruptSnapshotException(dir, FILE_NAME + " does not match its own checksum");
        }
        if (!lines.get(1).equals("term " + term) || !lines.get(2).equals("index " + index)) {
            throw new CorruptSnapshotException(dir, FILE_NAME + " names " + lines.get(1) + ", " + lines.get(2));
        }
        List<FileSum> listed = new ArrayList<>();
        for (String line : lines.subList(3, lines.size() - 1)) {
            String[] parts = line.split(" ", 4);
            if (parts.length != 4 || !parts[0].equals("file")) {
                throw new CorruptSnapshotException(dir, FILE_NAME + " has a malformed line: " + line);
            }
            listed.add(new FileSum(parts[3], Long.parseLong(parts[2]), parts[1]));
        }
        List<Path> present = contentFiles(dir);
        if (present.size() != listed.size()) {
            throw new CorruptSnapshotException(dir, "holds " + present.size() + " files, its manifest lists " + listed.size());
        }
        for (FileSum sum : listed) {
            Path file = dir.resolve(sum.path()).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                throw new CorruptSnapshotException(dir, "file " + sum.path() + " is missing");
            }
            if (Files.size(file) != sum.size()) {
                throw new CorruptSnapshotException(dir, "file " + sum.path() + " has " + Files.size(file)
                    + " bytes, expected " + sum.size());
            }
            if (!sha256(file).equals(sum.sha256())) {
                throw new CorruptSnapshotException(dir, "file " + sum.path() + " fails its checksum");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
