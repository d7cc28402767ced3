package io.basalt.chaos.checker;

import java.util.List;

/**
 * What a checker found.
 *
 * @param checker the checker's name
 * @param verdict valid, invalid or unknown
 * @param operationsChecked completed or indeterminate operations looked at (a vacuous run shows here)
 * @param anomalies what was wrong (empty when valid); may be capped, see {@code detail}
 * @param detail one line for the summary: counts, keys left unknown, time spent
 */
public record CheckResult(String checker, Verdict verdict, long operationsChecked, List<Anomaly> anomalies, String detail) {

    public CheckResult {
        anomalies = List.copyOf(anomalies);
    }

    public boolean valid() { return verdict == Verdict.VALID; }
}
