package io.basalt.chaos.runner;

import io.basalt.chaos.report.ReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Runs a chaos run and writes its report folder, printing where it is. */
public final class Reported {

    private Reported() {
    }

    /**
     * @param reportsRoot the folder that holds one report folder per run
     * @param replay the command line that replays this run (with its seed)
     */
    public static RunResult run(ChaosRun run, Path reportsRoot, String replay, PrintStream log) throws Exception {
        RunResult result = run.run();
        Path dir = reportsRoot.resolve(result.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            + "-seed" + result.options().seed());
        Files.createDirectories(dir);
        try {
            Path index = ReportWriter.write(dir, result, replay);
            log.println("chaos report: " + index.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            log.println("chaos report could not be written to " + dir + ": " + e);
        }
        return result;
    }

    /** The folder reports go to: -Dchaos.reports, else target/chaos-reports. */
    public static Path reportsRoot() {
        return Path.of(System.getProperty("chaos.reports", "target/chaos-reports"));
    }
}
