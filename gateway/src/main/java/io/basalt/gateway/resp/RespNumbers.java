package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;

/** Redis's {@code string2ll} over bytes in a ByteBuf: the one integer syntax RESP headers accept. */
final class RespNumbers {
    private RespNumbers() {}

    /** Returned for text that is not a number; {@code Long.MIN_VALUE} itself parses to {@code MIN_VALUE + 1}. */
    static final long INVALID = Long.MIN_VALUE;

    /** Redis's LONG_STR_SIZE: a number of 21 or more characters is refused without a look. */
    private static final int LENGTH_MAX = 20;

    /**
     * Parses {@code buf[from, to)} as Redis's {@code string2ll} does: an optional '-', then "0"
     * alone or a digit 1-9 followed by digits, no spaces, no '+', no leading zeros, no "-0", in
     * range of a signed 64-bit integer. Returns {@link #INVALID} otherwise. {@code Long.MIN_VALUE}
     * (valid for Redis) comes back as {@code Long.MIN_VALUE + 1}: every caller treats all negative
     * numbers alike, so the sentinel costs nothing.
     */
    static long string2ll(ByteBuf buf, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > LENGTH_MAX) {
            return INVALID;
        }
        if (len == 1 && buf.getByte(from) == '0') {
            return 0;
        }
        int p = from;
        boolean negative = buf.getByte(p) == '-';
        if (negative) {
            p++;
            if (p == to) {
                return INVALID;
            }
        }
        byte first = buf.getByte(p);
        if (first < '1' || first > '9') {
            return INVALID;
        }
        // Accumulate as a negative number so that Long.MIN_VALUE fits.
        long v = -(first - '0');
        for (p++; p < to; p++) {
            byte d = buf.getByte(p);
            if (d < '0' || d > '9') {
                return INVALID;
            }
            if (v < (Long.MIN_VALUE + (d - '0')) / 10) {
                return INVALID;
            }
            v = v * 10 - (d - '0');
        }
        if (negative) {
            return v == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : v;
        }
        return v == Long.MIN_VALUE ? INVALID : -v;
    }
}
