package io.basalt.router.text;

import java.nio.charset.StandardCharsets;

/**
 * Integer text conversions with Redis's exact rules ({@code string2ll}, {@code ll2string} in
 * util.c): the one integer parser for every command argument and stored value, in the engine and
 * in the gateway alike. Java's own parsers accept other inputs ("+1", "007", " 1", "-0") and would
 * let clients see a different server. Bounded: a text longer than any long's decimal form is
 * refused without a look, as Redis does. The primitive forms do not allocate: results go to a
 * caller-owned one-element array.
 */
public final class RedisIntegers {
    private RedisIntegers() {}

    /** Longest decimal form of a long ("-9223372036854775808"); Redis's LONG_STR_SIZE less its NUL. */
    public static final int LONG_DIGITS_MAX = 20;

    /**
     * Redis's {@code string2ll}: an optional '-', then digits with no leading zero (or exactly
     * "0"), nothing else (no '+', no spaces, not "-0"), fitting a signed 64-bit integer.
     *
     * @return true and {@code out[0]} set when {@code s[0, len)} is such a number
     */
    public static boolean string2ll(byte[] s, int len, long[] out) {
        if (len == 0 || len > LONG_DIGITS_MAX) {
            return false;
        }
        if (len == 1 && s[0] == '0') {
            out[0] = 0;
            return true;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '-') {
            negative = true;
            i++;
            if (i == len) {
                return false;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        // Accumulate as a negative number: its range includes Long.MIN_VALUE.
        long acc = -(s[i++] - '0');
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (acc < Long.MIN_VALUE / 10) {
                return false;
            }
            acc *= 10;
            if (acc < Long.MIN_VALUE + d) {
                return false;
            }
            acc -= d;
        }
        if (negative) {
            out[0] = acc;
            return true;
        }
        if (acc == Long.MIN_VALUE) {
            return false;
        }
        out[0] = -acc;
        return true;
    }

    /** {@link #string2ll(byte[], int, long[])} over the whole array. */
    public static boolean string2ll(byte[] s, long[] out) {
        return string2ll(s, s.length, out);
    }

    /** Redis's {@code string2ll} over the whole array; null when Redis would refuse the text. */
    public static Long parse(byte[] s) {
        long[] out = new long[1];
        return string2ll(s, out) ? out[0] : null;
    }

    /** {@link #parse(byte[])} on the text's UTF-8 bytes. */
    public static Long parse(String s) {
        return parse(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the decimal form of {@code v} at the start of {@code buf} (>= 20 bytes); returns its length. */
    public static int ll2string(long v, byte[] buf) {
        int n = digits(v);
        int pos = n;
        // Work on the negative value so that Long.MIN_VALUE needs no special case.
        long neg = v < 0 ? v : -v;
        do {
            buf[--pos] = (byte) ('0' - (int) (neg % 10));
            neg /= 10;
        } while (neg != 0);
        if (v < 0) {
            buf[0] = '-';
        }
        return n;
    }

    /** Length of the decimal form of {@code v}, sign included. */
    public static int digits(long v) {
        int n = v < 0 ? 2 : 1;
        long neg = v < 0 ? v : -v;
        while (neg <= -10) {
            neg /= 10;
            n++;
        }
        return n;
    }

    /**
     * Redis's parseScanCursorOrReply (strtoul): an optional sign ("-1" wraps to 2^64-1), an empty
     * string or one without digits is 0, no leading white space, nothing after the digits,
     * overflow refused. Returns null when Redis would answer "ERR invalid cursor". One parser for the engine's
     * SCAN/HSCAN/SSCAN/ZSCAN and the gateway's cross-shard SCAN cursor.
     */
    public static Long parseScanCursor(byte[] s) {
        int i = 0;
        if (s.length > 0 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))) {
            return null;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        int firstDigit = i;
        long v = 0;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            int d = s[i] - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return null; // ERANGE
            }
            v = v * 10 + d;
        }
        if (i == firstDigit) {
            i = 0; // strtoul consumed nothing
            v = 0;
        }
        if (i != s.length && s[i] != 0) { // strtoul stops at a C string's end, a NUL
            return null;
        }
        return negative ? -v : v;
    }
}
