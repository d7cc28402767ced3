package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Blocking in the engine: waiters, FIFO serving, BLMOVE chains, leases, unblock races, snapshots. */
class BlockingCommandsTest {

    private static final String NULL_ARRAY = "*-1\r\n";
    private static final String WAIT = "-BASALTWAIT\r\n";
    private static final String GONE = "-BASALTGONE\r\n";

    /** Runs a blocking command that must block; returns its token. */
    private static String block(Engine e, String... args) {
        String reply = e.w(args);
        assertTrue(reply.startsWith("-BASALTBLOCKED "), reply);
        return reply.substring("-BASALTBLOCKED ".length(), reply.indexOf(' ', "-BASALTBLOCKED ".length()));
    }

    private static String pair(String k, String v) {
        return "*2\r\n" + bulk(k) + bulk(v);
    }

    @Test
    void blockedReplyCarriesTokenAndTimeout() {
        Engine e = new Engine();
        String reply = e.w("blpop", "k", "1.5");
        assertEquals("-BASALTBLOCKED " + (e.index << 20) + " 1500\r\n", reply);
        assertTrue(e.w("brpop", "k", "0").endsWith(" 0\r\n"));
        assertEquals(WAIT, e.r("basalt.await", "k", String.valueOf(e.index << 20)));
    }

    @Test
    void pushServesWaitersInFifoOrderOncePerElement() {
        Engine e = new Engine();
        String t1 = block(e, "blpop", "k", "0");
        String t2 = block(e, "brpop", "other", "k", "0");
        String t3 = block(e, "blpop", "k", "0");
        assertEquals(":2\r\n", e.w("rpush", "k", "a", "b"), "the length after the push, as in Redis");
        assertEquals(pair("k", "a"), e.r("basalt.await", "k", t1));
        assertEquals(pair("k", "b"), e.r("basalt.await", "k", t2));
        assertEquals(WAIT, e.r("basalt.await", "k", t3));
        assertEquals(":0\r\n", e.w("exists", "k"));
        // t2 waited on "other" too: served once, it waits there no more
        assertEquals(":1\r\n", e.w("rpush", "other", "x"));
        assertEquals(pair("k", "b"), e.r("basalt.await", "k", t2));
        assertEquals(":1\r\n", e.w("rpush", "k", "c"));
        assertEquals(pair("k", "c"), e.r("basalt.await", "k", t3));
        assertEquals(":1\r\n", e.w("basalt.claim", "k", t1));
        assertEquals(":0\r\n", e.w("basalt.claim", "k", t1));
        assertEquals(GONE, e.r("basalt.await", "k", t1));
    }

    @Test
    void blmoveChainsServeTheNextWaiterInTheSameCommand() {
        Engine e = new Engine();
        String mover = block(e, "blmove", "a", "b", "left", "right", "0");
        String popper = block(e, "blpop", "b", "0");
        assertEquals(":1\r\n", e.w("lpush", "a", "v"));
        assertEquals(bulk("v"), e.r("basalt.await", "a", mover));
        assertEquals(pair("b", "v"), e.r("basalt.await", "b", popper));
        assertEquals(":0\r\n", e.w("exists", "a", "b"));
    }

    @Test
    void keysCreatedByRenameOrStoreCommandsServeWaiters() {
        Engine e = new Engine();
        String list = block(e, "brpop", "dst", "0");
        String zset = block(e, "bzpopmin", "zdst", "0");
        e.w("rpush", "src", "x", "y");
        e.w("rename", "src", "dst");
        assertEquals(pair("dst", "y"), e.r("basalt.await", "dst", list));
        e.w("zadd", "z1", "5", "m");
        assertEquals(":1\r\n", e.w("zunionstore", "zdst", "1", "z1"));
        assertEquals("*3\r\n" + bulk("zdst") + bulk("m") + ",5\r\n", e.r("basalt.await", "zdst", zset));
        assertEquals(":0\r\n", e.w("exists", "zdst"));
    }

    @Test
    void zsetWaitersGetKeyMemberScore() {
        Engine e = new Engine();
        String t = block(e, "bzpopmax", "z", "0");
        String m = block(e, "bzmpop", "0", "1", "z", "min", "count", "5");
        e.w("zadd", "z", "1", "a", "2.5", "b", "3", "c");
        assertEquals("*3\r\n" + bulk("z") + bulk("c") + ",3\r\n", e.r("basalt.await", "z", t));
        assertEquals("*2\r\n" + bulk("z") + "*2\r\n*2\r\n" + bulk("a") + ",1\r\n*2\r\n" + bulk("b") + ",2.5\r\n",
            e.r("basalt.await", "z", m));
    }

    @Test
    void aListDoesNotServeZsetWaiters() {
        Engine e = new Engine();
        String z = block(e, "bzpopmin", "k", "0");
        String l = block(e, "blpop", "k", "0");
        e.w("rpush", "k", "x");
        assertEquals(WAIT, e.r("basalt.await", "k", z));
        assertEquals(pair("k", "x"), e.r("basalt.await", "k", l));
    }

    @Test
    void unblockTimesOutAWaiterButReturnsAServedReply() {
        Engine e = new Engine();
        String t1 = block(e, "blpop", "k", "1");
        String t2 = block(e, "blpop", "k", "1");
        e.w("rpush", "k", "a");
        // t1 was served before its unblock arrived: the unblock delivers the element, twice if retried
        assertEquals(pair("k", "a"), e.w("basalt.unblock", "k", t1));
        assertEquals(pair("k", "a"), e.w("basalt.unblock", "k", t1));
        assertEquals(NULL_ARRAY, e.w("basalt.unblock", "k", t2));
        assertEquals(GONE, e.r("basalt.await", "k", t2));
        e.w("rpush", "k", "b");
        assertEquals(":1\r\n", e.w("llen", "k"), "nobody waits any more");
    }

    @Test
    void expiredLeaseOrDeadlineIsNeverServed() {
        Engine e = new Engine();
        String lease = block(e, "blpop", "k", "0");
        e.nowMs += 20_000;
        String renewed = block(e, "blpop", "k", "0");
        String deadline = block(e, "blpop", "k", "5");
        e.nowMs += 15_000; // lease of the first ran out; the third's deadline passed
        assertEquals(":0\r\n", e.w("basalt.renew", "k", lease));
        assertEquals(":1\r\n", e.w("basalt.renew", "k", renewed));
        assertEquals(GONE, e.r("basalt.await", "k", lease));
        e.w("rpush", "k", "a", "b");
        assertEquals(pair("k", "a"), e.r("basalt.await", "k", renewed));
        assertEquals(GONE, e.r("basalt.await", "k", deadline));
        assertEquals(":1\r\n", e.w("llen", "k"));
        e.nowMs += BlockingCommands.SERVED_TTL_MS + 1;
        e.w("set", "x", "y");
        assertEquals(GONE, e.r("basalt.await", "k", renewed));
    }

    @Test
    void servedWithinTheSameEntryAsThePush() {
        Engine e = new Engine();
        String t = block(e, "blpop", "k", "0");
        long idx = ++e.index;
        assertEquals(":1\r\n", e.exec(ExecContext.write(e.nowMs, idx, 0), "rpush", "k", "a"));
        assertEquals("$-1\r\n", e.exec(ExecContext.write(e.nowMs, idx, 1), "lpop", "k"), "served right after the push");
        assertEquals(pair("k", "a"), e.r("basalt.await", "k", t));
    }

    @Test
    void waitTableRoundTripsThroughItsSnapshotForm() throws IOException {
        Engine e = new Engine();
        block(e, "blpop", "k", "j", "0");
        block(e, "blmove", "j", "d", "left", "left", "2");
        String served = block(e, "bzpopmin", "z", "0");
        block(e, "blpop", "j", "0");
        e.w("zadd", "z", "1", "m");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        e.ks.writeWaitTable(new DataOutputStream(bytes));
        Keyspace copy = new Keyspace();
        copy.readWaitTable(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        copy.writeWaitTable(new DataOutputStream(again));
        assertEquals(java.util.Arrays.toString(bytes.toByteArray()), java.util.Arrays.toString(again.toByteArray()));
        WaitTable a = WaitTable.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        WaitTable b = WaitTable.readFrom(new DataInputStream(new ByteArrayInputStream(again.toByteArray())));
        assertTrue(a.sameAs(b));
        assertEquals(3, a.waiterCount());
        // the loaded copy serves in the same order as the original
        Engine c = new Engine(copy);
        c.index = e.index;
        c.nowMs = e.nowMs;
        e.w("rpush", "j", "1", "2", "3");
        c.w("rpush", "j", "1", "2", "3");
        for (long t = 0; t <= e.index; t++) {
            String token = String.valueOf(t << 20);
            assertEquals(e.r("basalt.await", "j", token), c.r("basalt.await", "j", token));
        }
        assertEquals(e.r("lrange", "d", "0", "-1"), c.r("lrange", "d", "0", "-1"));
        assertTrue(e.r("basalt.await", "z", served).startsWith("*3"));
    }

    @Test
    void timeoutsParseAsRedisDoes() {
        Engine e = new Engine();
        assertTrue(e.w("blpop", "k", "0.1").endsWith(" 100\r\n"));
        assertTrue(e.w("blpop", "k", "0x10").endsWith(" 16000\r\n"));
        // measured on redis-server 7.0.15: ms = ceil(seconds * 1000) in long double
        assertTrue(e.w("blpop", "k", "0.0004").endsWith(" 1\r\n"), "times out after 1 ms, not never");
        assertTrue(e.w("blpop", "k", "1e-300").endsWith(" 1\r\n"));
        assertTrue(e.w("blpop", "k", "0.0015").endsWith(" 2\r\n"));
        assertTrue(e.w("blpop", "k", "-0.0001").endsWith(" 0\r\n"), "forever");
        assertTrue(e.w("blpop", "k", "-1e-300").endsWith(" 0\r\n"));
        assertTrue(e.w("blpop", "k", "-0.001").endsWith(" 0\r\n"), "-0.001L * 1000 is just above -1");
        assertEquals("-ERR timeout is negative\r\n", e.w("blpop", "k", "-0.0011"));
        assertEquals("-ERR timeout is negative\r\n", e.w("blpop", "k", "-0.002"));
        // a deadline past LLONG_MAX never fires in 7.0.15: forever
        assertTrue(e.w("blpop", "k", "9223372036854774").endsWith(" 0\r\n"));
        assertTrue(e.w("blpop", "k", "9223372036854775.807").endsWith(" 0\r\n"));
        assertEquals("-ERR timeout is negative\r\n", e.w("blpop", "k", "9223372036854775.808"), "2^63 ms: LLONG_MIN");
        assertEquals("-ERR timeout is negative\r\n", e.w("blpop", "k", "inf"));
        assertEquals("-ERR timeout is negative\r\n", e.w("blpop", "k", "1e30"));
    }
}
