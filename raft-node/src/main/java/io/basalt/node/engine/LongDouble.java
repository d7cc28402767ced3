package io.basalt.node.engine;

import java.math.BigInteger;

/**
 * An x87 80-bit extended-precision number ("long double" on x86-64 Linux, where Redis computes
 * INCRBYFLOAT): 64-bit significand, exponent range down to subnormals at 2^-16445, overflow at
 * 2^16384, round-half-even. Only what INCRBYFLOAT needs: parse as glibc's {@code strtold} inside
 * Redis's {@code string2ld}, add, and print as {@code "%.17Lf"} with trailing zeros removed
 * ({@code ld2string}'s human-friendly mode). Exact arithmetic on BigInteger, then one rounding,
 * which is what the hardware does; so "10.5" + "0.1" prints "10.6" as in Redis, where doubles
 * would print 10.59999999999999964.
 *
 * <p>A finite value is {@code (negative ? -1 : 1) × mantissa × 2^exponent} with
 * {@code mantissa < 2^64}.
 */
final class LongDouble {

    private static final int MANTISSA_BITS = 64;
    /** Weight of the last bit of the smallest subnormal: 2^(-16382 - 63). */
    private static final int EXPONENT_MIN = -16445;
    /** Values of 2^16384 or more overflow to infinity. */
    private static final int MAGNITUDE_LIMIT_BITS = 16384;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are not valid floats. */
    static final int INPUT_CHARS_MAX = 5 * 1024;
    /** Decimal exponents beyond these surely overflow / underflow (LDBL_MAX ≈ 1.19e4932, min subnormal ≈ 3.6e-4951). */
    private static final long DECIMAL_MAGNITUDE_MAX = 4933;
    private static final long DECIMAL_MAGNITUDE_MIN = -4952;
    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);

    final boolean negative;
    final BigInteger mantissa;
    final long exponent;
    final boolean infinite;
    final boolean nan;

    private LongDouble(boolean negative, BigInteger mantissa, long exponent, boolean infinite, boolean nan) {
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
        this.infinite = infinite;
        this.nan = nan;
    }

    static LongDouble of(long v) {
        BigInteger m = BigInteger.valueOf(v).abs();
        return new LongDouble(v < 0, m, 0, false, false);
    }

    boolean isFinite() {
        return !infinite && !nan;
    }

    // ---- rounding --------------------------------------------------------------------------

    /**
     * Rounds {@code m × 2^e} (plus a little more when {@code sticky}: the true value had bits
     * below m's last bit) to long double precision.
     */
    private static LongDouble round(boolean negative, BigInteger m, long e, boolean sticky) {
        if (m.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false, false);
        }
        long shift = Math.max(m.bitLength() - MANTISSA_BITS, EXPONENT_MIN - e);
        if (shift > 0) {
            m = shiftRightRounded(m, shift, sticky);
            e += shift;
            if (m.bitLength() > MANTISSA_BITS) { // rounding carried into a 65th bit
                m = m.shiftRight(1);
                e++;
            }
        } else if (sticky) {
            throw new IllegalStateException("inexact value without room to round");
        }
        if (m.signum() != 0 && m.bitLength() + e > MAGNITUDE_LIMIT_BITS) {
            return new LongDouble(negative, null, 0, true, false);
        }
        return new LongDouble(negative, m, m.signum() == 0 ? 0 : e, false, false);
    }

    /** m / 2^shift rounded half to even; {@code sticky} marks a nonzero remainder below m. */
    private static BigInteger shiftRightRounded(BigInteger m, long shift, boolean sticky) {
        if (shift > m.bitLength() + 1L) {
            return BigInteger.ZERO; // below half of the last bit
        }
        int s = (int) shift;
        BigInteger q = m.shiftRight(s);
        boolean half = m.testBit(s - 1);
        boolean below = sticky || (m.getLowestSetBit() < s - 1);
        if (half && (below || q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        return q;
    }

    // ---- arithmetic ------------------------------------------------------------------------

    LongDouble add(LongDouble o) {
        if (nan || o.nan) {
            return nanValue();
        }
        if (infinite || o.infinite) {
            if (infinite && o.infinite && negative != o.negative) {
                return nanValue();
            }
            return infinite ? this : o;
        }
        if (mantissa.signum() == 0 && o.mantissa.signum() == 0) {
            return new LongDouble(negative && o.negative, BigInteger.ZERO, 0, false, false);
        }
        long e = Math.min(exponent, o.exponent);
        BigInteger a = mantissa.shiftLeft((int) (exponent - e));
        BigInteger b = o.mantissa.shiftLeft((int) (o.exponent - e));
        BigInteger sum = (negative ? a.negate() : a).add(o.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return new LongDouble(false, BigInteger.ZERO, 0, false, false); // x + (-x) is +0
        }
        return round(sum.signum() < 0, sum.abs(), e, false);
    }

    private static LongDouble nanValue() {
        return new LongDouble(false, null, 0, false, true);
    }

    // ---- parsing (string2ld) -----------------------------------------------------------------

    /**
     * Parses as Redis's string2ld: the whole input must be one number as strtold reads it
     * (decimal, hexadecimal "0x...p...", "inf"/"infinity"), no leading space, not NaN, not a
     * value that overflows or underflows to zero. Returns null when invalid.
     */
    static LongDouble parse(byte[] s, int len) {
        if (len == 0 || len >= INPUT_CHARS_MAX || isCSpace(s[0])) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '+' || s[0] == '-') {
            negative = s[0] == '-';
            i++;
        }
        if (equalsIgnoreCase(s, i, len, "inf") || equalsIgnoreCase(s, i, len, "infinity")) {
            return new LongDouble(negative, null, 0, true, false);
        }
        LongDouble v;
        if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            v = parseHex(s, i + 2, len, negative);
        } else {
            v = parseDecimal(s, i, len, negative);
        }
        if (v == null || v.infinite) {
            return null; // malformed, or ERANGE with HUGE_VAL
        }
        return v;
    }

    private static LongDouble parseDecimal(byte[] s, int i, int len, boolean negative) {
        StringBuilder digits = new StringBuilder();
        long fractionDigits = 0;
        boolean anyDigit = false;
        for (; i < len && isDigit(s[i]); i++) {
            digits.append((char) s[i]);
            anyDigit = true;
        }
        if (i < len && s[i] == '.') {
            i++;
            for (; i < len && isDigit(s[i]); i++) {
                digits.append((char) s[i]);
                fractionDigits++;
                anyDigit = true;
            }
        }
        if (!anyDigit) {
            return null;
        }
        long exp10 = 0;
        if (i < len && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            long[] parsed = new long[1];
            i = parseExponent(s, i, len, parsed);
            if (i < 0) {
                return null;
            }
            exp10 = parsed[0];
        }
        if (i != len) {
            return null;
        }
        BigInteger d = new BigInteger(digits.toString());
        if (d.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false, false);
        }
        exp10 -= fractionDigits;
        long magnitude = d.toString().length() + exp10; // value < 10^magnitude
        if (magnitude > DECIMAL_MAGNITUDE_MAX) {
            return null;
        }
        if (magnitude < DECIMAL_MAGNITUDE_MIN) {
            return null; // underflows to zero
        }
        LongDouble v;
        if (exp10 >= 0) {
            v = round(negative, d.multiply(BigInteger.TEN.pow((int) exp10)), 0, false);
        } else {
            BigInteger divisor = BigInteger.TEN.pow((int) -exp10);
            int s2 = Math.max(0, divisor.bitLength() - d.bitLength() + MANTISSA_BITS + 2);
            BigInteger[] qr = d.shiftLeft(s2).divideAndRemainder(divisor);
            v = round(negative, qr[0], -s2, qr[1].signum() != 0);
        }
        return v.isZero() ? null : v;
    }

    private static LongDouble parseHex(byte[] s, int i, int len, boolean negative) {
        BigInteger h = BigInteger.ZERO;
        long fractionDigits = 0;
        boolean anyDigit = false;
        for (; i < len && hexValue(s[i]) >= 0; i++) {
            h = h.shiftLeft(4).add(BigInteger.valueOf(hexValue(s[i])));
            anyDigit = true;
        }
        if (i < len && s[i] == '.') {
            i++;
            for (; i < len && hexValue(s[i]) >= 0; i++) {
                h = h.shiftLeft(4).add(BigInteger.valueOf(hexValue(s[i])));
                fractionDigits++;
                anyDigit = true;
            }
        }
        if (!anyDigit) {
            return null; // strtold would read just the "0" and stop at the 'x'
        }
        long exp2 = 0;
        if (i < len && (s[i] == 'p' || s[i] == 'P')) {
            i++;
            long[] parsed = new long[1];
            i = parseExponent(s, i, len, parsed);
            if (i < 0) {
                return null;
            }
            exp2 = parsed[0];
        }
        if (i != len) {
            return null;
        }
        if (h.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false, false);
        }
        LongDouble v = round(negative, h, exp2 - 4 * fractionDigits, false);
        return v.isZero() ? null : v;
    }

    /** Reads [+-]digits into out[0] (saturating far beyond any meaningful exponent); returns the next index or -1. */
    private static int parseExponent(byte[] s, int i, int len, long[] out) {
        boolean neg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i >= len || !isDigit(s[i])) {
            return -1;
        }
        long e = 0;
        for (; i < len && isDigit(s[i]); i++) {
            e = Math.min(e * 10 + (s[i] - '0'), 1_000_000_000L);
        }
        out[0] = neg ? -e : e;
        return i;
    }

    private boolean isZero() {
        return !infinite && !nan && mantissa.signum() == 0;
    }

    // ---- formatting (ld2string, LD_STR_HUMAN) ------------------------------------------------

    /** "%.17Lf" without trailing zeros (and without a trailing '.'), "-0" printed as "0". */
    String toHumanString() {
        if (nan) {
            return "nan";
        }
        if (infinite) {
            return negative ? "-inf" : "inf";
        }
        BigInteger scaled;
        if (exponent >= 0) {
            scaled = mantissa.shiftLeft((int) exponent).multiply(TEN_POW_17);
        } else {
            scaled = shiftRightRounded(mantissa.multiply(TEN_POW_17), -exponent, false);
        }
        StringBuilder digits = new StringBuilder(scaled.toString());
        while (digits.length() < 18) {
            digits.insert(0, '0');
        }
        int point = digits.length() - 17;
        int end = digits.length();
        while (end > point && digits.charAt(end - 1) == '0') {
            end--;
        }
        String text = (negative ? "-" : "") + digits.substring(0, point)
                + (end > point ? "." + digits.substring(point, end) : "");
        return text.equals("-0") ? "0" : text;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean equalsIgnoreCase(byte[] s, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int c = s[from + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
