package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.NIL;
import static io.basalt.node.engine.Engine.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SCAN, KEYS and RANDOMKEY through the engine. */
class ScanTest {

    private final Engine e = new Engine();

    /** A SCAN reply parsed: the next cursor and the keys. */
    record Page(String cursor, List<String> keys) {}

    static Page parse(String reply) {
        // *2\r\n$N\r\n<cursor>\r\n*M\r\n($L\r\n<key>\r\n)*
        int at = reply.indexOf("\r\n", 4) + 2;
        int end = reply.indexOf("\r\n", at);
        String cursor = reply.substring(at, end);
        at = end + 2;
        int eol = reply.indexOf("\r\n", at);
        int n = Integer.parseInt(reply.substring(at + 1, eol));
        at = eol + 2;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            eol = reply.indexOf("\r\n", at);
            int len = Integer.parseInt(reply.substring(at + 1, eol));
            keys.add(reply.substring(eol + 2, eol + 2 + len));
            at = eol + 2 + len + 2;
        }
        assertEquals(reply.length(), at, "whole reply parsed");
        return new Page(cursor, keys);
    }

    private Set<String> scanAll(String... options) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] cmd = new String[2 + options.length];
            cmd[0] = "scan";
            cmd[1] = cursor;
            System.arraycopy(options, 0, cmd, 2, options.length);
            Page p = parse(e.r(cmd));
            seen.addAll(p.keys);
            cursor = p.cursor;
            assertTrue(++calls < 100_000);
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void fullScanReturnsEveryLiveKeyWithAnyCount() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            e.w("set", "key:" + i, "v");
            all.add("key:" + i);
        }
        e.w("set", "gone", "v", "PX", "1");
        e.nowMs += 2;
        assertEquals(all, scanAll());
        assertEquals(all, scanAll("count", "1"));
        assertEquals(all, scanAll("count", "1000"));
        assertEquals(all, scanAll("type", "string"));
        assertEquals(Set.of(), scanAll("type", "hash"));
        assertEquals(Set.of("key:100", "key:101", "key:102", "key:103", "key:104", "key:105", "key:106",
                "key:107", "key:108", "key:109"), scanAll("match", "key:10?", "count", "3"));
        assertEquals(Set.of("key:77"), scanAll("match", "key:7*7*"));
        assertEquals(501, e.ks.keyCount(), "SCAN never deletes the expired key");
    }

    @Test
    void countBoundsTheWorkOfOneCall() {
        for (int i = 0; i < 2000; i++) {
            e.w("set", "k" + i, "v");
        }
        Page p = parse(e.r("scan", "0", "count", "5"));
        assertNotEquals("0", p.cursor);
        assertTrue(p.keys.size() >= 5 && p.keys.size() < 40, "got " + p.keys.size());
        // With a pattern that matches nothing the call still stops after about 10 x COUNT buckets.
        Page none = parse(e.r("scan", "0", "count", "5", "match", "nomatch*"));
        assertEquals(0, none.keys.size());
        assertNotEquals("0", none.cursor);
    }

    @Test
    void oddCursorsAreAcceptedAsRedisParsesThem() {
        e.w("set", "only", "v");
        for (String cursor : new String[] {"-1", "18446744073709551615", "1099511627776", "", "+0"}) {
            String reply = e.r("scan", cursor);
            Page p = parse(reply);
            int steps = 0;
            while (!p.cursor.equals("0") && steps++ < 10) {
                p = parse(e.r("scan", p.cursor));
            }
            assertEquals("0", p.cursor, "cursor " + cursor);
        }
        assertEquals(Engine.err("ERR invalid cursor"), e.r("scan", "18446744073709551616"));
        assertEquals(Engine.err("ERR invalid cursor"), e.r("scan", "1a"));
    }

    /** The engine-level form of SCAN's guarantee, with commands changing the keyspace between calls. */
    @Test
    void keysPresentThroughoutAreReturnedDespiteWritesBetweenCalls() {
        long seed = Seeds.seed("ScanTest.guarantee");
        SplittableRandom rnd = new SplittableRandom(seed);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            e.w("set", "stable" + i, "v");
            stable.add("stable" + i);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        int churn = 0;
        do {
            Page p = parse(e.r("scan", cursor, "count", Integer.toString(1 + rnd.nextInt(20))));
            seen.addAll(p.keys);
            cursor = p.cursor;
            int n = rnd.nextInt(300);
            boolean grow = (calls / 5) % 2 == 0;
            for (int i = 0; i < n; i++) {
                if (grow || churn == 0) {
                    e.w("set", "churn" + churn++, "v");
                } else {
                    e.w("del", "churn" + rnd.nextInt(churn));
                }
            }
            calls++;
        } while (!cursor.equals("0"));
        for (String k : stable) {
            assertTrue(seen.contains(k), k + " missed, seed " + seed);
        }
    }

    @Test
    void randomkeyIsDeterministicPerLogPositionAndSkipsExpiredKeys() {
        for (int i = 0; i < 100; i++) {
            e.w("set", "k" + i, "v");
        }
        String first = e.exec(ExecContext.write(e.nowMs, 1000, 3), "randomkey");
        assertEquals(first, e.exec(ExecContext.write(e.nowMs, 1000, 3), "randomkey"));
        Set<String> picks = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            picks.add(e.exec(ExecContext.write(e.nowMs, 2000 + i, 0), "randomkey"));
        }
        assertTrue(picks.size() > 50, "picks spread over keys: " + picks.size());
        // All but one key expired: the live one is found (via the bounded fallback walk).
        Engine x = new Engine();
        for (int i = 0; i < 3000; i++) {
            x.w("set", "dead" + i, "v", "PX", "1");
        }
        x.w("set", "alive", "v");
        x.nowMs += 2;
        for (int i = 0; i < 20; i++) {
            assertEquals(bulk("alive"), x.exec(ExecContext.read(x.nowMs, i), "randomkey"));
        }
        x.w("del", "alive");
        assertEquals(NIL, x.r("randomkey"));
        assertEquals(3000, x.ks.keyCount(), "reads delete nothing");
    }
}
