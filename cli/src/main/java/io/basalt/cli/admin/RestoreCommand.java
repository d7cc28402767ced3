package io.basalt.cli.admin;

import io.basalt.router.command.specs.InternalCommandSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin restore --from DIR}: seeds an empty cluster from a backup. Every file is
 * checked against the manifest's SHA-256 before anything is written; then each record becomes a
 * {@code basalt.restore key record} write through the gateway (replicated like any write),
 * pipelined within {@link RespPipeline}'s bounds. The engine skips (and counts, reply 0) records
 * that expired meanwhile. Keys are routed by the gateway, so the target may be sharded
 * differently from the source.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Seed an empty cluster from a backup written by `basalt admin backup`.")
public final class RestoreCommand implements Callable<Integer> {

    static final int IN_FLIGHT_MAX = 1024;
    static final long IN_FLIGHT_BYTES_MAX = 16L << 20;
    static final int REPLY_TIMEOUT_MS = 60_000;
    private static final byte[] RESTORE = InternalCommandSpecs.RESTORE.getBytes(StandardCharsets.US_ASCII);

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The backup directory.")
    Path dir;

    @Option(names = "--gateway", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--force", description = "Restore even when the cluster holds keys (backed-up keys replace them).")
    boolean force;

    @Option(names = "--progress-interval-s", defaultValue = "2", description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
    long progressIntervalS;

    private long restored;
    private long expired;
    private long errors;
    private final List<String> errorMessages = new ArrayList<>();

    @Override
    public Integer call() {
        GatewayAddress address = GatewayAddress.parse("restore", gateway);
        if (address == null) {
            return 2;
        }
        BackupManifest manifest;
        try {
            manifest = BackupManifest.readAndVerify(dir);
        } catch (BackupManifest.DamagedBackup e) {
            System.err.println("basalt admin restore: refusing a damaged backup, nothing was written: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("basalt admin restore: cannot read the backup in " + dir + ": " + e.getMessage());
            return 1;
        }
        TransferProgress progress = new TransferProgress("restore", System.err, TimeUnit.SECONDS.toNanos(progressIntervalS));
        manifest.shards().forEach(s -> progress.expect(s.shard(), s.keys()));
        try (RespPipeline resp = new RespPipeline(address.host(), address.port(), IN_FLIGHT_MAX, IN_FLIGHT_BYTES_MAX,
            REPLY_TIMEOUT_MS)) {
            long[] dbsize = {-1};
            String[] dbsizeError = {null};
            resp.send(r -> {
                if (r.kind() == ':') {
                    dbsize[0] = r.number();
                } else {
                    dbsizeError[0] = r.text();
                }
            }, "DBSIZE".getBytes(StandardCharsets.US_ASCII));
            resp.drain();
            if (dbsizeError[0] != null) {
                System.err.println("basalt admin restore: DBSIZE failed: " + dbsizeError[0]);
                return 1;
            }
            if (dbsize[0] > 0 && !force) {
                System.err.println("basalt admin restore: the cluster holds " + dbsize[0] + " keys; restore seeds an empty "
                    + "cluster (--force to restore anyway: backed-up keys replace existing ones, others stay)");
                return 1;
            }
            for (BackupManifest.Shard s : manifest.shards()) {
                try (BackupRecords.Reader in = new BackupRecords.Reader(dir.resolve(s.file()))) {
                    for (BackupRecords.Entry e = in.next(); e != null; e = in.next()) {
                        byte[] key = e.key();
                        long bytes = e.rocksKey().length + e.record().length;
                        resp.send(r -> answered(key, r), RESTORE, key, e.record());
                        progress.add(s.shard(), 1, bytes);
                        progress.tick();
                    }
                }
            }
            resp.drain();
        } catch (IOException e) {
            System.err.println("basalt admin restore: " + e.getMessage());
            return 1;
        }
        System.err.println(progress.line(System.nanoTime()));
        System.out.printf(Locale.ROOT, "restored %d keys of %d in the backup (%d shard(s))%n", restored, progress.keys,
            manifest.shards().size());
        System.out.printf(Locale.ROOT, "  %-40s %d%n", "skipped: expired at restore time", expired);
        System.out.printf(Locale.ROOT, "errors: %d%n", errors);
        errorMessages.forEach(m -> System.out.println("    " + m));
        if (errors > errorMessages.size()) {
            System.out.println("    ... and " + (errors - errorMessages.size()) + " more");
        }
        return errors == 0 ? 0 : 1;
    }

    private void answered(byte[] key, RespPipeline.Reply r) {
        if (r.kind() == ':' && r.number() == 1) {
            restored++;
        } else if (r.kind() == ':' && r.number() == 0) {
            expired++;
        } else {
            errors++;
            if (errorMessages.size() < ImportSummary.NAMES_MAX) {
                errorMessages.add(ImportSummary.printable(key) + ": " + (r.isError() ? r.text() : "unexpected reply " + r));
            }
        }
    }
}
