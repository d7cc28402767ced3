package io.basalt.cli.admin;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Sorted-set scores as text for ZADD, as Redis writes doubles when they must stay exact: C's
 * {@code %.17g} (17 significant digits, enough for any double to read back bit for bit,
 * trailing zeros dropped, exponent form below 1e-4 and from 1e17), and {@code inf} /
 * {@code -inf}. Java's own {@code %.17g} is not the same: it pads the shortest decimal with
 * zeros ("0.10000000000000000" where C gives "0.10000000000000001").
 */
final class ScoreFormat {

    private static final int DIGITS = 17;
    private static final MathContext SEVENTEEN = new MathContext(DIGITS, RoundingMode.HALF_EVEN);

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
        if (score == 0) {
            return 1 / score < 0 ? "-0" : "0";
        }
        // the double's exact binary value, rounded once to 17 digits, as printf does
        BigDecimal rounded = new BigDecimal(score).round(SEVENTEEN).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= DIGITS) {
            String digits = rounded.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (rounded.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            return sb.append(abs).toString();
        }
        return rounded.toPlainString();
    }
}
