package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** string2ll and the glob matcher moved to shard-router (RedisIntegersTest, RedisGlobTest). */
class RedisTextTest {

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
    void printableNoSpace() {
        assertTrue(RedisText.isPrintableNoSpace("abc-1.2_~!".getBytes()));
        assertTrue(RedisText.isPrintableNoSpace(new byte[0]));
        assertFalse(RedisText.isPrintableNoSpace("a b".getBytes()));
        assertFalse(RedisText.isPrintableNoSpace(new byte[] {(byte) 0xc3, (byte) 0xa9}));
        assertFalse(RedisText.isPrintableNoSpace(new byte[] {0x7f}));
    }
}
