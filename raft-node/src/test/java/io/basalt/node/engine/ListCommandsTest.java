package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static io.basalt.node.engine.SetCommandsTest.members;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.ErrorReplies;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * List commands: what the golden script (lists.txt) does not pin down: the internal reply forms
 * (RESP3 nulls), OBJECT ENCODING, memory accounting against a recount, deep COPY, WRONGTYPE and
 * TYPE/SCAN TYPE, and ListValue's ring against a reference deque under a seeded random walk.
 */
class ListCommandsTest {

    private static final String WRONGTYPE = err(ErrorReplies.WRONGTYPE);

    private static void checkMemory(Engine e) {
        e.ks.db().checkInvariants();
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes(), "incremental memory estimate");
    }

    @Test
    void nullFormsAsRedis7() {
        Engine e = new Engine();
        assertEquals(Engine.NIL, e.w("lpop", "nokey"));
        assertEquals("*-1\r\n", e.w("lpop", "nokey", "2"));
        assertEquals("*-1\r\n", e.w("rpop", "nokey", "0"));
        assertEquals("*-1\r\n", e.w("lmpop", "1", "nokey", "left"));
        assertEquals(Engine.NIL, e.w("lmove", "nokey", "d", "left", "left"));
        assertEquals(Engine.NIL, e.w("lpos", "nokey", "a"));
        assertEquals("*0\r\n", e.w("lpos", "nokey", "a", "count", "0"));
        e.w("rpush", "l", "a");
        assertEquals("*0\r\n", e.w("lpop", "l", "0"));
        assertEquals(ONE, e.w("exists", "l"));
    }

    @Test
    void encodingIsQuicklistAtAnySizeAs7015() {
        Engine e = new Engine();
        e.w("rpush", "small", "a");
        assertEquals(bulk("quicklist"), e.w("object", "encoding", "small"));
        for (int i = 0; i < 1000; i++) {
            e.w("rpush", "big", "x".repeat(i % 50));
        }
        assertEquals(bulk("quicklist"), e.w("object", "encoding", "big"));
        assertEquals(integer(1000), e.w("llen", "big"));
    }

    @Test
    void typeScanTypeAndWrongType() {
        Engine e = new Engine();
        e.w("rpush", "l", "a", "b");
        e.w("set", "s", "v");
        assertEquals("+list\r\n", e.w("type", "l"));
        assertEquals(List.of("l"), members(e.w("scan", "0", "type", "list").substring("*2\r\n$1\r\n0\r\n".length())));
        for (String[] cmd : new String[][] {{"lpush", "s", "a"}, {"rpushx", "s", "a"}, {"lpop", "s"}, {"rpop", "s", "2"},
                {"llen", "s"}, {"lrange", "s", "0", "1"}, {"lindex", "s", "0"}, {"lset", "s", "0", "a"},
                {"linsert", "s", "before", "a", "b"}, {"lrem", "s", "0", "a"}, {"ltrim", "s", "0", "1"},
                {"lpos", "s", "a"}, {"lmove", "s", "l", "left", "left"}, {"lmove", "l", "s", "left", "left"},
                {"rpoplpush", "l", "s"}, {"lmpop", "1", "s", "left"}, {"get", "l"}, {"sadd", "l", "x"},
                {"hset", "l", "f", "v"}, {"zadd", "l", "1", "m"}}) {
            assertEquals(WRONGTYPE, e.w(cmd), String.join(" ", cmd));
        }
        // a refused LMOVE pops nothing
        assertEquals(integer(2), e.w("llen", "l"));
        checkMemory(e);
    }

    @Test
    void copyIsDeepAndRenameMoves() {
        Engine e = new Engine();
        e.w("rpush", "l", "a", "b", "c");
        assertEquals(ONE, e.w("copy", "l", "c"));
        e.w("lset", "c", "0", "changed");
        e.w("rpush", "c", "d");
        e.w("lpop", "l");
        assertEquals(List.of("b", "c"), members(e.w("lrange", "l", "0", "-1")));
        assertEquals(List.of("changed", "b", "c", "d"), members(e.w("lrange", "c", "0", "-1")));
        assertEquals(OK, e.w("rename", "c", "r"));
        assertEquals(ZERO, e.w("exists", "c"));
        assertEquals(List.of("changed", "b", "c", "d"), members(e.w("lrange", "r", "0", "-1")));
        checkMemory(e);
    }

    @Test
    void emptiedListsAreDeleted() {
        Engine e = new Engine();
        for (String[] cmd : new String[][] {{"lpop", "l"}, {"rpop", "l", "5"}, {"lrem", "l", "0", "a"},
                {"ltrim", "l", "1", "0"}, {"lmove", "l", "other", "left", "right"}, {"lmpop", "1", "l", "right"}}) {
            e.w("rpush", "l", "a");
            e.w(cmd);
            assertEquals(ZERO, e.w("exists", "l"), String.join(" ", cmd));
            checkMemory(e);
        }
        e.w("rpush", "one", "x");
        assertEquals(bulk("x"), e.w("rpoplpush", "one", "one"));
        assertEquals(integer(1), e.w("llen", "one"));
        checkMemory(e);
    }

    /** A seeded random walk over the commands against ArrayDeque, with the memory recount checked. */
    @Test
    void matchesAReferenceDequeAndKeepsMemoryExact() {
        long seed = Seeds.seed("ListCommandsTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        Engine e = new Engine();
        ArrayDeque<String> ref = new ArrayDeque<>();
        for (int step = 0; step < 20_000; step++) {
            String v = "v" + rnd.nextInt(rnd.nextInt(10) == 0 ? 5 : 40);
            String at = "step " + step + ", seed " + seed;
            switch (rnd.nextInt(8)) {
                case 0, 1 -> {
                    e.w("lpush", "l", v);
                    ref.addFirst(v);
                }
                case 2, 3 -> {
                    e.w("rpush", "l", v);
                    ref.addLast(v);
                }
                case 4 -> {
                    String got = e.w("lpop", "l");
                    assertEquals(ref.isEmpty() ? Engine.NIL : bulk(ref.pollFirst()), got, at);
                }
                case 5 -> {
                    String got = e.w("rpop", "l");
                    assertEquals(ref.isEmpty() ? Engine.NIL : bulk(ref.pollLast()), got, at);
                }
                case 6 -> {
                    long removed = 0;
                    int limit = rnd.nextInt(3);
                    List<String> kept = new ArrayList<>();
                    for (String x : ref) {
                        if (x.equals(v) && (limit == 0 || removed < limit)) {
                            removed++;
                        } else {
                            kept.add(x);
                        }
                    }
                    assertEquals(integer(removed), e.w("lrem", "l", Integer.toString(limit), v), at);
                    ref.clear();
                    ref.addAll(kept);
                }
                default -> {
                    if (!ref.isEmpty()) {
                        int i = rnd.nextInt(ref.size());
                        assertEquals(bulk(new ArrayList<>(ref).get(i)), e.w("lindex", "l", Integer.toString(i)), at);
                    }
                }
            }
            if (step % 1000 == 0) {
                assertEquals(new ArrayList<>(ref), ref.isEmpty() ? List.of() : members(e.w("lrange", "l", "0", "-1")), at);
                checkMemory(e);
            }
        }
        assertEquals(new ArrayList<>(ref), ref.isEmpty() ? List.of() : members(e.w("lrange", "l", "0", "-1")));
        checkMemory(e);
    }

    @Test
    void memoryShrinksBackAfterPops() {
        Engine e = new Engine();
        long empty = e.ks.usedMemoryBytes();
        for (int i = 0; i < 5000; i++) {
            e.w("rpush", "l", "element" + i);
        }
        assertTrue(e.ks.usedMemoryBytes() > empty + 5000 * 24);
        checkMemory(e);
        e.w("rpop", "l", "4999");
        checkMemory(e);
        assertTrue(e.ks.usedMemoryBytes() < empty + 400, "a one-element list keeps a small ring");
        e.w("rpop", "l");
        assertEquals(empty, e.ks.usedMemoryBytes());
    }
}
