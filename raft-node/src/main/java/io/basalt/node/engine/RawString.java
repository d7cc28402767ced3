package io.basalt.node.engine;

import java.util.Arrays;

/**
 * A string that APPEND or SETRANGE produced (Redis's "raw" encoding after
 * {@code dbUnshareStringValue}): a buffer with spare room, grown like an sds string so that a
 * sequence of APPENDs costs amortized O(1) per byte. Mutated in place, so it is never shared:
 * COPY duplicates it.
 */
final class RawString implements Value {

    /** Below this the buffer doubles when it grows; above, it grows by this much (sds's rule). */
    private static final int GROWTH_STEP_BYTES = 1024 * 1024;

    byte[] buf;
    int len;

    RawString(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A raw string holding a copy of {@code src[0, n)} with no spare room. */
    static RawString copyOf(byte[] src, int n) {
        return new RawString(Arrays.copyOf(src, n), n);
    }

    /** Makes room for {@code newLen} bytes, zero-filling any gap; the content grows to newLen. */
    void growZero(int newLen) {
        if (newLen <= len) {
            return;
        }
        if (newLen > buf.length) {
            long wanted = newLen < GROWTH_STEP_BYTES ? (long) newLen * 2 : (long) newLen + GROWTH_STEP_BYTES;
            buf = Arrays.copyOf(buf, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        } else {
            Arrays.fill(buf, len, newLen, (byte) 0);
        }
        len = newLen;
    }

    void append(byte[] src) {
        int at = len;
        growZero(len + src.length);
        System.arraycopy(src, 0, buf, at, src.length);
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }
}
