package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sorted set behaviour beyond the golden script: encodings, memory accounting, types. */
class SortedSetCommandsTest {

    @Test
    void convertsToSkiplistAfter128EntriesAndKeepsOrder() {
        Engine e = new Engine();
        for (int i = 1; i <= 128; i++) {
            e.w("zadd", "big", Integer.toString(i), "m" + i);
        }
        assertEquals("$8\r\nlistpack\r\n", e.r("object", "encoding", "big"));
        assertEquals(":1\r\n", e.w("zadd", "big", "129", "m129"));
        assertEquals("$8\r\nskiplist\r\n", e.r("object", "encoding", "big"));
        assertEquals(",129\r\n", e.r("zscore", "big", "m129"));
        assertEquals(":128\r\n", e.r("zrank", "big", "m129"));
        assertEquals(":1\r\n", e.w("zrem", "big", "m1"));
        assertEquals("$8\r\nskiplist\r\n", e.r("object", "encoding", "big"));
        assertEquals(":0\r\n", e.r("zrank", "big", "m2"));
    }

    @Test
    void memoryEstimateFollowsEveryChange() {
        Engine e = new Engine();
        e.w("zadd", "z", "1", "a", "2", "b", "3", "c");
        check(e);
        for (int i = 0; i < 200; i++) {
            e.w("zadd", "z", Integer.toString(i % 7), "member" + i);
        }
        check(e);
        e.w("zincrby", "z", "5", "a");
        check(e);
        e.w("zrem", "z", "b", "member3");
        check(e);
        e.w("zpopmin", "z", "3");
        check(e);
        e.w("zremrangebyrank", "z", "0", "10");
        check(e);
        e.w("copy", "z", "z2");
        check(e);
        e.w("zremrangebyscore", "z", "-inf", "+inf");
        check(e);
        assertEquals(":0\r\n", e.r("exists", "z"));
        e.w("del", "z2");
        check(e);
    }

    private static void check(Engine e) {
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
    }

    @Test
    void wrongTypeBothWaysAndScanType() {
        Engine e = new Engine();
        e.w("zadd", "z", "1", "a");
        e.w("set", "s", "x");
        String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        assertEquals(wrongType, e.r("get", "z"));
        assertEquals(wrongType, e.w("append", "z", "x"));
        assertEquals(wrongType, e.w("zadd", "s", "1", "a"));
        assertEquals("+zset\r\n", e.r("type", "z"));
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nz\r\n", e.r("scan", "0", "type", "zset"));
    }

    @Test
    void copyIsDeep() {
        Engine e = new Engine();
        e.w("zadd", "z", "1", "a");
        e.w("copy", "z", "c");
        e.w("zadd", "z", "2", "b");
        assertEquals(":1\r\n", e.r("zcard", "c"));
        assertEquals(":2\r\n", e.r("zcard", "z"));
    }
}
