package io.basalt.cli.admin;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup directory's {@code manifest.json}: what the backup holds and the checksums that prove
 * its files are whole. Written last, so a directory without one is an unfinished backup.
 *
 * <p>JSON for people and other tools; written one shard object per line, and read back by this
 * class only (the cli links no JSON library), so the reader accepts exactly what the writer
 * writes.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param createdUnixMs when the backup finished
 * @param shards        one entry per shard, in slot order
 */
record BackupManifest(int formatVersion, long createdUnixMs, List<Shard> shards) {

    static final int FORMAT_VERSION = 1;
    static final String FILE_NAME = "manifest.json";
    /** A manifest is a few hundred bytes per shard; refuse to read anything absurd. */
    static final long FILE_BYTES_MAX = 16L << 20;

    /**
     * One shard's part of the backup.
     *
     * @param shard      the shard's number in the slot map
     * @param slotRanges its slots, "first-last" ranges separated by commas
     * @param term       term of the snapshot's log index
     * @param index      the log index the snapshot (and so this file) is consistent at
     * @param keys       records in the file
     * @param file       the records file's name in the backup directory
     * @param bytes      its size
     * @param sha256     its SHA-256, hex
     */
    record Shard(int shard, String slotRanges, long term, long index, long keys, String file, long bytes, String sha256) {}

    /** Thrown when a backup is damaged or not a backup: the message says which file and why. */
    static final class DamagedBackup extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedBackup(String message) {
            super(message);
        }
    }

    private static final Pattern SHARD = Pattern.compile(
        "\\{\"shard\": (\\d+), \"slots\": \"([0-9,-]*)\", \"term\": (\\d+), \"index\": (\\d+), \"keys\": (\\d+), "
            + "\"file\": \"(shard-\\d+\\.records)\", \"bytes\": (\\d+), \"sha256\": \"([0-9a-f]{64})\"}");
    private static final Pattern HEADER = Pattern.compile(
        "\\{\\n  \"format_version\": (\\d+),\\n  \"created_unix_ms\": (\\d+),\\n  \"shards\": \\[\\n");

    String toJson() {
        StringBuilder b = new StringBuilder("{\n  \"format_version\": ").append(formatVersion)
            .append(",\n  \"created_unix_ms\": ").append(createdUnixMs).append(",\n  \"shards\": [\n");
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            b.append("    {\"shard\": ").append(s.shard()).append(", \"slots\": \"").append(s.slotRanges())
                .append("\", \"term\": ").append(s.term()).append(", \"index\": ").append(s.index())
                .append(", \"keys\": ").append(s.keys()).append(", \"file\": \"").append(s.file())
                .append("\", \"bytes\": ").append(s.bytes()).append(", \"sha256\": \"").append(s.sha256())
                .append("\"}").append(i + 1 < shards.size() ? ",\n" : "\n");
        }
        return b.append("  ]\n}\n").toString();
    }

    static BackupManifest parse(String json) throws DamagedBackup {
        Matcher h = HEADER.matcher(json);
        if (!h.lookingAt()) {
            throw new DamagedBackup(FILE_NAME + " is not a Basalt backup manifest");
        }
        int version = Integer.parseInt(h.group(1));
        if (version != FORMAT_VERSION) {
            throw new DamagedBackup(FILE_NAME + " has format version " + version + "; this Basalt reads version "
                + FORMAT_VERSION);
        }
        List<Shard> shards = new ArrayList<>();
        int at = h.end();
        String[] lines = json.substring(at).split("\n");
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals("]")) {
                break;
            }
            Matcher m = SHARD.matcher(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
            if (!m.matches()) {
                throw new DamagedBackup(FILE_NAME + ": unreadable shard line: " + line);
            }
            shards.add(new Shard(Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), m.group(6), Long.parseLong(m.group(7)), m.group(8)));
        }
        if (i + 2 != lines.length || !lines[i + 1].equals("}") || shards.isEmpty()) {
            throw new DamagedBackup(FILE_NAME + " is truncated or has no shards");
        }
        return new BackupManifest(version, Long.parseLong(h.group(2)), List.copyOf(shards));
    }

    /** Reads the manifest of {@code dir} and checks every file's size and SHA-256 against it. */
    static BackupManifest readAndVerify(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new DamagedBackup("no " + FILE_NAME + " in " + dir + ": not a backup, or an unfinished one");
        }
        if (Files.size(file) > FILE_BYTES_MAX) {
            throw new DamagedBackup(FILE_NAME + " is " + Files.size(file) + " bytes: not a backup manifest");
        }
        BackupManifest m = parse(Files.readString(file, StandardCharsets.UTF_8));
        for (Shard s : m.shards()) {
            Path records = dir.resolve(s.file());
            if (!Files.isRegularFile(records)) {
                throw new DamagedBackup(s.file() + " is missing");
            }
            if (Files.size(records) != s.bytes()) {
                throw new DamagedBackup(s.file() + " is " + Files.size(records) + " bytes; the manifest says " + s.bytes());
            }
            String actual = sha256(records);
            if (!actual.equals(s.sha256())) {
                throw new DamagedBackup(s.file() + " is damaged: its SHA-256 is " + actual + ", the manifest says "
                    + s.sha256());
            }
        }
        return m;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
