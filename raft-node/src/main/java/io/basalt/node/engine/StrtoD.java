package io.basalt.node.engine;

/**
 * C's strtod as glibc parses a sorted-set score: optional leading whitespace, sign, decimal or
 * hex (0x, binary exponent optional) digits, inf/infinity/nan in any case. Java's
 * Double.parseDouble rounds decimals correctly, as glibc does, so it converts the digits once
 * the grammar is checked here.
 */
final class StrtoD {
    // One parser per command family; not thread-safe, like the engine.
    StrtoD() {}

    /** Result of the last parse: the value, where parsing stopped, and whether it was ERANGE. */
    double value;
    int end;
    boolean range;

    /** Parses from the start of s (up to its length); end is 0 when nothing was parsed. */
    void parse(byte[] s) {
        value = 0;
        end = 0;
        range = false;
        int i = 0;
        int n = s.length;
        while (i < n && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (matchWord(s, i, "infinity")) {
            set(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8);
            return;
        }
        if (matchWord(s, i, "inf")) {
            set(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3);
            return;
        }
        if (matchWord(s, i, "nan")) {
            int j = i + 3;
            if (j < n && s[j] == '(') { // nan(chars)
                int k = j + 1;
                while (k < n && (isAlnum(s[k]) || s[k] == '_')) {
                    k++;
                }
                if (k < n && s[k] == ')') {
                    j = k + 1;
                }
            }
            set(Double.NaN, j);
            return;
        }
        if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            if (parseHex(s, i, negative)) {
                return;
            }
        }
        int start = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < n && isDigit(s[i])) {
            nonZero |= s[i] != '0';
            i++;
            digits++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && isDigit(s[i])) {
                nonZero |= s[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return; // no conversion
        }
        int mantissaEnd = i;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            int j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(s[j])) {
                while (j < n && isDigit(s[j])) {
                    j++;
                }
                i = j;
            }
        }
        String text = new String(s, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
        if (mantissaEnd == start + 1 && s[start] == '.') {
            return;
        }
        double v = Double.parseDouble(text);
        range = Double.isInfinite(v) || (v == 0 && nonZero) || (v != 0 && Math.abs(v) < Double.MIN_NORMAL);
        set(negative ? -v : v, i);
    }

    private boolean parseHex(byte[] s, int at, boolean negative) {
        int i = at + 2;
        int n = s.length;
        StringBuilder b = new StringBuilder("0x");
        int digits = 0;
        while (i < n && isHex(s[i])) {
            b.append((char) s[i++]);
            digits++;
        }
        if (i < n && s[i] == '.') {
            b.append('.');
            i++;
            while (i < n && isHex(s[i])) {
                b.append((char) s[i++]);
                digits++;
            }
        }
        if (digits == 0) {
            set(negative ? -0.0 : 0.0, at + 1); // "0x" parses as the 0
            return true;
        }
        String exp = "p0";
        if (i < n && (s[i] == 'p' || s[i] == 'P')) {
            int j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(s[j])) {
                while (j < n && isDigit(s[j])) {
                    j++;
                }
                exp = "p" + new String(s, i + 1, j - i - 1, java.nio.charset.StandardCharsets.US_ASCII);
                i = j;
            }
        }
        double v;
        try {
            v = Double.parseDouble(b + exp);
        } catch (NumberFormatException tooLong) {
            v = Double.POSITIVE_INFINITY;
        }
        range = Double.isInfinite(v);
        set(negative ? -v : v, i);
        return true;
    }

    private void set(double v, int at) {
        value = v;
        end = at;
    }

    private static boolean matchWord(byte[] s, int i, String word) {
        if (s.length - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int c = s[i + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static boolean isAlnum(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    /** Redis's getDoubleFromObject: the whole argument, no leading space, no ERANGE, no NaN. */
    boolean parseScore(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) {
            return false;
        }
        parse(s);
        boolean hugeOrZero = Double.isInfinite(value) || value == 0;
        return end == s.length && !(range && hugeOrZero) && !Double.isNaN(value);
    }

    /** zslParseRange's strtod on a C string from {@code from}: ends at a NUL; ERANGE ignored. */
    boolean parseBound(byte[] s, int from) {
        int n = Args.cLength(s, s.length);
        byte[] c = java.util.Arrays.copyOfRange(s, from, Math.max(from, n));
        parse(c);
        return end == c.length && !Double.isNaN(value);
    }
}
