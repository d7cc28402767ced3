package io.basalt.cli.admin;

import java.util.Locale;

/**
 * Sorted-set scores as text for ZADD, the way Redis writes doubles when it must keep them
 * exact: 17 significant digits (enough for any double to read back bit for bit), and
 * {@code inf} / {@code -inf}. A score is never NaN in Redis.
 */
final class ScoreFormat {

    private ScoreFormat() {
    }

    static String format(double score) {
        if (score == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (score == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted-set score is NaN");
        }
        if (score == Math.rint(score) && Math.abs(score) < 1e17) {
            // integral scores (the common case) as plain integers, which also keeps -0.0 as "-0"
            return (score == 0 && 1 / score < 0) ? "-0" : Long.toString((long) score);
        }
        return String.format(Locale.ROOT, "%.17g", score);
    }
}
