package io.basalt.chaos.report;

import com.google.gson.GsonBuilder;
import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Verdict;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did and what the checkers found, computed once from the history: the content of
 * {@code summary.json}, {@code summary.txt} and the top of the HTML report.
 *
 * @param run what was run and how to replay it
 * @param verdict every checker's verdict combined ({@link Verdict#and}); UNKNOWN when no checker ran
 * @param phases each phase's duration and throughput
 * @param operations operations by outcome (OK, FAIL, INFO)
 * @param operationsByFn operations by kind, then by outcome
 * @param results each checker's result, anomalies included
 * @param faults when each fault was in effect
 * @param unavailability per fault, the longest stretch without an OK completion
 */
public record RunSummary(RunInfo run, Verdict verdict, List<PhaseStats> phases, Map<Op.Type, Long> operations,
                         Map<Op.Fn, Map<Op.Type, Long>> operationsByFn, List<CheckResult> results,
                         List<FaultWindow> faults, List<Unavailability> unavailability) {

    /**
     * @param name the run's name (also its report folder's)
     * @param seed the seed every random choice came from
     * @param backend "local", "netns", ...
     * @param nemeses the nemeses' names
     * @param workload the workload's name
     * @param replay a command line that runs this again from the same seed
     */
    public record RunInfo(String name, long seed, String backend, List<String> nemeses, String workload, String replay) {
        public RunInfo {
            nemeses = List.copyOf(nemeses);
        }
    }

    /** A phase of the run (setup, workload, recovery, final reads) on the history's clock. */
    public record Phase(String name, long startNanos, long endNanos) {}

    /**
     * @param completed operations completed in the phase (any outcome)
     * @param ok of those, OK ones
     * @param opsPerSecond completed per second
     * @param okPerSecond OK per second
     */
    public record PhaseStats(String name, long startNanos, long endNanos, double durationSeconds, long completed, long ok,
                             double opsPerSecond, double okPerSecond) {}

    /**
     * From a fault's start until the next fault (or the end of the history): the longest time
     * without any OK completion, where it was, and how many OK completions there were.
     */
    public record Unavailability(FaultWindow fault, long fromNanos, long toNanos, long longestGapNanos,
                                 long gapStartNanos, long gapEndNanos, long okOperations) {

        public double longestGapSeconds() { return longestGapNanos / 1e9; }
    }

    public RunSummary {
        phases = List.copyOf(phases);
        results = List.copyOf(results);
        faults = List.copyOf(faults);
        unavailability = List.copyOf(unavailability);
    }

    public static RunSummary compute(RunInfo run, List<Phase> phases, History history, List<FaultWindow> faults,
                                     List<CheckResult> results) {
        List<Operation> ops = history.operations();
        Map<Op.Type, Long> byType = new EnumMap<>(Op.Type.class);
        for (Op.Type t : List.of(Op.Type.OK, Op.Type.FAIL, Op.Type.INFO)) {
            byType.put(t, 0L);
        }
        Map<Op.Fn, Map<Op.Type, Long>> byFn = new EnumMap<>(Op.Fn.class);
        for (Operation o : ops) {
            byType.merge(o.outcome(), 1L, Long::sum);
            byFn.computeIfAbsent(o.f(), f -> new EnumMap<>(Op.Type.class)).merge(o.outcome(), 1L, Long::sum);
        }
        Verdict verdict = results.isEmpty() ? Verdict.UNKNOWN : Verdict.VALID;
        for (CheckResult r : results) {
            verdict = verdict.and(r.verdict());
        }
        List<PhaseStats> stats = new ArrayList<>();
        for (Phase p : phases) {
            stats.add(phaseStats(p, ops));
        }
        return new RunSummary(run, verdict, stats, byType, byFn, results, faults, unavailability(ops, faults));
    }

    private static PhaseStats phaseStats(Phase p, List<Operation> ops) {
        long completed = 0;
        long ok = 0;
        for (Operation o : ops) {
            if (o.completion() != null && o.completion().nanos() >= p.startNanos() && o.completion().nanos() < p.endNanos()) {
                completed++;
                if (o.ok()) {
                    ok++;
                }
            }
        }
        double seconds = Math.max(0, p.endNanos() - p.startNanos()) / 1e9;
        return new PhaseStats(p.name(), p.startNanos(), p.endNanos(), seconds, completed, ok,
            seconds == 0 ? 0 : completed / seconds, seconds == 0 ? 0 : ok / seconds);
    }

    static List<Unavailability> unavailability(List<Operation> ops, List<FaultWindow> faults) {
        List<Long> okTimes = new ArrayList<>();
        long historyEnd = 0;
        for (Operation o : ops) {
            if (o.completion() != null) {
                historyEnd = Math.max(historyEnd, o.completion().nanos());
                if (o.ok()) {
                    okTimes.add(o.completion().nanos());
                }
            }
            historyEnd = Math.max(historyEnd, o.startNanos());
        }
        okTimes.sort(null);
        List<FaultWindow> sorted = new ArrayList<>(faults);
        sorted.sort(Comparator.comparingLong(FaultWindow::startNanos));
        List<Unavailability> result = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            FaultWindow f = sorted.get(i);
            long from = f.startNanos();
            long to = Math.max(from, i + 1 < sorted.size() ? sorted.get(i + 1).startNanos() : Math.max(historyEnd, f.endNanos()));
            long previous = from;
            long longest = 0;
            long gapStart = from;
            long gapEnd = from;
            long okCount = 0;
            for (long t : okTimes) {
                if (t < from || t > to) {
                    continue;
                }
                okCount++;
                if (t - previous > longest) {
                    longest = t - previous;
                    gapStart = previous;
                    gapEnd = t;
                }
                previous = t;
            }
            if (to - previous > longest) {
                longest = to - previous;
                gapStart = previous;
                gapEnd = to;
            }
            result.add(new Unavailability(f, from, to, longest, gapStart, gapEnd, okCount));
        }
        return result;
    }

    /** Operations of any outcome. */
    public long totalOperations() {
        return operations.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code summary.json}: this record as indented JSON. */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create().toJson(this);
    }
}
