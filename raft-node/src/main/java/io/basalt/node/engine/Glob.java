package io.basalt.node.engine;

/**
 * Redis's glob matcher ({@code stringmatchlen} in util.c, 7.0): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]} (reversed ranges allowed), {@code \} escapes, on
 * raw bytes compared as C's signed chars, case-sensitive. Kept line for line with the C code,
 * including its quirks (an unterminated {@code [} matches up to the end of the pattern), so KEYS
 * and SCAN MATCH select exactly what Redis would. Bounded: recursion depth is limited to 1000 as
 * in Redis (a deeper pattern simply does not match), and the "skip longer matches" cut keeps
 * patterns like {@code *a*a*a*b} from taking exponential time.
 */
final class Glob {

    private static final int NESTING_MAX = 1000;

    private final byte[] p;
    private boolean skipLongerMatches;

    private Glob(byte[] pattern) {
        this.p = pattern;
    }

    static boolean matches(byte[] pattern, byte[] string) {
        return new Glob(pattern).match(0, pattern.length, string, 0, string.length, 0);
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
                            if (at(pi) == s[si]) {
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
                            pi += 2;
                            plen -= 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (at(pi) == s[si]) {
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
                    if (at(pi) != s[si]) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                default -> {
                    if (at(pi) != s[si]) {
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
