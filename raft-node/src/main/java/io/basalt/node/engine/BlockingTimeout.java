package io.basalt.node.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The timeout argument of the blocking commands, as Redis 7.0's getTimeoutFromObjectOrReply reads
 * it in seconds: a long double (string2ld: "0.1", "1e3", "0x10", not " 1" nor "nan"), times 1000,
 * truncated to a long long. On x86-64 a value that does not fit a long long converts to
 * LLONG_MIN, so "inf" and "1e30" are "timeout is negative" there, and so here.
 */
final class BlockingTimeout {
    private BlockingTimeout() {}

    static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
    static final String NEGATIVE = "ERR timeout is negative";
    static final String OUT_OF_RANGE = "ERR timeout is out of range";

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * The timeout in milliseconds (0 = block forever), or -1 after replying the error.
     *
     * @param nowMs the command's time: a deadline past LLONG_MAX is "out of range"
     */
    static long parse(byte[] arg, long nowMs, io.basalt.router.reply.RespWriter out) {
        LongDouble seconds = LongDouble.parse(arg, arg.length);
        if (seconds == null) {
            out.error(NOT_A_FLOAT);
            return -1;
        }
        long ms = toMillis(seconds);
        if (ms < 0) {
            out.error(NEGATIVE);
            return -1;
        }
        if (ms > 0 && ms > Long.MAX_VALUE - nowMs) {
            out.error(OUT_OF_RANGE);
            return -1;
        }
        return ms;
    }

    /** (long long)(seconds * 1000) as x86-64 computes it: truncation, LLONG_MIN when out of range. */
    static long toMillis(LongDouble seconds) {
        if (!seconds.isFinite()) {
            return Long.MIN_VALUE;
        }
        if (seconds.mantissa.signum() == 0) {
            return 0;
        }
        // |value| < 2^(64 + exponent): below 2^-11 seconds it is under one millisecond
        if (seconds.exponent < -75) {
            return 0;
        }
        if (seconds.exponent > 64) {
            return Long.MIN_VALUE;
        }
        BigDecimal magnitude = seconds.exponent >= 0
            ? new BigDecimal(seconds.mantissa.shiftLeft((int) seconds.exponent))
            : new BigDecimal(seconds.mantissa).divide(new BigDecimal(BigInteger.ONE.shiftLeft((int) -seconds.exponent)));
        BigDecimal ms = magnitude.multiply(THOUSAND);
        if (seconds.negative) {
            ms = ms.negate();
        }
        ms = ms.setScale(0, RoundingMode.DOWN);
        if (ms.compareTo(LONG_MIN) < 0 || ms.compareTo(LONG_MAX) > 0) {
            return Long.MIN_VALUE;
        }
        return ms.longValueExact();
    }
}
