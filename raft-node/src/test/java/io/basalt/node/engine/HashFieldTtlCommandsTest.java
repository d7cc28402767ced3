package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.NIL;
import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hash field expiration (HEXPIRE family, Redis 7.4): the command reference's examples, the
 * per-field codes, conditions, lazy and active expiry, what other hash commands see, RENAME and
 * COPY, encodings, errors, memory accounting and snapshots. No 7.4 server exists here to record
 * a golden script from, so the expected replies are from Redis's documentation and t_hash.c.
 */
class HashFieldTtlCommandsTest {

    private static final String WRONGTYPE = err("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final Engine e = new Engine();

    private static String ints(long... codes) {
        StringBuilder b = new StringBuilder("*" + codes.length + "\r\n");
        for (long c : codes) {
            b.append(integer(c));
        }
        return b.toString();
    }

    private static String array(String... bulks) {
        StringBuilder b = new StringBuilder("*" + bulks.length + "\r\n");
        for (String s : bulks) {
            b.append(bulk(s));
        }
        return b.toString();
    }

    private void checkMemory() {
        e.ks.db().checkInvariants();
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
    }

    private List<String> due() {
        return e.ks.expiredKeys(e.nowMs, 100).stream().map(k -> new String(k, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void referenceExamples() {
        long now = e.nowMs;
        assertEquals(integer(2), e.w("hset", "mykey", "field1", "hello", "field2", "world"));
        assertEquals(ints(1, 1), e.w("hexpire", "mykey", "300", "FIELDS", "2", "field1", "field2"));
        assertEquals(ints(300, 300), e.r("httl", "mykey", "FIELDS", "2", "field1", "field2"));
        assertEquals(ints(300_000, 300_000), e.r("hpttl", "mykey", "FIELDS", "2", "field1", "field2"));
        assertEquals(ints(now / 1000 + 300, now / 1000 + 300), e.r("hexpiretime", "mykey", "FIELDS", "2", "field1", "field2"));
        assertEquals(ints(now + 300_000, -2), e.r("hpexpiretime", "mykey", "FIELDS", "2", "field1", "nofield"));
        assertEquals(ints(1), e.w("hpersist", "mykey", "FIELDS", "1", "field2"));
        assertEquals(ints(300, -1), e.r("httl", "mykey", "FIELDS", "2", "field1", "field2"));
        // HPEXPIRE's example: after the time the fields are gone
        assertEquals(ints(1, 1), e.w("hpexpire", "mykey", "2000", "FIELDS", "2", "field1", "field2"));
        e.nowMs += 2001;
        assertEquals("%0\r\n", e.r("hgetall", "mykey"));
        checkMemory();
    }

    @Test
    void secondsAreRoundedUpAndAtVariantsTakeUnixTime() {
        e.w("hset", "h", "a", "1", "b", "2");
        assertEquals(ints(1), e.w("hpexpire", "h", "1500", "FIELDS", "1", "a"));
        assertEquals(ints(2), e.r("httl", "h", "FIELDS", "1", "a"));
        assertEquals(ints(e.nowMs / 1000 + 2), e.r("hexpiretime", "h", "FIELDS", "1", "a"));
        assertEquals(ints(1), e.w("hexpireat", "h", Long.toString(e.nowMs / 1000 + 10), "FIELDS", "1", "b"));
        assertEquals(ints(10_000), e.r("hpttl", "h", "FIELDS", "1", "b"));
        assertEquals(ints(1), e.w("hpexpireat", "h", Long.toString(e.nowMs + 5), "FIELDS", "1", "b"));
        assertEquals(ints(5), e.r("hpttl", "h", "FIELDS", "1", "b"));
    }

    @Test
    void perFieldCodesAndMissingKey() {
        e.w("hset", "h", "a", "1", "b", "2", "c", "3");
        assertEquals(ints(1, -2, 1), e.w("hexpire", "h", "100", "FIELDS", "3", "a", "zz", "b"));
        assertEquals(ints(2), e.w("hexpire", "h", "0", "FIELDS", "1", "a"));
        assertEquals(NIL, e.r("hget", "h", "a"));
        assertEquals(ints(2), e.w("hpexpireat", "h", Long.toString(e.nowMs), "FIELDS", "1", "b"));
        assertEquals(ints(2), e.w("hexpireat", "h", "1", "FIELDS", "1", "c"));
        assertEquals(ZERO, e.r("exists", "h"), "the last field deleted deletes the key");
        assertEquals(0, e.ks.keyCount());
        assertEquals(ints(-2, -2), e.w("hexpire", "nokey", "10", "FIELDS", "2", "a", "b"));
        assertEquals(ints(-2), e.r("httl", "nokey", "FIELDS", "1", "a"));
        assertEquals(ints(-2), e.w("hpersist", "nokey", "FIELDS", "1", "a"));
        assertEquals(0, e.ks.keyCount());
        checkMemory();
    }

    @Test
    void conditionsOnFieldsWithAndWithoutTtl() {
        e.w("hset", "h", "p", "1", "t", "2");
        e.w("hexpire", "h", "100", "FIELDS", "1", "t");
        // p has no TTL: an infinite one for GT and LT
        assertEquals(ints(0, -2), e.w("hexpire", "h", "50", "XX", "FIELDS", "2", "p", "zz"));
        assertEquals(ints(0), e.w("hexpire", "h", "50", "GT", "FIELDS", "1", "p"));
        assertEquals(ints(1), e.w("hexpire", "h", "500", "LT", "FIELDS", "1", "p"));
        assertEquals(ints(0), e.w("hexpire", "h", "50", "NX", "FIELDS", "1", "p"));
        e.w("hpersist", "h", "FIELDS", "1", "p");
        assertEquals(ints(1, 0), e.w("hexpire", "h", "50", "NX", "FIELDS", "2", "p", "t"));
        // t has 100 s
        assertEquals(ints(0), e.w("hexpire", "h", "100", "GT", "FIELDS", "1", "t"));
        assertEquals(ints(1), e.w("hexpire", "h", "200", "GT", "FIELDS", "1", "t"));
        assertEquals(ints(0), e.w("hexpire", "h", "300", "LT", "FIELDS", "1", "t"));
        assertEquals(ints(1), e.w("hexpire", "h", "10", "XX", "FIELDS", "1", "t"));
        assertEquals(ints(10), e.r("httl", "h", "FIELDS", "1", "t"));
        assertEquals(ints(0), e.w("hexpire", "h", "0", "GT", "FIELDS", "1", "t"), "condition before deletion");
        assertEquals(ints(2), e.w("hexpire", "h", "0", "LT", "FIELDS", "1", "t"));
        assertEquals(ints(-2, 1), e.w("hexpire", "h", "5", "XX", "FIELDS", "2", "t", "p"));
        checkMemory();
    }

    @Test
    void expiredFieldsAreInvisibleToReadsAndRemovedByWrites() {
        e.w("hset", "h", "a", "1", "b", "22", "c", "3");
        e.w("hpexpire", "h", "100", "FIELDS", "2", "a", "b");
        e.nowMs += 100;
        assertEquals(bulk("1"), e.r("hget", "h", "a"), "alive while now <= expiry time");
        e.nowMs += 1;
        long bytes = e.ks.usedMemoryBytes();
        assertEquals(NIL, e.r("hget", "h", "a"));
        assertEquals("*2\r\n$-1\r\n$1\r\n3\r\n", e.r("hmget", "h", "b", "c"));
        assertEquals(ZERO, e.r("hexists", "h", "b"));
        assertEquals(ZERO, e.r("hstrlen", "h", "b"));
        assertEquals(ONE, e.r("hlen", "h"));
        assertEquals("%1\r\n$1\r\nc\r\n$1\r\n3\r\n", e.r("hgetall", "h"));
        assertEquals(array("c"), e.r("hkeys", "h"));
        assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", e.r("hscan", "h", "0"));
        assertEquals(bulk("c"), e.r("hrandfield", "h"));
        assertEquals(array("c", "c", "c"), e.r("hrandfield", "h", "-3"));
        assertEquals(array("c"), e.r("hrandfield", "h", "5"));
        assertEquals(ints(-2, -2, -1), e.r("httl", "h", "FIELDS", "3", "a", "b", "c"));
        assertEquals(bytes, e.ks.usedMemoryBytes(), "reads change nothing");
        assertEquals(integer(1), e.w("hset", "h", "d", "4"));
        assertEquals(integer(2), e.w("hlen", "h"));
        assertTrue(bytes > e.ks.usedMemoryBytes() - 100, "the expired fields were removed");
        assertEquals(integer(1), e.w("hset", "h", "a", "new"), "a is a new field again");
        checkMemory();
    }

    @Test
    void aHashWhoseFieldsAllExpiredIsAnAbsentKey() {
        e.w("hset", "h", "a", "1");
        e.w("hpexpire", "h", "10", "FIELDS", "1", "a");
        e.nowMs += 11;
        assertEquals(ZERO, e.r("exists", "h"));
        assertEquals("+none\r\n", e.r("type", "h"));
        assertEquals(1, e.ks.keyCount(), "a read deletes nothing");
        assertEquals(ONE, e.w("hset", "h", "b", "2"));
        assertEquals(array("b"), e.r("hkeys", "h"));
        checkMemory();
    }

    @Test
    void activeExpiryRemovesDueFieldsAndEmptiedHashes() {
        e.w("hset", "h", "a", "1", "b", "2");
        e.w("hset", "g", "x", "1");
        e.w("hpexpire", "h", "100", "FIELDS", "1", "a");
        e.w("hpexpire", "g", "300", "FIELDS", "1", "x");
        assertEquals(List.of(), due());
        e.nowMs += 101;
        assertEquals(List.of("h"), due());
        assertEquals(0, e.ks.deleteIfExpired(e.ks.expiredKeys(e.nowMs, 100), e.nowMs), "h keeps b");
        assertEquals(List.of(), due());
        assertEquals(ONE, e.r("hlen", "h"));
        checkMemory();
        e.nowMs += 200;
        assertEquals(List.of("g"), due());
        assertEquals(1, e.ks.deleteIfExpired(e.ks.expiredKeys(e.nowMs, 100), e.nowMs));
        assertEquals(ZERO, e.r("exists", "g"));
        assertEquals(1, e.ks.keyCount());
        checkMemory();
        // a field rewritten in between is re-checked at the entry's time
        e.w("hpexpire", "h", "10", "FIELDS", "1", "b");
        e.nowMs += 11;
        List<byte[]> listed = e.ks.expiredKeys(e.nowMs, 100);
        e.w("hpersist", "h", "FIELDS", "1", "b");
        assertEquals(ints(-2), e.r("httl", "h", "FIELDS", "1", "b"), "b expired before HPERSIST ran");
        assertEquals(0, e.ks.deleteIfExpired(listed, e.nowMs));
        checkMemory();
    }

    @Test
    void activeExpiryOfAKeyWithBothKindsOfTtl() {
        e.w("hset", "h", "a", "1");
        e.w("hpexpire", "h", "10", "FIELDS", "1", "a");
        e.w("pexpire", "h", "5");
        e.nowMs += 20;
        List<byte[]> listed = e.ks.expiredKeys(e.nowMs, 100);
        assertEquals(2, listed.size(), "listed by both heaps");
        assertEquals(1, e.ks.deleteIfExpired(listed, e.nowMs));
        assertEquals(0, e.ks.keyCount());
        checkMemory();
    }

    @Test
    void hsetClearsTheTtlAndIncrementsKeepIt() {
        e.w("hset", "h", "a", "1", "n", "5", "x", "1.5");
        e.w("hexpire", "h", "100", "FIELDS", "3", "a", "n", "x");
        e.w("hset", "h", "a", "2");
        e.w("hincrby", "h", "n", "1");
        e.w("hincrbyfloat", "h", "x", "1");
        assertEquals(ints(-1, 100, 100), e.r("httl", "h", "FIELDS", "3", "a", "n", "x"));
        assertEquals(ZERO, e.w("hsetnx", "h", "n", "9"));
        assertEquals(ints(100), e.r("httl", "h", "FIELDS", "1", "n"));
        e.w("hdel", "h", "n");
        e.w("hset", "h", "n", "1");
        assertEquals(ints(-1), e.r("httl", "h", "FIELDS", "1", "n"));
        checkMemory();
    }

    @Test
    void encodings() {
        e.w("hset", "small", "a", "1");
        assertEquals(bulk("listpack"), e.r("object", "encoding", "small"));
        e.w("hexpire", "small", "100", "FIELDS", "1", "zz");
        assertEquals(bulk("listpackex"), e.r("object", "encoding", "small"), "converted even when no field matched");
        e.w("hexpire", "small", "100", "FIELDS", "1", "a");
        e.w("hpersist", "small", "FIELDS", "1", "a");
        assertEquals(bulk("listpackex"), e.r("object", "encoding", "small"));
        e.w("hset", "big", "a", "y".repeat(65));
        e.w("hexpire", "big", "100", "FIELDS", "1", "a");
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "big"));
        e.w("hset", "small", "long", "y".repeat(65));
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "small"));
        assertEquals(ints(-1), e.r("httl", "small", "FIELDS", "1", "a"));
        checkMemory();
    }

    @Test
    void hashtableFormScanAndManyFields() {
        String[] args = new String[2 + 2 * 600];
        args[0] = "hset";
        args[1] = "h";
        for (int i = 0; i < 600; i++) {
            args[2 + 2 * i] = "f" + i;
            args[3 + 2 * i] = "v";
        }
        e.w(args);
        for (int i = 0; i < 600; i += 2) {
            assertEquals(ints(1), e.w("hpexpire", "h", Integer.toString(1 + i), "FIELDS", "1", "f" + i));
        }
        e.nowMs += 1000;
        assertEquals(integer(300), e.r("hlen", "h"));
        int seen = 0;
        String cursor = "0";
        do {
            ScanTest.Page page = ScanTest.parse(e.r("hscan", "h", cursor, "count", "50"));
            for (int i = 0; i < page.keys().size(); i += 2) {
                int n = Integer.parseInt(page.keys().get(i).substring(1));
                assertEquals(1, n % 2, "only fields without TTL are left");
                seen++;
            }
            cursor = page.cursor();
        } while (!cursor.equals("0"));
        assertEquals(300, seen);
        e.ks.deleteIfExpired(e.ks.expiredKeys(e.nowMs, 100), e.nowMs);
        assertEquals(integer(300), e.w("hlen", "h"));
        checkMemory();
    }

    @Test
    void renameAndCopyKeepFieldTtls() {
        e.w("hset", "h", "a", "1", "b", "2");
        e.w("hexpire", "h", "100", "FIELDS", "1", "a");
        assertEquals("+OK\r\n", e.w("rename", "h", "h2"));
        assertEquals(ints(100, -1), e.r("httl", "h2", "FIELDS", "2", "a", "b"));
        assertEquals(ONE, e.w("copy", "h2", "h3"));
        assertEquals(ints(100), e.r("httl", "h3", "FIELDS", "1", "a"));
        assertEquals(bulk("listpackex"), e.r("object", "encoding", "h3"));
        e.w("hpersist", "h3", "FIELDS", "1", "a");
        assertEquals(ints(100), e.r("httl", "h2", "FIELDS", "1", "a"), "the copy is independent");
        e.nowMs += 100_001;
        assertEquals(List.of("h2"), due());
        e.ks.deleteIfExpired(e.ks.expiredKeys(e.nowMs, 100), e.nowMs);
        assertEquals(ONE, e.r("hlen", "h2"));
        assertEquals(integer(2), e.r("hlen", "h3"));
        e.w("set", "h3", "string now");
        assertEquals(List.of(), due());
        checkMemory();
    }

    @Test
    void errors() {
        e.w("set", "s", "x");
        e.w("hset", "h", "a", "1");
        assertEquals(WRONGTYPE, e.w("hexpire", "s", "10", "FIELDS", "1", "a"));
        assertEquals(WRONGTYPE, e.w("hexpire", "s", "bad", "FIELDS", "0", "a"), "type is checked first");
        assertEquals(WRONGTYPE, e.r("httl", "s", "FIELDS", "1", "a"));
        assertEquals(WRONGTYPE, e.w("hpersist", "s", "FIELDS", "1", "a"));
        String notPositive = err("ERR Parameter `numFields` should be greater than 0");
        String mismatch = err("ERR The `numfields` parameter must match the number of arguments");
        String fieldsMissing = err("ERR Mandatory argument FIELDS is missing or not at the right position");
        assertEquals(notPositive, e.w("hexpire", "h", "10", "FIELDS", "0", "a"));
        assertEquals(notPositive, e.w("hexpire", "h", "10", "FIELDS", "abc", "a"));
        assertEquals(notPositive, e.w("hexpire", "h", "10", "NX", "FIELDS", "-1", "a"));
        assertEquals(mismatch, e.w("hexpire", "h", "10", "FIELDS", "2", "a"));
        assertEquals(mismatch, e.w("hexpire", "h", "10", "FIELDS", "1", "a", "b"));
        assertEquals(fieldsMissing, e.w("hexpire", "h", "10", "FIELD", "1", "a"));
        assertEquals(fieldsMissing, e.w("hexpire", "h", "10", "NX", "XX", "FIELDS", "1", "a"));
        assertEquals(notPositive, e.r("httl", "h", "FIELDS", "0", "a"));
        assertEquals(mismatch, e.r("hpttl", "h", "FIELDS", "3", "a"));
        assertEquals(fieldsMissing, e.r("hexpiretime", "h", "FIELDZ", "1", "a"));
        assertEquals(mismatch, e.w("hpersist", "h", "FIELDS", "2", "a"));
        assertEquals(err("ERR value is not an integer or out of range"), e.w("hexpire", "h", "1.5", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time, must be >= 0"), e.w("hpexpire", "h", "-1", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time in 'hexpire' command"),
                e.w("hexpire", "h", "70368744178", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time in 'hpexpireat' command"),
                e.w("hpexpireat", "h", "70368744177664", "FIELDS", "1", "a"));
        assertEquals(ints(1), e.w("hpexpireat", "h", "70368744177663", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time in 'hpexpire' command"),
                e.w("hpexpire", "h", "70368744177663", "FIELDS", "1", "a"), "relative time added to now");
        assertEquals(err("ERR wrong number of arguments for 'hexpire' command"), e.w("hexpire", "h", "10", "FIELDS", "1"));
        assertEquals(err("ERR wrong number of arguments for 'httl' command"), e.r("httl", "h", "FIELDS", "1"));
        assertEquals(ints(70368744177663L), e.r("hpexpiretime", "h", "FIELDS", "1", "a"));
        checkMemory();
    }

    @Test
    void snapshotRoundTripKeepsTtlsAndForms() throws IOException {
        e.w("hset", "lp", "a", "1", "b", "2");
        e.w("hexpire", "lp", "100", "FIELDS", "1", "a");
        e.w("hset", "lpx", "a", "1");
        e.w("hexpire", "lpx", "100", "FIELDS", "1", "zz");
        e.w("hset", "ht", "a", "1", "long", "y".repeat(65));
        e.w("hpexpire", "ht", "50", "FIELDS", "1", "long");
        e.w("hset", "plain", "a", "1");
        Engine restored = new Engine();
        restored.nowMs = e.nowMs;
        for (KeyspaceSnapshot.Record r : KeyspaceSnapshotTest.fullSnapshot(e.ks)) {
            restored.ks.restore(r.key(), r.value());
        }
        for (String key : List.of("lp", "lpx", "ht", "plain")) {
            assertEquals(e.r("object", "encoding", key), restored.r("object", "encoding", key), key);
            assertEquals(e.r("hpttl", key, "FIELDS", "3", "a", "b", "long"),
                    restored.r("hpttl", key, "FIELDS", "3", "a", "b", "long"), key);
        }
        assertEquals(bulk("listpackex"), restored.r("object", "encoding", "lpx"));
        assertEquals(e.ks.usedMemoryBytes(), restored.ks.usedMemoryBytes());
        assertEquals(restored.ks.db().recomputedMemoryBytes(), restored.ks.usedMemoryBytes());
        restored.nowMs += 51;
        assertEquals(List.of("ht"), restored.ks.expiredKeys(restored.nowMs, 10).stream()
                .map(k -> new String(k, StandardCharsets.ISO_8859_1)).toList(), "the restored hash is in the field heap");
        assertFalse(restored.r("hgetall", "ht").contains("yyy"));
    }
}
