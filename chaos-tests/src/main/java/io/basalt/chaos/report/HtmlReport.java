package io.basalt.chaos.report;

import io.basalt.chaos.checker.Anomaly;
import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Verdict;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.Op;
import java.util.Locale;
import java.util.Map;

/**
 * {@code index.html}: one self-contained page (inline CSS, no scripts, no fetched assets) that
 * answers "did it pass, and if not, what exactly went wrong" first, then shows how to replay the
 * run, the faults and the charts. The images and data files sit next to it.
 */
public final class HtmlReport {

    /** Anomalies shown per checker; summary.json has them all. */
    static final int ANOMALIES_SHOWN = 100;
    /** Operations shown per anomaly. */
    static final int OPS_SHOWN = 50;

    private static final String CSS = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1280px;color:#222;padding:0 1em}
        h1.verdict{font-size:4em;margin:.2em 0;letter-spacing:.05em}
        .VALID{color:#2e7d32}.INVALID{color:#c62828}.UNKNOWN{color:#ef8f00}
        table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        pre,code{background:#f6f6f6;font-family:ui-monospace,Menlo,Consolas,monospace}pre{padding:.6em;overflow-x:auto}
        .anomaly{border-left:4px solid #c62828;padding:.2em 1em;margin:1em 0;background:#fff8f8}
        img{max-width:100%;border:1px solid #ddd;margin:.5em 0}.meta{color:#555}
        """;

    private HtmlReport() {}

    /**
     * @param latencyPng file name of the latency chart next to the page
     * @param throughputPng file name of the throughput chart
     */
    public static String render(RunSummary s, String latencyPng, String throughputPng) {
        RunSummary.RunInfo run = s.run();
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .append(esc(run.name())).append(" — ").append(s.verdict()).append("</title><style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1 class=\"verdict ").append(s.verdict()).append("\">").append(s.verdict()).append("</h1>\n");
        b.append("<p class=\"meta\">").append(verdictSentence(s.verdict())).append("</p>\n");
        b.append("<table><tr><th>run</th><td>").append(esc(run.name())).append("</td></tr>")
            .append("<tr><th>seed</th><td><code>").append(run.seed()).append("</code></td></tr>")
            .append("<tr><th>backend</th><td>").append(esc(run.backend())).append("</td></tr>")
            .append("<tr><th>workload</th><td>").append(esc(run.workload())).append("</td></tr>")
            .append("<tr><th>nemeses</th><td>").append(esc(String.join(", ", run.nemeses()))).append("</td></tr>")
            .append("<tr><th>operations</th><td>").append(s.totalOperations());
        s.operations().forEach((t, n) -> b.append(" &nbsp; ").append(t).append(' ').append(n));
        b.append("</td></tr></table>\n");
        if (run.replay() != null && !run.replay().isBlank()) {
            b.append("<h2>Replay</h2><p>The same seed makes the same choices (operations, faults, timing of faults):</p><pre>")
                .append(esc(run.replay())).append("</pre>\n");
        }
        checkers(b, s);
        faults(b, s);
        b.append("<h2>Latency</h2><img src=\"").append(esc(latencyPng)).append("\" alt=\"latency over time\">\n");
        b.append("<h2>Throughput</h2><img src=\"").append(esc(throughputPng)).append("\" alt=\"throughput over time\">\n");
        phases(b, s);
        byFn(b, s);
        b.append("<h2>Data</h2><ul><li><a href=\"").append(ReportWriter.HISTORY).append("\">").append(ReportWriter.HISTORY)
            .append("</a>: every event, one JSON object per line</li><li><a href=\"").append(ReportWriter.SUMMARY_JSON).append("\">")
            .append(ReportWriter.SUMMARY_JSON).append("</a></li><li><a href=\"").append(ReportWriter.SUMMARY_TXT).append("\">")
            .append(ReportWriter.SUMMARY_TXT).append("</a></li></ul>\n</body></html>\n");
        return b.toString();
    }

    private static String verdictSentence(Verdict v) {
        return switch (v) {
            case VALID -> "Every checker found the history consistent.";
            case INVALID -> "A checker found an anomaly: the operations involved are listed below.";
            case UNKNOWN -> "At least one checker could not decide (or none ran): this is not a pass.";
        };
    }

    private static void checkers(StringBuilder b, RunSummary s) {
        b.append("<h2>Checkers</h2><table><tr><th>checker</th><th>verdict</th><th>operations</th><th>anomalies</th><th>detail</th></tr>");
        for (CheckResult r : s.results()) {
            b.append("<tr><td>").append(esc(r.checker())).append("</td><td class=\"").append(r.verdict()).append("\"><b>")
                .append(r.verdict()).append("</b></td><td class=\"num\">").append(r.operationsChecked())
                .append("</td><td class=\"num\">").append(r.anomalies().size()).append("</td><td>").append(esc(r.detail())).append("</td></tr>");
        }
        b.append("</table>\n");
        for (CheckResult r : s.results()) {
            if (r.anomalies().isEmpty()) {
                continue;
            }
            b.append("<h3>Anomalies found by ").append(esc(r.checker())).append("</h3>\n");
            int shown = 0;
            for (Anomaly a : r.anomalies()) {
                if (shown++ == ANOMALIES_SHOWN) {
                    b.append("<p>… and ").append(r.anomalies().size() - ANOMALIES_SHOWN).append(" more in summary.json.</p>\n");
                    break;
                }
                b.append("<div class=\"anomaly\"><p><b>").append(esc(a.kind())).append("</b> on <code>").append(esc(a.key()))
                    .append("</code>: ").append(esc(a.description())).append("</p>");
                ops(b, a);
                b.append("</div>\n");
            }
        }
    }

    private static void ops(StringBuilder b, Anomaly a) {
        if (a.ops().isEmpty()) {
            return;
        }
        b.append("<table><tr><th>#</th><th>process</th><th>type</th><th>f</th><th>key</th><th>value</th><th>time (s)</th><th>error</th></tr>");
        for (int i = 0; i < a.ops().size() && i < OPS_SHOWN; i++) {
            Op op = a.ops().get(i);
            b.append("<tr><td class=\"num\">").append(op.index()).append("</td><td class=\"num\">").append(op.process())
                .append("</td><td class=\"").append(op.type() == Op.Type.OK ? "VALID" : op.type() == Op.Type.FAIL ? "INVALID" : "")
                .append("\">").append(op.type()).append("</td><td>").append(op.f()).append("</td><td><code>").append(esc(op.key()))
                .append("</code></td><td><code>").append(esc(String.valueOf(op.value()))).append("</code></td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.6f", op.nanos() / 1e9)).append("</td><td>").append(esc(op.error())).append("</td></tr>");
        }
        b.append("</table>");
        if (a.ops().size() > OPS_SHOWN) {
            b.append("<p>… ").append(a.ops().size() - OPS_SHOWN).append(" more operations in summary.json.</p>");
        }
    }

    private static void faults(StringBuilder b, RunSummary s) {
        b.append("<h2>Faults</h2>");
        if (s.unavailability().isEmpty()) {
            b.append("<p>No faults were injected.</p>\n");
            return;
        }
        b.append("<table><tr><th>nemesis</th><th>what</th><th>from (s)</th><th>to (s)</th><th>longest without an OK op (s)</th>")
            .append("<th>first OK after it began (s)</th></tr>");
        for (RunSummary.Unavailability u : s.unavailability()) {
            FaultWindow f = u.fault();
            b.append("<tr><td>").append(esc(f.nemesis())).append("</td><td>").append(esc(f.description())).append("</td><td class=\"num\">")
                .append(secs(f.startNanos())).append("</td><td class=\"num\">").append(secs(f.endNanos())).append("</td><td class=\"num\"><b>")
                .append(u.recovered() ? secs(u.longestGapNanos()) : "never recovered").append("</b></td><td class=\"num\">")
                .append(u.firstOkAfterNanos() < 0 ? "none" : secs(u.firstOkAfterNanos())).append("</td></tr>");
        }
        b.append("</table>\n");
    }

    private static void phases(StringBuilder b, RunSummary s) {
        if (s.phases().isEmpty()) {
            return;
        }
        b.append("<h2>Phases</h2><table><tr><th>phase</th><th>duration (s)</th><th>completed</th><th>OK</th><th>ops/s</th><th>OK/s</th></tr>");
        for (RunSummary.PhaseStats p : s.phases()) {
            b.append("<tr><td>").append(esc(p.name())).append("</td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.2f", p.durationSeconds())).append("</td><td class=\"num\">").append(p.completed())
                .append("</td><td class=\"num\">").append(p.ok()).append("</td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.1f", p.opsPerSecond())).append("</td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.1f", p.okPerSecond())).append("</td></tr>");
        }
        b.append("</table>\n");
    }

    private static void byFn(StringBuilder b, RunSummary s) {
        b.append("<h2>Operations</h2><table><tr><th>f</th><th>OK</th><th>FAIL</th><th>INFO</th></tr>");
        for (Map.Entry<Op.Fn, Map<Op.Type, Long>> e : s.operationsByFn().entrySet()) {
            b.append("<tr><td>").append(e.getKey()).append("</td>");
            for (Op.Type t : new Op.Type[] {Op.Type.OK, Op.Type.FAIL, Op.Type.INFO}) {
                b.append("<td class=\"num\">").append(e.getValue().getOrDefault(t, 0L)).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table>\n");
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    /** HTML-escapes text from the run (keys, error lines, descriptions): none of it is markup. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
