package io.basalt.node.engine;

/**
 * Reading command arguments the way Redis reads them. Redis compares option names with
 * {@code strcasecmp} on the argument's C string, which ends at the first NUL byte, so
 * {@code "NX\0junk"} is the option NX; matching that keeps replies identical to Redis's.
 */
final class Args {
    private Args() {}

    /** True when the argument, up to its first NUL, equals {@code lowerName} ignoring ASCII case. */
    static boolean is(byte[] arg, String lowerName) {
        int n = lowerName.length();
        if (arg.length < n || (arg.length > n && arg[n] != 0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Length of the argument as a C string: up to the first NUL, at most {@code max} bytes ({@code %.Ns}). */
    static int cLength(byte[] arg, int max) {
        int n = Math.min(arg.length, max);
        for (int i = 0; i < n; i++) {
            if (arg[i] == 0) {
                return i;
            }
        }
        return n;
    }

    /** Binary equality of two arguments (Redis's sdscmp == 0). */
    static boolean same(byte[] a, byte[] b) {
        return java.util.Arrays.equals(a, b);
    }
}
