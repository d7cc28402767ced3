package io.basalt.chaos.report;

import io.basalt.chaos.checker.Anomaly;
import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.Op;
import java.util.Locale;
import java.util.Map;

/** {@code summary.txt}: the summary for a terminal or a CI log, verdict first. */
public final class SummaryText {

    /** Anomalies printed per checker; the JSON and the HTML report have them all. */
    static final int ANOMALIES_SHOWN = 20;
    /** Operations printed per anomaly. */
    static final int OPS_SHOWN = 12;

    private SummaryText() {}

    public static String render(RunSummary s) {
        StringBuilder b = new StringBuilder(4096);
        RunSummary.RunInfo run = s.run();
        b.append("VERDICT: ").append(s.verdict()).append('\n');
        b.append("run ").append(run.name()).append("  seed ").append(run.seed()).append("  backend ").append(run.backend())
            .append("  workload ").append(run.workload()).append("  nemeses ").append(String.join(",", run.nemeses())).append('\n');
        if (run.replay() != null && !run.replay().isBlank()) {
            b.append("replay: ").append(run.replay()).append('\n');
        }
        b.append("\noperations: ").append(s.totalOperations());
        s.operations().forEach((type, n) -> b.append("  ").append(type).append(' ').append(n));
        b.append('\n');
        for (Map.Entry<Op.Fn, Map<Op.Type, Long>> e : s.operationsByFn().entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-13s", e.getKey()));
            e.getValue().forEach((type, n) -> b.append(' ').append(type).append(' ').append(n));
            b.append('\n');
        }
        b.append("\nphases:\n");
        for (RunSummary.PhaseStats p : s.phases()) {
            b.append(String.format(Locale.ROOT, "  %-12s %8.1f s  %8d ops  %9.1f ops/s  %9.1f ok/s%n",
                p.name(), p.durationSeconds(), p.completed(), p.opsPerSecond(), p.okPerSecond()));
        }
        b.append("\nfaults:\n");
        if (s.faults().isEmpty()) {
            b.append("  none\n");
        }
        for (RunSummary.Unavailability u : s.unavailability()) {
            FaultWindow f = u.fault();
            b.append(String.format(Locale.ROOT, "  %8.2f s - %8.2f s  %-18s %s; %s%n",
                seconds(f.startNanos()), seconds(f.endNanos()), f.nemesis(), f.description(),
                u.recovered() ? String.format(Locale.ROOT, "longest without an OK op %.2f s, first OK at %.2f s",
                    u.longestGapSeconds(), seconds(u.firstOkAfterNanos()))
                    : "no OK op after it began"));
        }
        b.append("\ncheckers:\n");
        for (CheckResult r : s.results()) {
            b.append("  ").append(r.checker()).append(": ").append(r.verdict()).append(" (").append(r.operationsChecked())
                .append(" operations) ").append(r.detail() == null ? "" : r.detail()).append('\n');
            int shown = 0;
            for (Anomaly a : r.anomalies()) {
                if (shown++ == ANOMALIES_SHOWN) {
                    b.append("    ... ").append(r.anomalies().size() - ANOMALIES_SHOWN).append(" more in summary.json\n");
                    break;
                }
                b.append("    ").append(a.kind()).append(" on ").append(a.key()).append(": ").append(a.description()).append('\n');
                for (int i = 0; i < a.ops().size() && i < OPS_SHOWN; i++) {
                    b.append("      ").append(describe(a.ops().get(i))).append('\n');
                }
                if (a.ops().size() > OPS_SHOWN) {
                    b.append("      ... ").append(a.ops().size() - OPS_SHOWN).append(" more operations\n");
                }
            }
        }
        return b.toString();
    }

    /** One event as a line: "#12 p3 OK WRITE reg:1 17 @1.234567s (error)". */
    public static String describe(Op op) {
        return String.format(Locale.ROOT, "#%d p%d %s %s %s %s @%.6fs%s", op.index(), op.process(), op.type(), op.f(),
            op.key(), op.value(), op.nanos() / 1e9, op.error() == null ? "" : " (" + op.error() + ")");
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
