package io.basalt.node.engine;

import java.math.BigInteger;

/**
 * The timeout argument of the blocking commands, as Redis 7.0.15 reads it in seconds: a long
 * double (string2ld: "0.1", "1e3", "0x10", not " 1" nor "nan"), multiplied by 1000 in long
 * double precision and rounded up (ceill) to a long long. So any positive fraction of a
 * millisecond waits 1 ms, and -0.0001 is 0 (forever). On x86-64 a value that does not fit a long
 * long converts to LLONG_MIN, so "inf" and "1e30" are "timeout is negative" there, and so here.
 * A deadline past LLONG_MAX milliseconds is not refused by 7.0.15; it never fires, so here it is
 * timeout 0 (forever). Measured on redis-server 7.0.15; see BlockingCommandsTest.
 */
final class BlockingTimeout {
    private BlockingTimeout() {}

    static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
    static final String NEGATIVE = "ERR timeout is negative";

    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** The x87 significand: products are rounded to this many bits. */
    private static final int MANTISSA_BITS = 64;

    /**
     * The timeout in milliseconds (0 = block forever), or -1 after replying the error.
     *
     * @param nowMs the command's time: a deadline past LLONG_MAX means forever
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
        return ms > Long.MAX_VALUE - nowMs ? 0 : ms;
    }

    /** (long long) ceill(seconds * 1000.0L) as x86-64 computes it; LLONG_MIN when out of range. */
    static long toMillis(LongDouble seconds) {
        if (!seconds.isFinite()) {
            return Long.MIN_VALUE;
        }
        if (seconds.mantissa.signum() == 0) {
            return 0;
        }
        BigInteger m = seconds.mantissa.multiply(THOUSAND);
        long e = seconds.exponent;
        int excess = m.bitLength() - MANTISSA_BITS;
        if (excess > 0) { // the multiply rounds to 64 bits, half to even
            m = roundHalfEven(m, excess);
            e += excess;
        }
        // value = ±m × 2^e, rounded toward +infinity
        BigInteger whole;
        boolean fraction;
        if (e >= 0) {
            if (e > 64) {
                return Long.MIN_VALUE;
            }
            whole = m.shiftLeft((int) e);
            fraction = false;
        } else if (e < -MANTISSA_BITS - 16) {
            whole = BigInteger.ZERO;
            fraction = true;
        } else {
            whole = m.shiftRight((int) -e);
            fraction = !whole.shiftLeft((int) -e).equals(m);
        }
        if (!seconds.negative && fraction) {
            whole = whole.add(BigInteger.ONE);
        }
        if (whole.compareTo(LONG_MAX) > 0) {
            return Long.MIN_VALUE; // does not fit: LLONG_MIN (and -2^63 exactly is LLONG_MIN too)
        }
        return seconds.negative ? -whole.longValueExact() : whole.longValueExact();
    }

    private static BigInteger roundHalfEven(BigInteger m, int shift) {
        BigInteger kept = m.shiftRight(shift);
        BigInteger rest = m.subtract(kept.shiftLeft(shift));
        int cmp = rest.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(shift));
        if (cmp > 0 || (cmp == 0 && kept.testBit(0))) {
            kept = kept.add(BigInteger.ONE);
        }
        return kept; // a carry to 65 bits is still exact to 64 bits (a power of two)
    }
}
