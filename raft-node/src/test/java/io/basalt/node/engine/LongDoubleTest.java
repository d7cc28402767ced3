package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** x87 long double emulation; the golden incrbyfloat script checks it against Redis too. */
class LongDoubleTest {

    private static LongDouble p(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return LongDouble.parse(b, b.length);
    }

    private static String sum(String a, String b) {
        return p(a).add(p(b)).toHumanString();
    }

    @Test
    void decimalsRoundToSixtyFourBitsNotToDoubles() {
        assertEquals("10.6", sum("10.5", "0.1")); // a double would print 10.59999999999999964
        assertEquals("0.3", sum("0.1", "0.2"));
        assertEquals("5200", sum("5.0e3", "2.0e2"));
        assertEquals("9223372036854775808", LongDouble.of(Long.MAX_VALUE).add(p("1")).toHumanString());
        assertEquals("-9223372036854775809", LongDouble.of(Long.MIN_VALUE).add(p("-1")).toHumanString());
        // 2^64 + 1 does not fit a 64-bit significand: the 1 is lost (ties to even).
        assertEquals("18446744073709551616", sum("18446744073709551616", "1"));
        assertEquals("18446744073709551620", sum("18446744073709551616", "3"));
    }

    @Test
    void printsSeventeenDecimalsWithoutTrailingZeros() {
        assertEquals("0", sum("0", "-0.0"));
        assertEquals("0", sum("0", "-1e-20"));
        // Rounding at the 17th decimal sees the binary value (values from redis-server 7.0.15):
        assertEquals("0", sum("0", "0.000000000000000005")); // just below 5e-18 in binary
        assertEquals("0.00000000000000001", sum("0", "0.000000000000000006"));
        assertEquals("0.00000000000000002", sum("0", "0.000000000000000015"));
        assertEquals("0.00000000000000002", sum("0", "0.000000000000000025"));
        assertEquals("123", sum("100", "23"));
        assertEquals("-2.25", sum("-2.5", "0.25"));
        assertEquals("1", sum("0.99999999999999999999", "0"));
    }

    @Test
    void parsesWhatStrtoldAcceptsAndNothingElse() {
        assertEquals("16", sum("0x10", "0"));
        assertEquals("0.125", sum("0x1p-3", "0"));
        assertEquals("1", sum("0x.8p1", "0"));
        assertEquals("1.5", sum(".5", "1"));
        assertEquals("5", sum("5.", "0"));
        assertFalse(p("inf").isFinite());
        assertFalse(p("-Infinity").isFinite());
        for (String bad : new String[] {"", " 1", "1 ", "nan", "NaN", "1e", "0x", "0x1p", ".", "-", "1e5000",
            "1e-5000", "0x1p-16446", "0x1p16384", "1\u0000", "infinit", "1,5", "x".repeat(5200)}) {
            assertNull(p(bad), bad);
        }
        assertEquals("0", sum("0x1p-16445", "0")); // the smallest subnormal parses
        assertEquals("0", sum("1e-4940", "0"));
    }

    @Test
    void overflowIsInfinity() {
        assertFalse(p("1.18e4932").add(p("1e4931")).isFinite());
        assertFalse(p("inf").add(p("-inf")).isFinite()); // NaN
    }
}
