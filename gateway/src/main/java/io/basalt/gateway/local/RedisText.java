package io.basalt.gateway.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's own text conversions that only the gateway needs, reproduced where a client can see the
 * difference: the memory-size parser of CONFIG SET ({@code memtoull}), C's {@code strtoll} that a
 * few config parsers use and the human byte sizes of INFO ({@code bytesToHuman}). Java's own
 * parsers accept other inputs ("+1", "007", " 1") and would let clients see a different server.
 * The strict integer parser every command uses ({@code string2ll}) and glob matching
 * ({@code stringmatchlen}) are shared with the engine: {@link io.basalt.router.text.RedisIntegers}
 * and {@link io.basalt.router.text.RedisGlob}.
 */
final class RedisText {
    private RedisText() {}

    /**
     * Redis's {@code memtoull}: digits, then an optional unit b, k, kb, m, mb, g, gb (any case;
     * k = 1000, kb = 1024). The result is an unsigned 64-bit value held in a long (as C's
     * {@code unsigned long long}); digits beyond 2^64-1 saturate to 2^64-1 (-1L) because Redis
     * does not check strtoull's overflow. No digits at all means 0 ("" and "mb" are 0).
     *
     * @return false in {@code ok[0]} when Redis reports "argument must be a memory value"
     */
    static long parseMemory(String p, boolean[] ok) {
        ok[0] = false;
        if (!p.isEmpty() && p.charAt(0) == '-') {
            return 0;
        }
        int u = 0;
        while (u < p.length() && p.charAt(u) >= '0' && p.charAt(u) <= '9') {
            u++;
        }
        String unit = p.substring(u);
        long mul;
        if (unit.isEmpty() || unit.equalsIgnoreCase("b")) {
            mul = 1;
        } else if (unit.equalsIgnoreCase("k")) {
            mul = 1000;
        } else if (unit.equalsIgnoreCase("kb")) {
            mul = 1024;
        } else if (unit.equalsIgnoreCase("m")) {
            mul = 1000L * 1000;
        } else if (unit.equalsIgnoreCase("mb")) {
            mul = 1024L * 1024;
        } else if (unit.equalsIgnoreCase("g")) {
            mul = 1000L * 1000 * 1000;
        } else if (unit.equalsIgnoreCase("gb")) {
            mul = 1024L * 1024 * 1024;
        } else {
            return 0;
        }
        if (u >= 128) { // Redis copies the digits into a 128-byte buffer
            return 0;
        }
        long val = 0;
        for (int i = 0; i < u; i++) {
            int d = p.charAt(i) - '0';
            if (Long.compareUnsigned(val, Long.divideUnsigned(-1L - d, 10)) > 0) {
                val = -1L; // strtoull saturates at ULLONG_MAX
                break;
            }
            val = val * 10 + d;
        }
        if (Long.compareUnsigned(val, Long.divideUnsigned(-1L, mul)) > 0) {
            return 0;
        }
        ok[0] = true;
        return val * mul;
    }

    /**
     * C's {@code strtoll(s, &end, 10)} followed by Redis's usual {@code *end == '\0'} check:
     * leading white space and a sign are accepted, overflow saturates, and a text with no digits
     * parses as 0 only when it is empty. Returns null when the text has trailing garbage.
     */
    static Long strtollWhole(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isCSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long v = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (!overflow) {
                if (v > (Long.MAX_VALUE - d) / 10) {
                    overflow = true;
                } else {
                    v = v * 10 + d;
                }
            }
            i++;
        }
        if (i == digitsStart) {
            // No conversion: strtoll leaves end at the start of the text.
            return s.isEmpty() ? 0L : null;
        }
        if (i != n) {
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -v : v;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /**
     * True when every byte is printable ASCII other than space ('!'..'~'): Redis's rule for client
     * names and library attributes, so that CLIENT LIST stays splittable on spaces.
     */
    static boolean isPrintableNoSpace(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /**
     * Redis's {@code bytesToHuman} of an unsigned 64-bit count: 1023B, 1.00K, 1.42M, ... with C's
     * round-half-even on the exact value; from 1024 P on, the plain number of bytes.
     */
    static String bytesToHuman(long n) {
        if (n < 0) {
            return Long.toUnsignedString(n) + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double scale = 1024;
        for (String unit : units) {
            if (n < scale * 1024) {
                double d = n / scale;
                return new BigDecimal(d).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + unit;
            }
            scale *= 1024;
        }
        return n + "B";
    }

    /** Raw argument bytes as text for names and error messages (UTF-8; commands and options are ASCII). */
    static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }
}
