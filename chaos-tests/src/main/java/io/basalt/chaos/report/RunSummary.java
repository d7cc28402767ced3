package io.basalt.chaos.report;

import com.google.gson.GsonBuilder;
import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Verdict;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import io.basalt.chaos.runner.Availability;
import io.basalt.chaos.runner.RunResult;
import java.util.ArrayList;
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
     * One fault and how long clients went without an OK operation around it, as the runner's
     * {@link Availability} measures it (the drill prints the same figures).
     *
     * @param longestGapNanos the longest stretch without an OK completion; {@link Long#MAX_VALUE}
     *     when no operation completed OK after the fault began
     * @param firstOkAfterNanos the first OK completion after the fault began, or -1
     */
    public record Unavailability(FaultWindow fault, long longestGapNanos, long firstOkAfterNanos) {

        public boolean recovered() { return longestGapNanos != Long.MAX_VALUE; }

        public double longestGapSeconds() { return recovered() ? longestGapNanos / 1e9 : Double.POSITIVE_INFINITY; }
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
        return new RunSummary(run, verdict, stats, byType, byFn, results, faults, unavailability(history, faults));
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

    static List<Unavailability> unavailability(History history, List<FaultWindow> faults) {
        List<Unavailability> result = new ArrayList<>();
        for (Availability.Window w : Availability.of(history.events(), faults)) {
            result.add(new Unavailability(w.fault(), w.unavailableNanos(), w.firstOkAfterNanos()));
        }
        return result;
    }

    /**
     * The summary of a {@link io.basalt.chaos.runner.ChaosRun}'s result. Besides the checkers, the run's own phase
     * checks count: a run whose gate failed (it barely ran) or whose final reads failed (the
     * checkers lacked the final state) is UNKNOWN, and one that served no write after healing is
     * INVALID, so the verdict is VALID exactly when {@link RunResult#valid()} is.
     *
     * @param replay a command line that reruns it from the same seed
     */
    public static RunSummary of(RunResult r, String replay) {
        RunResult.Phases p = r.phases();
        List<Phase> phases = List.of(new Phase("gate", p.gateStart(), p.gateEnd()),
            new Phase("faults", p.faultStart(), p.faultEnd()), new Phase("recovery", p.recoveryStart(), p.recoveryEnd()));
        List<CheckResult> results = new ArrayList<>();
        results.add(new CheckResult("gate", r.gatePassed() ? Verdict.VALID : Verdict.UNKNOWN, 0, List.of(),
            String.format(java.util.Locale.ROOT, "%.1f OK ops/s before any fault (at least %.1f needed)",
                r.gateOpsPerSecond(), r.options().minGateOpsPerSecond())));
        results.add(new CheckResult("recovery", r.recovered() ? Verdict.VALID : Verdict.INVALID, 0, List.of(),
            r.recovered() ? "a write succeeded after healing"
                : "no write succeeded within " + r.options().recoveryDeadline().toSeconds() + " s after healing"));
        results.add(new CheckResult("final-reads", r.finalReadsSucceeded() ? Verdict.VALID : Verdict.UNKNOWN, 0, List.of(),
            r.finalReadsSucceeded() ? "every key read after recovery" : "some key could not be read after recovery"));
        results.addAll(r.checks());
        RunInfo info = new RunInfo(r.name(), r.options().seed(), r.backend(), r.nemeses(), r.workload(), replay);
        RunSummary s = compute(info, phases, r.history(), r.faults(), results);
        if (r.checks().isEmpty() && s.verdict() == Verdict.VALID) {
            // no checker ran: RunResult.valid() is false, and so is this
            s = new RunSummary(s.run(), Verdict.UNKNOWN, s.phases(), s.operations(), s.operationsByFn(), s.results(),
                s.faults(), s.unavailability());
        }
        return s;
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
