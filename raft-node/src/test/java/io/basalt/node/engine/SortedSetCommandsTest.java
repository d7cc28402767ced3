package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void zrandmemberDependsOnlyOnTheEntrysPlaceInTheLog() {
        Engine e = new Engine();
        for (int i = 0; i < 300; i++) {
            e.w("zadd", "z", Integer.toString(i), "m" + i);
        }
        for (String count : new String[] {"5", "-5", "150", "-400"}) {
            ExecContext ctx = ExecContext.write(e.nowMs, 1234, 2);
            String first = e.exec(ctx, "zrandmember", "z", count, "withscores");
            assertEquals(first, e.exec(ctx, "zrandmember", "z", count, "withscores"), count);
            Engine other = new Engine();
            for (int i = 0; i < 300; i++) {
                other.w("zadd", "z", Integer.toString(i), "m" + i);
            }
            assertEquals(first, other.exec(ctx, "zrandmember", "z", count, "withscores"), count);
        }
        java.util.Set<String> replies = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            replies.add(e.exec(ExecContext.write(e.nowMs, 5000 + i, 0), "zrandmember", "z", "3"));
        }
        assertTrue(replies.size() > 15, "different entries choose differently: " + replies.size());
        // a positive count gives distinct members
        String many = e.exec(ExecContext.write(e.nowMs, 77, 0), "zrandmember", "z", "250");
        String[] lines = many.split("\r\n");
        java.util.Set<String> members = new java.util.HashSet<>();
        for (int i = 2; i < lines.length; i += 2) {
            members.add(lines[i]);
        }
        assertEquals("*250", lines[0]);
        assertEquals(250, members.size());
        assertEquals("*400", e.exec(ExecContext.write(e.nowMs, 78, 0), "zrandmember", "z", "-400").split("\r\n")[0]);
        assertEquals("-ERR value is out of range\r\n", e.r("zrandmember", "z", "-1048577"));
    }

    @Test
    void storeFormsReplaceAnyTypeAndDropTheTtl() {
        String[][] stores = {
            {"zunionstore", "dst", "1", "z"}, {"zinterstore", "dst", "1", "z"}, {"zdiffstore", "dst", "1", "z"},
            {"zrangestore", "dst", "z", "0", "-1"}};
        String[][] others = {{"set", "dst", "v"}, {"sadd", "dst", "x"}, {"hset", "dst", "f", "v"}, {"zadd", "dst", "9", "q"}};
        for (String[] store : stores) {
            for (String[] other : others) {
                Engine e = new Engine();
                e.w("zadd", "z", "1", "a", "2", "b");
                e.w(other);
                e.w("expire", "dst", "100");
                assertEquals(":2\r\n", e.w(store), store[0] + " over " + other[0]);
                assertEquals("+zset\r\n", e.r("type", "dst"));
                assertEquals(":-1\r\n", e.r("ttl", "dst"));
                assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
                    Resp.toResp2(e.r("zrange", "dst", "0", "-1", "withscores")));
                check(e);
                // an empty result deletes the destination, whatever it held
                e.w(other[0].equals("zadd") ? new String[] {"set", "dst", "v"} : other);
                String[] empty = store.clone();
                empty[store[0].equals("zrangestore") ? 2 : 3] = "nokey";
                assertEquals(":0\r\n", e.w(empty), store[0]);
                assertEquals(":0\r\n", e.r("exists", "dst"));
                check(e);
            }
        }
    }

    @Test
    void weightsAndAggregate() {
        Engine e = new Engine();
        e.w("zadd", "a", "1", "x", "2", "y", "3", "z");
        e.w("zadd", "b", "10", "y", "20", "z", "30", "w");
        e.w("sadd", "s", "z", "w", "v");
        assertEquals(":5\r\n", e.w("zunionstore", "u", "3", "a", "b", "s", "weights", "2", "0.5", "-1"));
        // x 2; y 4+5; z 6+10-1; w 15-1; v -1
        assertEquals("*10\r\n$1\r\nv\r\n$2\r\n-1\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n9\r\n"
            + "$1\r\nw\r\n$2\r\n14\r\n$1\r\nz\r\n$2\r\n15\r\n",
            Resp.toResp2(e.r("zrange", "u", "0", "-1", "withscores")));
        assertEquals(":2\r\n", e.w("zinterstore", "i", "2", "a", "b", "aggregate", "min"));
        assertEquals("*4\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n",
            Resp.toResp2(e.r("zrange", "i", "0", "-1", "withscores")));
        assertEquals(":2\r\n", e.w("zinterstore", "i", "2", "a", "b", "weights", "3", "1", "aggregate", "max"));
        assertEquals("*4\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n",
            Resp.toResp2(e.r("zrange", "i", "0", "-1", "withscores")));
        assertEquals(":1\r\n", e.w("zinterstore", "i", "3", "a", "b", "s", "weights", "1", "1", "100"));
        assertEquals("*2\r\n$1\r\nz\r\n$3\r\n123\r\n", Resp.toResp2(e.r("zrange", "i", "0", "-1", "withscores")));
        // inf - inf sums to 0, as in Redis
        e.w("zadd", "p", "inf", "m");
        e.w("zadd", "q", "-inf", "m");
        assertEquals(":1\r\n", e.w("zunionstore", "r", "2", "p", "q"));
        assertEquals("$1\r\n0\r\n", Resp.toResp2(e.r("zscore", "r", "m")));
        // RESP3 WITHSCORES: [member, score] pairs
        assertEquals("&1\r\n$1\r\nz\r\n,123\r\n", e.r("zinter", "3", "a", "b", "s", "weights", "1", "1", "100", "withscores"));
        check(e);
    }

    @Test
    void zscanOfASkiplistReturnsEveryStableMemberDespiteWrites() {
        Engine e = new Engine();
        for (int i = 0; i < 400; i++) {
            e.w("zadd", "z", Integer.toString(i % 100), "m" + i); // runs of 4 equal scores
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] lines = e.r("zscan", "z", cursor, "count", "7").split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.length; i += 4) {
                seen.add(lines[i]);
            }
            // churn: remove members already seen and add new ones everywhere
            e.w("zrem", "z", "m" + calls);
            e.w("zadd", "z", Integer.toString(calls % 100), "new" + calls);
            calls++;
            assertTrue(calls < 400, "scan terminates");
        } while (!cursor.equals("0"));
        for (int i = 0; i < 400; i++) {
            if (i >= calls) {
                assertTrue(seen.contains("m" + i), "m" + i + " present throughout was returned");
            }
        }
        assertTrue(calls > 400 / 12, "COUNT is honoured: " + calls + " calls");
    }

    @Test
    void zscanCursorOrderIsScoreOrder() {
        double[] scores = {Double.NEGATIVE_INFINITY, -1e300, -1, -0.0, 0.0, 1e-300, 1, 1e300, Double.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < scores.length; i++) {
            long a = SortedSetSampleCommands.cursorOfScore(scores[i]);
            long b = SortedSetSampleCommands.cursorOfScore(scores[i + 1]);
            assertTrue(Long.compareUnsigned(a, b) < 0, scores[i] + " < " + scores[i + 1]);
            assertTrue(a != 0);
            assertEquals(scores[i], SortedSetSampleCommands.scoreOfCursor(a));
        }
    }

    @Test
    void zmpopAndZrangestoreKeepMemoryAccounting() {
        Engine e = new Engine();
        for (int i = 0; i < 200; i++) {
            e.w("zadd", "z", Integer.toString(i), "member" + i);
        }
        e.w("zrangestore", "d", "z", "10", "150");
        check(e);
        e.w("zmpop", "2", "nokey", "z", "max", "count", "150");
        check(e);
        e.w("zmpop", "1", "z", "min", "count", "100");
        assertEquals(":0\r\n", e.r("exists", "z"));
        check(e);
    }
}
