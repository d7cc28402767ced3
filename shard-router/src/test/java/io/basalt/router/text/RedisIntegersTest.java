package io.basalt.router.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisIntegersTest {

    private static boolean parses(String s, long expected) {
        long[] out = new long[1];
        boolean ok = RedisIntegers.string2ll(s.getBytes(StandardCharsets.ISO_8859_1), out);
        return ok && out[0] == expected;
    }

    private static boolean rejects(String s) {
        return !RedisIntegers.string2ll(s.getBytes(StandardCharsets.ISO_8859_1), new long[1]);
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
            int n = RedisIntegers.ll2string(v, buf);
            assertEquals(Long.toString(v), new String(buf, 0, n, StandardCharsets.US_ASCII));
            assertEquals(Long.toString(v).length(), RedisIntegers.digits(v));
        }
        assertFalse(rejects("12"));
    }

    /** The cases the gateway's former parser was tested with (CLIENT KILL ID, HELLO, SELECT, CONFIG SET). */
    @Test
    void parseIsString2llOrNull() {
        assertEquals(0L, RedisIntegers.parse("0"));
        assertEquals(-7L, RedisIntegers.parse("-7"));
        assertEquals(Long.MAX_VALUE, RedisIntegers.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, RedisIntegers.parse("-9223372036854775808"));
        for (String bad : new String[] {"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1x", "9223372036854775808",
                "-9223372036854775809", "99999999999999999999"}) {
            assertNull(RedisIntegers.parse(bad), bad);
        }
        assertEquals(42L, RedisIntegers.parse(new byte[] {'4', '2'}));
        assertNull(RedisIntegers.parse(new byte[] {'4', '2', 0}));
    }

    @Test
    void string2llReadsOnlyThePrefixGiven() {
        long[] out = new long[1];
        assertTrue(RedisIntegers.string2ll("123xyz".getBytes(StandardCharsets.US_ASCII), 3, out));
        assertEquals(123, out[0]);
        assertFalse(RedisIntegers.string2ll("123xyz".getBytes(StandardCharsets.US_ASCII), 4, out));
        assertFalse(RedisIntegers.string2ll("123".getBytes(StandardCharsets.US_ASCII), 0, out));
    }
}
