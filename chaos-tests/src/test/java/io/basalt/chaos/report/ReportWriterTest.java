package io.basalt.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.basalt.chaos.checker.Anomaly;
import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Verdict;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.HistoryFile;
import io.basalt.chaos.history.Op;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Writes a whole report for a synthetic run with two faults and checks every file. */
class ReportWriterTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final long SECOND = 1_000_000_000L;
    private static final FaultWindow KILL = new FaultWindow("kill-leader", "killed n2 (leader)", 3 * SECOND, 5 * SECOND);
    private static final FaultWindow PARTITION = new FaultWindow("partition-leader", "{n1} | {n2, n3}", 7 * SECOND, 8 * SECOND);

    @Test
    void writesAReportWhoseFilesAllOpenAndSayWhatWentWrong() throws Exception {
        long seed = Long.getLong("chaos.seed", 42L);
        System.out.println("seed " + seed + " (rerun with -Dchaos.seed=" + seed + ")");
        History history = syntheticHistory(new Random(seed));
        List<FaultWindow> faults = List.of(KILL, PARTITION);
        List<Op> events = history.events();
        Op staleRead = events.stream().filter(o -> o.type() == Op.Type.OK && o.f() == Op.Fn.READ).findFirst().orElseThrow();
        Anomaly anomaly = new Anomaly("nonlinearizable", "reg:0", "read saw <stale> value & nothing newer",
            List.of(events.get(0), staleRead));
        List<CheckResult> results = List.of(
            new CheckResult("linearizable-register", Verdict.INVALID, 1234, List.of(anomaly), "1 of 4 keys invalid"),
            new CheckResult("counter", Verdict.VALID, 99, List.of(), "bounds hold"));
        RunSummary.RunInfo run = new RunSummary.RunInfo("register-kill-" + seed, seed, "local",
            List.of("kill-leader", "partition-leader"), "register", "bin/basalt drill --workload register --seed " + seed);
        long end = events.get(events.size() - 1).nanos();
        RunSummary summary = RunSummary.compute(run,
            List.of(new RunSummary.Phase("workload", 0, 10 * SECOND), new RunSummary.Phase("final-reads", 10 * SECOND, end + 1)),
            history, faults, results);
        Path dir = Path.of("target", "report-test", run.name());

        Path index = ReportWriter.write(dir, history, faults, summary);

        assertEquals(dir.resolve("index.html"), index);
        for (String f : List.of(ReportWriter.INDEX, ReportWriter.HISTORY, ReportWriter.SUMMARY_JSON, ReportWriter.SUMMARY_TXT,
                                ReportWriter.LATENCY_PNG, ReportWriter.THROUGHPUT_PNG)) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        for (String png : List.of(ReportWriter.LATENCY_PNG, ReportWriter.THROUGHPUT_PNG)) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertNotNull(image, png + " decodes");
            assertEquals(Plots.WIDTH, image.getWidth(), png);
            assertEquals(Plots.HEIGHT, image.getHeight(), png);
        }
        assertTrue(GraphicsEnvironment.isHeadless());

        String html = Files.readString(index);
        assertTrue(html.contains("<h1 class=\"verdict INVALID\">INVALID</h1>"), "verdict up top");
        assertTrue(html.contains("read saw &lt;stale&gt; value &amp; nothing newer"), "anomaly text, escaped");
        assertFalse(html.contains("<stale>"));
        assertTrue(html.contains("bin/basalt drill --workload register --seed " + seed), "replay command");
        assertTrue(html.contains("killed n2 (leader)") && html.contains("{n1} | {n2, n3}"), "fault windows");
        assertTrue(html.contains("src=\"latency.png\"") && html.contains("href=\"history.jsonl\"") && html.contains("href=\"summary.json\""));
        assertTrue(html.contains("<td class=\"num\">" + staleRead.index() + "</td>"), "the anomaly's operations");

        String text = Files.readString(dir.resolve(ReportWriter.SUMMARY_TXT));
        assertTrue(text.startsWith("VERDICT: INVALID"), text);
        assertTrue(text.contains("nonlinearizable on reg:0"), text);

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve(ReportWriter.SUMMARY_JSON))).getAsJsonObject();
        assertEquals("INVALID", json.get("verdict").getAsString());
        assertEquals(seed, json.getAsJsonObject("run").get("seed").getAsLong());
        assertEquals(2, json.getAsJsonArray("unavailability").size());
        assertEquals("read saw <stale> value & nothing newer", json.getAsJsonArray("results").get(0).getAsJsonObject()
            .getAsJsonArray("anomalies").get(0).getAsJsonObject().get("description").getAsString());

        HistoryFile.Contents back = HistoryFile.read(dir.resolve(ReportWriter.HISTORY));
        assertEquals(events, back.history().events());
        assertEquals(faults, back.faults());
    }

    /**
     * No operation invoked during a fault completes OK: the longest stretch runs from the last OK
     * completion before the fault's end (an operation invoked before it) to the first OK after.
     * A fault after the last OK operation never recovered.
     */
    @Test
    void unavailabilityIsTheLongestStretchWithoutAnOkOperation() throws Exception {
        History history = syntheticHistory(new Random(7));
        FaultWindow late = new FaultWindow("pause-random", "paused n3", 20 * SECOND, 21 * SECOND);
        RunSummary summary = RunSummary.compute(new RunSummary.RunInfo("u", 7, "local", List.of(), "register", ""),
            List.of(), history, List.of(KILL, PARTITION, late), List.of());
        List<RunSummary.Unavailability> u = summary.unavailability();

        long firstOkAfterKill = okTimes(history).filter(t -> t >= KILL.endNanos()).min().orElseThrow();
        long lastOkBeforeKillEnd = okTimes(history).filter(t -> t < KILL.endNanos()).max().orElseThrow();
        assertTrue(lastOkBeforeKillEnd >= KILL.startNanos(), "operations invoked before the fault complete in it");
        assertEquals(firstOkAfterKill - lastOkBeforeKillEnd, u.get(0).longestGapNanos());
        assertEquals(okTimes(history).filter(t -> t >= KILL.startNanos()).min().orElseThrow(), u.get(0).firstOkAfterNanos());
        assertTrue(u.get(1).longestGapNanos() >= SECOND * 9 / 10);
        assertFalse(u.get(2).recovered());
        assertEquals(-1, u.get(2).firstOkAfterNanos());

        Path index = ReportWriter.write(Path.of("target", "report-test", "never-recovered"), history, List.of(KILL, PARTITION, late), summary);
        assertTrue(Files.readString(index).contains("never recovered"));
        assertTrue(Files.readString(index.resolveSibling(ReportWriter.SUMMARY_TXT)).contains("paused n3; no OK op after it began"));
    }

    private static java.util.stream.LongStream okTimes(History history) {
        return history.operations().stream().filter(o -> o.ok()).mapToLong(o -> o.completion().nanos());
    }

    @Test
    void aRunWithoutCheckersOrFaultsIsUnknownAndStillRenders() throws Exception {
        History history = History.of(List.of());
        RunSummary summary = RunSummary.compute(new RunSummary.RunInfo("empty", 1, "local", List.of(), "set", null),
            List.of(), history, List.of(), List.of());
        Path index = ReportWriter.write(Path.of("target", "report-test", "empty"), history, List.of(), summary);

        assertEquals(Verdict.UNKNOWN, summary.verdict());
        assertTrue(Files.readString(index).contains(">UNKNOWN</h1>"));
        assertNotNull(ImageIO.read(index.resolveSibling(ReportWriter.LATENCY_PNG).toFile()));
    }

    /**
     * Ten seconds of register operations by four processes, then final reads: operations
     * complete OK within a few ms, except that during a fault writes end INFO and reads FAIL
     * after a long wait, and a process retires after INFO.
     */
    static History syntheticHistory(Random random) {
        List<Op> events = new ArrayList<>();
        long value = 1;
        for (int thread = 0; thread < 4; thread++) {
            int process = thread;
            long t = random.nextInt(1_000_000);
            while (t < 10 * SECOND) {
                boolean read = random.nextBoolean();
                Op.Fn f = read ? Op.Fn.READ : random.nextBoolean() ? Op.Fn.WRITE : Op.Fn.SWAP;
                String key = "reg:" + random.nextInt(4);
                Long arg = read ? null : value++;
                boolean faulty = inside(t, KILL) || inside(t, PARTITION);
                long latency = faulty ? 200_000_000L + random.nextInt(300_000_000) : 500_000 + random.nextInt(5_000_000);
                events.add(new Op(0, process, Op.Type.INVOKE, f, key, arg, t, null));
                if (!faulty) {
                    events.add(new Op(0, process, Op.Type.OK, f, key, read ? (Long) (long) random.nextInt(100) : arg, t + latency, null));
                } else if (read) {
                    events.add(new Op(0, process, Op.Type.FAIL, f, key, null, t + latency, "CLUSTERDOWN no leader"));
                } else {
                    events.add(new Op(0, process, Op.Type.INFO, f, key, null, t + latency, "UNCERTAIN timed out"));
                    process += 4;
                }
                t += latency + random.nextInt(2_000_000);
            }
        }
        long t = 10 * SECOND + SECOND / 10;
        for (int k = 0; k < 4; k++) {
            events.add(new Op(0, 100, Op.Type.INVOKE, Op.Fn.READ, "reg:" + k, null, t, null));
            events.add(new Op(0, 100, Op.Type.OK, Op.Fn.READ, "reg:" + k, (long) k, t + 1_000_000, null));
            t += 2_000_000;
        }
        events.sort(Comparator.comparingLong(Op::nanos));
        List<Op> indexed = new ArrayList<>(events.size());
        for (Op o : events) {
            indexed.add(new Op(indexed.size(), o.process(), o.type(), o.f(), o.key(), o.value(), o.nanos(), o.error()));
        }
        return History.of(indexed);
    }

    private static boolean inside(long t, FaultWindow f) {
        return t >= f.startNanos() && t < f.endNanos();
    }
}
