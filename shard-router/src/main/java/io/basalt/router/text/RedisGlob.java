package io.basalt.router.text;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob matcher ({@code stringmatchlen} in util.c, 7.0): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]} (reversed ranges allowed), {@code \} escapes, on
 * raw bytes compared as C's signed chars. The one matcher for every pattern a client can send:
 * KEYS and SCAN MATCH (case-sensitive), CONFIG GET and COMMAND LIST FILTERBY PATTERN
 * (case-insensitive, as Redis calls it with {@code nocase} set there).
 *
 * <p>Kept line for line with the C code, including its quirks, so that every command selects
 * exactly what Redis would: an unterminated {@code [} matches up to the end of the pattern, a lone
 * {@code *} does not match an empty string (Redis's callers special-case "*" themselves), and
 * {@code nocase} lowers both sides with C's {@code tolower} in the C locale (ASCII A-Z only),
 * except for an escaped character inside a class, which Redis compares as is; in a range Redis
 * swaps reversed bounds first and lowers them after. Java's own regex or case folding would give
 * clients a different server.
 *
 * <p>Bounded: recursion depth is limited to 1000 as in Redis (a deeper pattern simply does not
 * match), and the "skip longer matches" cut keeps patterns like {@code *a*a*a*b} from taking
 * exponential time, so a hostile pattern costs polynomial time, never a stack overflow.
 */
public final class RedisGlob {

    private static final int NESTING_MAX = 1000;

    private final byte[] p;
    private final boolean nocase;
    private boolean skipLongerMatches;

    private RedisGlob(byte[] pattern, boolean nocase) {
        this.p = pattern;
        this.nocase = nocase;
    }

    /** Redis's {@code stringmatchlen(pattern, string, nocase)} over raw bytes. */
    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return new RedisGlob(pattern, nocase).match(0, pattern.length, string, 0, string.length, 0);
    }

    /** {@link #matches(byte[], byte[], boolean)} on the UTF-8 bytes of both texts. */
    public static boolean matches(String pattern, String string, boolean nocase) {
        return matches(pattern.getBytes(StandardCharsets.UTF_8), string.getBytes(StandardCharsets.UTF_8), nocase);
    }

    /** C's {@code tolower} in the C locale, which is the one Redis runs in: A-Z only. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** One pattern byte against one string byte, folded with {@link #lower} when nocase. */
    private boolean same(int a, int b) {
        return nocase ? lower(a) == lower(b) : a == b;
    }

    /** The pattern byte at i, or 0 past the end (C reads the sds's terminating NUL there). */
    private byte at(int i) {
        return i < p.length ? p[i] : 0;
    }

    private boolean match(int pi, int plen, byte[] s, int si, int slen, int nesting) {
        if (nesting > NESTING_MAX) {
            return false;
        }
        while (plen > 0 && slen > 0) {
            switch (at(pi)) {
                case '*' -> {
                    while (plen > 0 && at(pi + 1) == '*') {
                        pi++;
                        plen--;
                    }
                    if (plen == 1) {
                        return true;
                    }
                    while (slen > 0) {
                        if (match(pi + 1, plen - 1, s, si, slen, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches) {
                            return false;
                        }
                        si++;
                        slen--;
                    }
                    skipLongerMatches = true;
                    return false;
                }
                case '?' -> {
                    si++;
                    slen--;
                }
                case '[' -> {
                    pi++;
                    plen--;
                    boolean not = at(pi) == '^';
                    if (not) {
                        pi++;
                        plen--;
                    }
                    boolean match = false;
                    while (true) {
                        if (at(pi) == '\\' && plen >= 2) {
                            pi++;
                            plen--;
                            if (at(pi) == s[si]) { // case-sensitive even with nocase, as in Redis
                                match = true;
                            }
                        } else if (at(pi) == ']') {
                            break;
                        } else if (plen == 0) {
                            pi--;
                            plen++;
                            break;
                        } else if (plen >= 3 && at(pi + 1) == '-') {
                            int start = at(pi);
                            int end = at(pi + 2);
                            int c = s[si];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            plen -= 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (same(at(pi), s[si])) {
                            match = true;
                        }
                        pi++;
                        plen--;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                case '\\' -> {
                    if (plen >= 2) {
                        pi++;
                        plen--;
                    }
                    if (!same(at(pi), s[si])) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                default -> {
                    if (!same(at(pi), s[si])) {
                        return false;
                    }
                    si++;
                    slen--;
                }
            }
            pi++;
            plen--;
            if (slen == 0) {
                while (at(pi) == '*') {
                    pi++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }
}
