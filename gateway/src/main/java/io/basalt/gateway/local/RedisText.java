package io.basalt.gateway.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's own text conversions, reproduced where a client can see the difference: the strict
 * integer parser every command uses ({@code string2ll}), the memory-size parser of CONFIG SET
 * ({@code memtoull}), C's {@code strtoll} that a few config parsers use, glob matching
 * ({@code stringmatchlen}) and the human byte sizes of INFO ({@code bytesToHuman}). Java's own
 * parsers accept other inputs ("+1", "007", " 1") and would let clients see a different server.
 */
final class RedisText {
    private RedisText() {}

    /** Longest decimal a 64-bit integer can need ("-9223372036854775808"), as Redis bounds it. */
    private static final int LONG_STR_SIZE = 21;

    /**
     * Redis's {@code string2ll}: an optional '-', then digits with no leading zero (except "0"
     * itself), nothing else, no overflow. Returns null when Redis would refuse the text.
     */
    static Long parseLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > LONG_STR_SIZE) {
            return null;
        }
        if (len == 1 && s[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '-') {
            negative = true;
            i++;
            if (i == len) {
                return null;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return null;
        }
        // Accumulate as a negative number so that Long.MIN_VALUE fits.
        long v = 0;
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }

    static Long parseLong(String s) {
        return parseLong(s.getBytes(StandardCharsets.UTF_8));
    }

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

    /**
     * Redis's glob match ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]},
     * {@code [^a-z]}, and {@code \} escapes. Done with one backtracking point per star instead of
     * Redis's recursion, so a hostile pattern costs O(pattern × text), not exponential time.
     */
    static boolean globMatch(String pattern, String text, boolean nocase) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                while (p < pattern.length() && pattern.charAt(p) == '*') {
                    p++;
                }
                if (p == pattern.length()) {
                    return true;
                }
                starP = p;
                starT = t;
                continue;
            }
            int next = p < pattern.length() ? matchOne(pattern, p, text.charAt(t), nocase) : -1;
            if (next >= 0) {
                p = next;
                t++;
            } else if (starP >= 0) {
                p = starP;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Matches one text char against the pattern element at p; returns the next pattern index or -1. */
    private static int matchOne(String pat, int p, char c, boolean nocase) {
        char pc = pat.charAt(p);
        if (pc == '?') {
            return p + 1;
        }
        if (pc == '[') {
            return matchClass(pat, p + 1, c, nocase);
        }
        if (pc == '\\' && p + 1 < pat.length()) {
            p++;
            pc = pat.charAt(p);
        }
        return same(pc, c, nocase) ? p + 1 : -1;
    }

    /** A [...] class starting after the '['; an unclosed class runs to the end of the pattern, as in Redis. */
    private static int matchClass(String pat, int p, char c, boolean nocase) {
        boolean not = p < pat.length() && pat.charAt(p) == '^';
        if (not) {
            p++;
        }
        boolean match = false;
        while (p < pat.length() && pat.charAt(p) != ']') {
            char pc = pat.charAt(p);
            if (pc == '\\' && p + 1 < pat.length()) {
                p++;
                match |= same(pat.charAt(p), c, nocase);
            } else if (p + 2 < pat.length() && pat.charAt(p + 1) == '-') {
                char start = pc;
                char end = pat.charAt(p + 2);
                if (start > end) {
                    char tmp = start;
                    start = end;
                    end = tmp;
                }
                char cc = c;
                if (nocase) {
                    start = Character.toLowerCase(start);
                    end = Character.toLowerCase(end);
                    cc = Character.toLowerCase(c);
                }
                p += 2;
                match |= cc >= start && cc <= end;
            } else {
                match |= same(pc, c, nocase);
            }
            p++;
        }
        if (not) {
            match = !match;
        }
        // p is at ']' or at the end of an unclosed class.
        return match ? Math.min(p + 1, pat.length()) : -1;
    }

    private static boolean same(char a, char b, boolean nocase) {
        return a == b || (nocase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }

    /** Raw argument bytes as text for names and error messages (UTF-8; commands and options are ASCII). */
    static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }
}
