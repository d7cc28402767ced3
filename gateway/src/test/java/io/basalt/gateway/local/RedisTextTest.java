package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisTextTest {

    @Test
    void parseLongIsRedisString2ll() {
        assertEquals(0L, RedisText.parseLong("0"));
        assertEquals(-7L, RedisText.parseLong("-7"));
        assertEquals(Long.MAX_VALUE, RedisText.parseLong("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, RedisText.parseLong("-9223372036854775808"));
        for (String bad : new String[] {"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1x", "9223372036854775808",
                "-9223372036854775809", "99999999999999999999"}) {
            assertNull(RedisText.parseLong(bad), bad);
        }
    }

    @Test
    void strtollWholeIsCStrtollWithTheEndCheck() {
        assertEquals(5L, RedisText.strtollWhole(" +5"));
        assertEquals(-5L, RedisText.strtollWhole("-5"));
        assertEquals(0L, RedisText.strtollWhole(""));
        assertEquals(Long.MAX_VALUE, RedisText.strtollWhole("99999999999999999999"));
        assertNull(RedisText.strtollWhole(" "));
        assertNull(RedisText.strtollWhole("+"));
        assertNull(RedisText.strtollWhole("5 "));
    }

    @Test
    void bytesToHumanRoundsLikeC() {
        assertEquals("0B", RedisText.bytesToHuman(0));
        assertEquals("1023B", RedisText.bytesToHuman(1023));
        assertEquals("1.00K", RedisText.bytesToHuman(1024));
        assertEquals("1.12K", RedisText.bytesToHuman(1152), "1.125 exactly: C rounds half to even");
        assertEquals("1.42M", RedisText.bytesToHuman(1_486_320));
        assertEquals("100.00M", RedisText.bytesToHuman(104_857_600));
        assertEquals("1.00G", RedisText.bytesToHuman(1L << 30));
        assertEquals("1.00T", RedisText.bytesToHuman(1L << 40));
        assertEquals("1.00P", RedisText.bytesToHuman(1L << 50));
        assertEquals("1152921504606846976B", RedisText.bytesToHuman(1L << 60));
    }

    @Test
    void globMatchesLikeStringmatchlen() {
        assertTrue(RedisText.globMatch("*", "", false));
        assertTrue(RedisText.globMatch("max*", "maxmemory", false));
        assertTrue(RedisText.globMatch("MAX*", "maxmemory", true));
        assertFalse(RedisText.globMatch("MAX*", "maxmemory", false));
        assertTrue(RedisText.globMatch("h?llo", "hello", false));
        assertFalse(RedisText.globMatch("h?llo", "hllo", false));
        assertTrue(RedisText.globMatch("h[ae]llo", "hallo", false));
        assertFalse(RedisText.globMatch("h[^e]llo", "hello", false));
        assertTrue(RedisText.globMatch("h[a-b]llo", "hbllo", false));
        assertTrue(RedisText.globMatch("h[b-a]llo", "hallo", false), "reversed range");
        assertTrue(RedisText.globMatch("h[A-B]llo", "hbllo", true));
        assertTrue(RedisText.globMatch("a\\*b", "a*b", false));
        assertFalse(RedisText.globMatch("a\\*b", "axb", false));
        assertTrue(RedisText.globMatch("*a*b*c", "xxaxxbxxc", false));
        assertFalse(RedisText.globMatch("*a*b*c", "xxaxxcxxb", false));
        assertTrue(RedisText.globMatch("a[bc", "ab", false), "an unclosed class runs to the end");
        assertTrue(RedisText.globMatch("client|*", "client|id", true));
        // A pattern that is exponential for naive recursion answers at once.
        assertFalse(RedisText.globMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000), false));
    }

    @Test
    void printableNoSpace() {
        assertTrue(RedisText.isPrintableNoSpace("abc-1.2_~!".getBytes()));
        assertTrue(RedisText.isPrintableNoSpace(new byte[0]));
        assertFalse(RedisText.isPrintableNoSpace("a b".getBytes()));
        assertFalse(RedisText.isPrintableNoSpace(new byte[] {(byte) 0xc3, (byte) 0xa9}));
        assertFalse(RedisText.isPrintableNoSpace(new byte[] {0x7f}));
    }
}
