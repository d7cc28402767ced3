package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {

    private static boolean parses(String s, long expected) {
        long[] out = new long[1];
        boolean ok = Numbers.string2ll(s.getBytes(StandardCharsets.ISO_8859_1), out);
        return ok && out[0] == expected;
    }

    private static boolean rejects(String s) {
        return !Numbers.string2ll(s.getBytes(StandardCharsets.ISO_8859_1), new long[1]);
    }

    @Test
    void string2llIsStrict() {
        assertTrue(parses("0", 0));
        assertTrue(parses("-1", -1));
        assertTrue(parses("9223372036854775807", Long.MAX_VALUE));
        assertTrue(parses("-9223372036854775808", Long.MIN_VALUE));
        for (String bad : new String[] {"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1.0", "1e3",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901", "1\u0000"}) {
            assertTrue(rejects(bad), bad);
        }
    }

    @Test
    void ll2stringRoundTrips() {
        byte[] buf = new byte[20];
        for (long v : new long[] {0, 1, -1, 9, 10, -10, 99, 100, 12345, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            int n = Numbers.ll2string(v, buf);
            assertEquals(Long.toString(v), new String(buf, 0, n, StandardCharsets.US_ASCII));
            assertEquals(Long.toString(v).length(), Numbers.digits(v));
        }
        assertFalse(rejects("12"));
    }
}
