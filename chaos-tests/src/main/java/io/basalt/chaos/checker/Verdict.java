package io.basalt.chaos.checker;

/** A checker's answer. */
public enum Verdict {
    /** the property holds for the whole history */
    VALID,
    /** an anomaly was found: the result names the operations involved */
    INVALID,
    /** the checker ran out of its time or search budget before deciding; never counts as a pass */
    UNKNOWN;

    /** Combines per-key or per-checker verdicts: any INVALID wins, then any UNKNOWN. */
    public Verdict and(Verdict other) {
        if (this == INVALID || other == INVALID) {
            return INVALID;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : VALID;
    }
}
