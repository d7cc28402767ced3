package io.basalt.chaos.report;

import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.HistoryFile;
import io.basalt.chaos.runner.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's report folder: {@code index.html} with the charts beside it, the summary as
 * JSON and text, and the full history, so the run can be checked again without rerunning it.
 */
public final class ReportWriter {

    public static final String INDEX = "index.html";
    public static final String HISTORY = "history.jsonl";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_TXT = "summary.txt";
    public static final String LATENCY_PNG = "latency.png";
    public static final String THROUGHPUT_PNG = "throughput.png";

    private ReportWriter() {}

    /** The report of a runner's result: {@link RunSummary#of(RunResult, String)} written by {@link #write}. */
    public static Path write(Path dir, RunResult result, String replay) throws IOException {
        return write(dir, result.history(), result.faults(), RunSummary.of(result, replay));
    }

    /** Writes everything into {@code dir} (created if needed) and returns the path of index.html. */
    public static Path write(Path dir, History history, List<FaultWindow> faults, RunSummary summary) throws IOException {
        Files.createDirectories(dir);
        HistoryFile.write(dir.resolve(HISTORY), history, faults);
        Files.writeString(dir.resolve(SUMMARY_JSON), summary.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY_TXT), SummaryText.render(summary), StandardCharsets.UTF_8);
        Plots.latency(history, faults, dir.resolve(LATENCY_PNG));
        Plots.throughput(history, faults, dir.resolve(THROUGHPUT_PNG));
        Path index = dir.resolve(INDEX);
        Files.writeString(index, HtmlReport.render(summary, LATENCY_PNG, THROUGHPUT_PNG), StandardCharsets.UTF_8);
        return index;
    }
}
