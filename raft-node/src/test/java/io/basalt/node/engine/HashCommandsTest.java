package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.NIL;
import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hash commands: what the golden script (golden/hashes.txt, recorded from Redis) cannot check:
 * RESP3 forms, hashtable-form iteration, randomness, memory accounting and limits.
 */
class HashCommandsTest {

    private static final String WRONGTYPE = err("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final Engine e = new Engine();

    private void checkMemory() {
        e.ks.db().checkInvariants();
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
    }

    @Test
    void hsetHgetHdelAndEmptyHashIsDeleted() {
        assertEquals(integer(2), e.w("hset", "h", "a", "1", "b", "2"));
        assertEquals(ZERO, e.w("hset", "h", "a", "3"));
        assertEquals(bulk("3"), e.r("hget", "h", "a"));
        assertEquals(NIL, e.r("hget", "h", "zz"));
        assertEquals(integer(2), e.w("hdel", "h", "a", "b", "a"));
        assertEquals(ZERO, e.r("exists", "h"));
        assertEquals(0, e.ks.keyCount());
        checkMemory();
        assertEquals(0, e.ks.usedMemoryBytes() - e.ks.db().recomputedMemoryBytes());
    }

    @Test
    void hsetArityIsCheckedBeforeType() {
        e.w("set", "s", "x");
        assertEquals(err("ERR wrong number of arguments for 'hset' command"), e.w("hset", "s", "a", "1", "b"));
        assertEquals(WRONGTYPE, e.w("hset", "s", "a", "1"));
        assertEquals(err("ERR wrong number of arguments for 'hmset' command"), e.w("hmset", "s", "a"));
    }

    @Test
    void wrongTypeBothWays() {
        e.w("set", "s", "x");
        e.w("hset", "h", "f", "v");
        for (String[] cmd : new String[][] {{"hget", "s", "f"}, {"hlen", "s"}, {"hgetall", "s"}, {"hdel", "s", "f"},
            {"hincrby", "s", "f", "1"}, {"hincrbyfloat", "s", "f", "1"}, {"hrandfield", "s"}, {"hscan", "s", "0"},
            {"hsetnx", "s", "f", "v"}, {"hstrlen", "s", "f"}, {"hexists", "s", "f"}, {"hmget", "s", "f"}}) {
            assertEquals(WRONGTYPE, e.w(cmd), String.join(" ", cmd));
        }
        for (String[] cmd : new String[][] {{"get", "h"}, {"append", "h", "x"}, {"incr", "h"}, {"strlen", "h"},
            {"getrange", "h", "0", "1"}, {"setrange", "h", "0", "x"}, {"getdel", "h"}, {"getex", "h"}}) {
            assertEquals(WRONGTYPE, e.w(cmd), String.join(" ", cmd));
        }
        assertEquals(OK, e.w("set", "h", "now a string"));
        assertEquals("+string\r\n", e.r("type", "h"));
        checkMemory();
    }

    @Test
    void hgetallIsAMapInResp3AndKeepsInsertionOrder() {
        e.w("hset", "h", "b", "2", "a", "1", "c", "3");
        assertEquals("%3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n", e.r("hgetall", "h"));
        assertEquals("%0\r\n", e.r("hgetall", "nokey"));
        assertEquals("*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n", e.r("hkeys", "h"));
        assertEquals("*3\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n", e.r("hvals", "h"));
    }

    @Test
    void encodingConvertsOneWayAtRedisThresholds() {
        List<String> args = new ArrayList<>(List.of("hset", "h"));
        for (int i = 0; i < Hash.LISTPACK_ENTRIES_MAX; i++) {
            args.add("f" + i);
            args.add(Integer.toString(i));
        }
        assertEquals(integer(512), e.w(args.toArray(new String[0])));
        assertEquals(bulk("listpack"), e.r("object", "encoding", "h"));
        checkMemory();
        assertEquals(ONE, e.w("hset", "h", "extra", "v"));
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "h"));
        checkMemory();
        assertEquals(ONE, e.w("hdel", "h", "extra"));
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "h"));
        assertEquals(integer(512), e.r("hlen", "h"));
        for (int i = 0; i < Hash.LISTPACK_ENTRIES_MAX; i++) {
            assertEquals(bulk(Integer.toString(i)), e.r("hget", "h", "f" + i));
        }
        e.w("hset", "v", "f", "x".repeat(64));
        assertEquals(bulk("listpack"), e.r("object", "encoding", "v"));
        e.w("hincrbyfloat", "v", "g", "1e70");
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "v"));
        checkMemory();
    }

    @Test
    void copyIsDeepAndRenameMoves() {
        e.w("hset", "a", "f", "1");
        assertEquals(ONE, e.w("copy", "a", "b"));
        e.w("hset", "b", "g", "2");
        e.w("hincrby", "b", "f", "10");
        assertEquals(bulk("1"), e.r("hget", "a", "f"));
        assertEquals(integer(1), e.r("hlen", "a"));
        e.w("hset", "big", "f", "y".repeat(100));
        e.w("copy", "big", "big2");
        e.w("hdel", "big2", "f");
        assertEquals(integer(1), e.r("hlen", "big"));
        assertEquals(ZERO, e.r("exists", "big2"));
        assertEquals(OK, e.w("rename", "b", "c"));
        assertEquals(bulk("11"), e.r("hget", "c", "f"));
        checkMemory();
    }

    @Test
    void hscanOfAHashtableVisitsEveryFieldAcrossGrowth() {
        for (int i = 0; i < 600; i++) {
            e.w("hset", "h", "f" + i, "v" + i);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int steps = 0;
        do {
            String reply = e.r("hscan", "h", cursor, "count", "7");
            ScanTest.Page page = ScanTest.parse(reply);
            cursor = page.cursor();
            for (int i = 0; i < page.keys().size(); i += 2) {
                assertEquals("v" + page.keys().get(i).substring(1), page.keys().get(i + 1));
                seen.add(page.keys().get(i));
            }
            if (steps == 5) {
                for (int i = 600; i < 700; i++) { // growth during the scan
                    e.w("hset", "h", "f" + i, "v" + i);
                }
            }
            assertTrue(++steps < 10_000);
        } while (!cursor.equals("0"));
        for (int i = 0; i < 600; i++) {
            assertTrue(seen.contains("f" + i), "f" + i);
        }
        assertTrue(steps > 1);
    }

    @Test
    void hrandfieldWithValuesWritesPairs() {
        e.w("hset", "h", "a", "1", "b", "2");
        // an array of pairs: nested for RESP3 clients, flat for RESP2 (the gateway transcodes)
        assertEquals("&2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", e.r("hrandfield", "h", "5", "withvalues"));
        String three = e.r("hrandfield", "h", "-3", "withvalues");
        assertTrue(three.startsWith("&3\r\n$"), three);
        String one = e.r("hrandfield", "h", "1");
        assertTrue(one.equals("*1\r\n$1\r\na\r\n") || one.equals("*1\r\n$1\r\nb\r\n"), one);
        assertEquals(err("ERR value is out of range"), e.r("hrandfield", "h", "-" + (HashCommands.RANDFIELD_REPEATS_MAX + 1)));
    }

    @Test
    void hrandfieldWithPositiveCountGivesDistinctFields() {
        for (int i = 0; i < 1000; i++) {
            e.w("hset", "h", "f" + i, "v");
        }
        String reply = e.r("hrandfield", "h", "50");
        ScanTest.Page asList = ScanTest.parse("*2\r\n$1\r\n0\r\n" + reply);
        assertEquals(50, asList.keys().size());
        assertEquals(50, new HashSet<>(asList.keys()).size());
    }

    /** Two replicas applying the same entries choose the same random fields; another entry may not. */
    @Test
    void hrandfieldIsDeterministicPerLogPosition() {
        Engine a = new Engine();
        Engine b = new Engine();
        for (Engine x : List.of(a, b)) {
            for (int i = 0; i < 700; i++) {
                x.w("hset", "big", "f" + i, "v" + i);
                if (i < 100) {
                    x.w("hset", "small", "f" + i, "v" + i);
                }
            }
        }
        Set<String> distinct = new HashSet<>();
        for (long index = 1; index <= 20; index++) {
            for (String key : List.of("big", "small")) {
                for (String[] args : new String[][] {{"hrandfield", key}, {"hrandfield", key, "5"},
                    {"hrandfield", key, "-5", "withvalues"}}) {
                    String[] cmd = args.clone();
                    ExecContext ctx = ExecContext.write(a.nowMs, index, (int) index % 3);
                    String ra = a.exec(ctx, cmd);
                    assertEquals(ra, b.exec(ctx, cmd), String.join(" ", cmd) + " at " + index);
                    distinct.add(key + ra);
                }
            }
        }
        assertTrue(distinct.size() > 20, "randomness varies with the log position");
    }

    @Test
    void hincrbyAndFloatErrors() {
        assertEquals(integer(5), e.w("hincrby", "h", "n", "5"));
        assertEquals(err("ERR value is not an integer or out of range"), e.w("hincrby", "h", "n", "x"));
        assertEquals(ZERO, e.r("exists", "x"));
        assertEquals(bulk("5.5"), e.w("hincrbyfloat", "h", "n", "0.5"));
        assertEquals(err("ERR hash value is not an integer"), e.w("hincrby", "h", "n", "1"));
        assertEquals(err("ERR value is NaN or Infinity"), e.w("hincrbyfloat", "h2", "n", "inf"));
        assertEquals(ZERO, e.r("exists", "h2"));
        e.w("hincrbyfloat", "h", "m", "1.1e4932");
        assertEquals(err("ERR increment would produce NaN or Infinity"),
                e.w("hincrbyfloat", "h", "m", "1.1e4932"));
        assertNotEquals(ZERO, e.r("exists", "h"));
        checkMemory();
    }

    @Test
    void readsOfHashesChangeNothing() {
        e.w("hset", "h", "a", "1");
        long before = e.ks.usedMemoryBytes();
        e.r("hgetall", "h");
        e.r("hrandfield", "h", "-10", "withvalues");
        e.r("hscan", "h", "0");
        assertEquals(before, e.ks.usedMemoryBytes());
        assertEquals(err("READONLY You can't write against a read only replica."), e.r("hset", "h", "b", "2"));
    }

    @Test
    void scanTypeHashAndType() {
        e.w("hset", "h", "a", "1");
        e.w("set", "s", "1");
        assertEquals("+hash\r\n", e.r("type", "h"));
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nh\r\n", e.r("scan", "0", "type", "hash"));
    }
}
