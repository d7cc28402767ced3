package io.basalt.cli.admin;

import io.basalt.router.command.specs.InternalCommandSpecs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin backup --to DIR}: every shard's newest snapshot, streamed through a gateway
 * ({@code basalt.backup.open|read|close}), into {@code DIR/shard-<n>.records} and
 * {@code DIR/manifest.json}. Each file is consistent at its snapshot's log index. Files are
 * written under a {@code .tmp} name and renamed when complete, the manifest last, so a directory
 * with a manifest holds a whole backup.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Write a consistent backup of every shard (its newest snapshot) to a directory.")
public final class BackupCommand implements Callable<Integer> {

    /** Bytes asked for per page: big enough to amortize a round trip, well under the 4 MiB cap. */
    static final long PAGE_BYTES = 1L << 20;
    /** The gateway's answer to opening a shard past the last one. */
    private static final String NO_SUCH_SHARD = "ERR no such shard";

    /** Times one shard's backup starts over (leader change) before giving up. */
    static final int ATTEMPTS_MAX = 5;
    static final int REPLY_TIMEOUT_MS = 60_000;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The directory to write (created; must be empty).")
    Path dir;

    @Option(names = "--gateway", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--progress-interval-s", defaultValue = "2", description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
    long progressIntervalS;

    @Option(names = "--open-timeout-s", defaultValue = "3600",
        description = "Seconds to wait for a shard's snapshot to be written (default ${DEFAULT-VALUE}).")
    long openTimeoutS;

    @Override
    public Integer call() {
        GatewayAddress address = GatewayAddress.parse("backup", gateway);
        if (address == null) {
            return 2;
        }
        try {
            Files.createDirectories(dir);
            try (var listing = Files.list(dir)) {
                if (listing.findAny().isPresent()) {
                    System.err.println("basalt admin backup: " + dir + " is not empty");
                    return 2;
                }
            }
        } catch (IOException e) {
            System.err.println("basalt admin backup: cannot use " + dir + ": " + e.getMessage());
            return 2;
        }
        TransferProgress progress = new TransferProgress("backup", System.err, TimeUnit.SECONDS.toNanos(progressIntervalS));
        try (RespCalls resp = new RespCalls(address.host(), address.port(), REPLY_TIMEOUT_MS)) {
            // shard by shard, as the gateway numbers them, until it says there is no next one
            List<BackupManifest.Shard> shards = new java.util.ArrayList<>();
            for (int n = 0; ; n++) {
                BackupManifest.Shard shard = backupShard(resp, n, progress);
                if (shard == null) {
                    break;
                }
                shards.add(shard);
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, System.currentTimeMillis(),
                List.copyOf(shards));
            Path tmp = dir.resolve(BackupManifest.FILE_NAME + ".tmp");
            Files.writeString(tmp, manifest.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(BackupManifest.FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
            System.err.println(progress.line(System.nanoTime()));
            System.out.printf(Locale.ROOT, "backed up %d keys (%s) of %d shard(s) to %s%n", progress.keys,
                TransferProgress.size(progress.bytes), manifest.shards().size(), dir);
            for (BackupManifest.Shard s : manifest.shards()) {
                System.out.printf(Locale.ROOT, "  shard %d: %d keys at log index %d (term %d), %s%n", s.shard(), s.keys(),
                    s.index(), s.term(), s.file());
            }
            return 0;
        } catch (IOException e) {
            System.err.println("basalt admin backup: " + e.getMessage());
            return 1;
        }
    }

    /**
     * One shard, started over from scratch when its serving replica forgets the backup id; null
     * when the gateway has no shard {@code shard} (the previous one was the last).
     */
    private BackupManifest.Shard backupShard(RespCalls resp, int shard, TransferProgress progress) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return backupShardOnce(resp, shard, progress);
            } catch (Restart e) {
                if (attempt >= ATTEMPTS_MAX) {
                    throw new IOException("shard " + shard + ": gave up after " + attempt + " attempts: " + e.getMessage());
                }
                System.err.println("backup: shard " + shard + ": " + e.getMessage() + "; starting this shard over");
                progress.restart(shard);
                sleepMs(200L * attempt);
            }
        }
    }

    /** The serving replica lost the backup (leader change) or could not open one yet. */
    private static final class Restart extends Exception {
        private static final long serialVersionUID = 1L;

        Restart(String message) {
            super(message);
        }
    }

    private BackupManifest.Shard backupShardOnce(RespCalls resp, int shard, TransferProgress progress)
        throws IOException, Restart {
        String shardArg = Integer.toString(shard);
        Object opened = resp.call(InternalCommandSpecs.BACKUP_OPEN, shardArg);
        if (shard > 0 && opened instanceof RespCalls.Error e && e.text().startsWith(NO_SUCH_SHARD)) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(openTimeoutS);
        while (opened instanceof RespCalls.Error e && e.text().startsWith("TRYAGAIN")) {
            // the shard is writing the snapshot: ask again until it is published
            if (System.nanoTime() > deadline) {
                throw new IOException("shard " + shard + ": no snapshot after " + openTimeoutS + " s: " + e.text());
            }
            progress.waiting(shard);
            sleepMs(250);
            opened = resp.call(InternalCommandSpecs.BACKUP_OPEN, shardArg);
        }
        if (opened instanceof RespCalls.Error e) {
            throw new Restart("cannot open a snapshot: " + e.text());
        }
        // [id, keys, term, index, slot ranges]; the id names the shard, so reads and close go there
        List<?> o = list(opened, 5);
        String slots = new String((byte[]) o.get(4), StandardCharsets.UTF_8);
        String id = new String((byte[]) o.get(0), StandardCharsets.UTF_8);
        long expectedKeys = (Long) o.get(1);
        long term = (Long) o.get(2);
        long index = (Long) o.get(3);
        progress.expect(shard, expectedKeys);
        String file = "shard-" + shard + ".records";
        Path tmp = dir.resolve(file + ".tmp");
        MessageDigest digest = BackupManifest.newDigest();
        long keys = 0;
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(tmp), digest);
             BackupRecords.Writer out = new BackupRecords.Writer(raw)) {
            byte[] after = new byte[0];
            boolean more = true;
            while (more) {
                Object reply = resp.call(InternalCommandSpecs.BACKUP_READ.getBytes(StandardCharsets.US_ASCII),
                    id.getBytes(StandardCharsets.US_ASCII), after, Long.toString(PAGE_BYTES).getBytes(StandardCharsets.US_ASCII));
                if (reply instanceof RespCalls.Error e) {
                    throw new Restart(e.text());
                }
                List<?> page = list(reply, -1);
                more = (Long) page.get(0) == 1;
                for (int i = 1; i + 1 < page.size(); i += 2) {
                    byte[] k = (byte[]) page.get(i);
                    byte[] v = (byte[]) page.get(i + 1);
                    out.write(k, v);
                    after = k;
                    keys++;
                    progress.add(shard, 1, k.length + v.length);
                }
                progress.tick();
            }
        } finally {
            resp.call(InternalCommandSpecs.BACKUP_CLOSE, id);
        }
        if (keys != expectedKeys) {
            throw new IOException("shard " + shard + ": read " + keys + " keys, the snapshot holds " + expectedKeys);
        }
        long bytes = Files.size(tmp);
        Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        return new BackupManifest.Shard(shard, slots, term, index, keys, file, bytes, HexFormat.of().formatHex(digest.digest()));
    }

    private static List<?> list(Object reply, int size) throws IOException {
        if (!(reply instanceof List<?> l) || (size >= 0 && l.size() != size) || l.isEmpty()) {
            throw new IOException("unexpected reply from the gateway: " + reply);
        }
        return l;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms); // backoff before asking a new leader, not synchronization
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
