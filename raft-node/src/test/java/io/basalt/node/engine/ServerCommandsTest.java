package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerCommandsTest {

    private final Engine e = new Engine();

    @Test
    void dbsizeAndFlush() {
        assertEquals(integer(0), e.r("dbsize"));
        e.w("mset", "a", "1", "b", "2");
        e.w("set", "c", "3", "EX", "10");
        assertEquals(integer(3), e.r("dbsize"));
        assertEquals(OK, e.w("flushdb"));
        assertEquals(integer(0), e.r("dbsize"));
        e.w("set", "a", "1");
        assertEquals(OK, e.w("flushall", "ASYNC"));
        assertEquals(0, e.ks.keyCount());
        assertEquals(0, e.ks.keysWithExpiry());
        assertEquals(new Keyspace().usedMemoryBytes(), e.ks.usedMemoryBytes());
    }

    @Test
    void statsIsAMapOfIntegers() {
        long now = e.nowMs;
        e.w("set", "a", "1");
        e.w("set", "b", "2", "PXAT", Long.toString(now + 10_000));
        e.w("set", "c", "3", "PXAT", Long.toString(now + 20_000));
        long mem = e.ks.usedMemoryBytes();
        assertEquals("%4\r\n$4\r\nkeys\r\n:3\r\n$7\r\nexpires\r\n:2\r\n$7\r\navg_ttl\r\n:15000\r\n"
                + "$11\r\nused_memory\r\n:" + mem + "\r\n", e.r("basalt.stats"));
        e.w("persist", "b");
        e.w("persist", "c");
        assertTrue(e.r("basalt.stats").contains("$7\r\navg_ttl\r\n:0\r\n"));
    }

    @Test
    void memoryEstimateTracksEveryChangeAndReturnsToEmpty() {
        long empty = e.ks.usedMemoryBytes();
        assertTrue(empty > 0 && empty < 1024, "empty: " + empty);
        e.w("set", "k", "x".repeat(1000));
        long one = e.ks.usedMemoryBytes();
        assertTrue(one - empty >= 1000 + 32 && one - empty < 1200, "one key: " + (one - empty));
        for (int i = 0; i < 1000; i++) {
            e.w("set", "k" + i, Integer.toString(i * 1000), "EX", "100");
            e.w("append", "a" + (i % 10), "abc");
        }
        e.w("setrange", "a1", "5000", "x");
        e.w("incrbyfloat", "k5", "0.5");
        e.w("rename", "k7", "renamed");
        e.w("copy", "a2", "copied");
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
        e.w("flushall");
        assertEquals(empty, e.ks.usedMemoryBytes());
        e.w("set", "k", "v");
        e.w("del", "k");
        assertEquals(empty, e.ks.usedMemoryBytes());
    }
}
