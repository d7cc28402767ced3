package io.basalt.cli.admin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code basalt admin import-rdb FILE}: loads a Redis RDB file into a running cluster through
 * ordinary replicated writes at a gateway. How and why: docs/migration.md.
 */
@Command(name = "import-rdb", mixinStandardHelpOptions = true,
    description = {"Load a Redis RDB file (as written by Redis up to 7.2) into a running cluster through a gateway.",
        "Strings, lists, hashes, sets and sorted sets are imported with their TTLs; keys already expired are "
            + "skipped; streams and module types are skipped and listed."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every supported key was imported or skipped", "1:the import stopped, or some keys failed",
        "2:bad arguments or unreadable file"})
final class ImportRdbCommand implements Callable<Integer> {

    /** Bytes of elements per write command: a few MiB, far below Basalt's 16 MiB per command. */
    static final int COMMAND_BYTES_MAX = 4 * 1024 * 1024;
    /** Elements per write command at most (bounds the argument count too). */
    static final int COMMAND_ARGS_MAX = 1024;
    /** Commands sent and not yet answered at most, and their bytes. */
    static final int IN_FLIGHT_MAX = 1024;
    static final long IN_FLIGHT_BYTES_MAX = 16L * 1024 * 1024;
    /** Longer than the gateway's own 10 s write deadline, so its answer always comes first. */
    static final int REPLY_TIMEOUT_MS = 60_000;

    @Parameters(index = "0", paramLabel = "FILE", description = "The RDB file (dump.rdb).")
    Path file;

    @Option(names = "--gateway", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--replace", description = "Overwrite keys that already exist (default: skip and count them).")
    boolean replace;

    @Option(names = "--continue-on-error", description = "Count a key whose write fails and go on (default: stop at the first).")
    boolean continueOnError;

    @Option(names = "--db", defaultValue = "0", description = "Which database of the file to import; Basalt has one (default ${DEFAULT-VALUE}).")
    long db;

    @Option(names = "--progress-interval-s", defaultValue = "2", description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
    long progressIntervalS;

    @Override
    public Integer call() {
        int colon = gateway.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(gateway.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            System.err.println("basalt admin import-rdb: --gateway must be host:port, got " + gateway);
            return 2;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            System.err.println("basalt admin import-rdb: cannot read " + file);
            return 2;
        }
        String host = gateway.substring(0, colon);
        ImportSummary summary = new ImportSummary();
        int code = run(host, port, summary);
        summary.print(System.out);
        return code != 0 ? code : (summary.errors > 0 ? 1 : 0);
    }

    private int run(String host, int port, ImportSummary summary) {
        RespPipeline connected;
        try {
            connected = new RespPipeline(host, port, IN_FLIGHT_MAX, IN_FLIGHT_BYTES_MAX, REPLY_TIMEOUT_MS);
        } catch (IOException e) {
            System.err.println("basalt admin import-rdb: cannot connect to the gateway at " + gateway + ": " + e.getMessage());
            return 1;
        }
        try (RespPipeline resp = connected; InputStream raw = Files.newInputStream(file)) {
            ImportProgress progress = new ImportProgress(System.err, Files.size(file), TimeUnit.SECONDS.toNanos(progressIntervalS));
            RdbImporter importer = new RdbImporter(resp, new CommandBuilder(COMMAND_BYTES_MAX, COMMAND_ARGS_MAX),
                replace, continueOnError, db, System::currentTimeMillis, summary);
            RdbReader.read(new BufferedInputStream(progress.counting(raw), 256 * 1024), chunk -> {
                importer.accept(chunk);
                progress.tick(summary);
            });
            importer.finish();
            System.err.println(progress.line(summary, System.nanoTime()));
            return 0;
        } catch (RdbImporter.ImportFailed e) {
            System.err.println("basalt admin import-rdb: stopped: " + e.getMessage()
                + " (--continue-on-error to go on past failing keys)");
            return 1;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("basalt admin import-rdb: " + e.getMessage());
            return 1;
        }
    }
}
