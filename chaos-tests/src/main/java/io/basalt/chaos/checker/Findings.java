package io.basalt.chaos.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * The anomalies one checker run found, listed up to a cap (one root cause, say a lost write,
 * can show up in hundreds of later reads; the report needs the first few and the count), and
 * the rule every checker shares for turning them into a {@link CheckResult}.
 */
final class Findings {

    /** How many anomalies a result lists; the detail line gives the total. */
    static final int LISTED_MAX = 20;

    private final List<Anomaly> listed = new ArrayList<>();
    private long total;

    void add(Anomaly anomaly) {
        total++;
        if (listed.size() < LISTED_MAX) {
            listed.add(anomaly);
        }
    }

    long total() { return total; }

    /**
     * @param acknowledged how many operations completed OK: a run where none did checked
     *     nothing, and a run that did nothing cannot pass, so its verdict is UNKNOWN
     * @param otherwise the verdict when no anomaly was found (UNKNOWN when a budget ran out)
     */
    CheckResult result(String checker, long operationsChecked, long acknowledged, Verdict otherwise, String detail) {
        if (total > 0) {
            String listing = total > listed.size() ? " (first " + listed.size() + " listed)" : "";
            return new CheckResult(checker, Verdict.INVALID, operationsChecked, listed,
                total + " anomalies" + listing + "; " + detail);
        }
        if (acknowledged == 0) {
            return new CheckResult(checker, Verdict.UNKNOWN, operationsChecked, List.of(),
                "no operations: nothing was acknowledged, so nothing was checked; " + detail);
        }
        return new CheckResult(checker, otherwise, operationsChecked, List.of(), detail);
    }
}
