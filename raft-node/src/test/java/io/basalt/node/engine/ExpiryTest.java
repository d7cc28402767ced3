package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.NIL;
import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expiry semantics: alive while now <= T, gone when now > T; reads never delete. */
class ExpiryTest {

    private final Engine e = new Engine();

    @Test
    void ttlAtTheExactExpiryInstantAndOneMillisecondAfter() {
        long t0 = e.nowMs;
        assertEquals(OK, e.w("set", "k", "v", "PX", "1000"));
        e.nowMs = t0 + 999;
        assertEquals(integer(1), e.r("pttl", "k"));
        assertEquals(integer(0), e.r("ttl", "k")); // (1 + 500) / 1000
        e.nowMs = t0 + 1000; // T itself: still alive
        assertEquals(bulk("v"), e.r("get", "k"));
        assertEquals(integer(0), e.r("pttl", "k"));
        assertEquals(integer(0), e.r("ttl", "k"));
        assertEquals(integer(1), e.r("exists", "k"));
        assertEquals(integer(t0 + 1000), e.r("pexpiretime", "k"));
        e.nowMs = t0 + 1001; // T + 1: gone
        assertEquals(NIL, e.r("get", "k"));
        assertEquals(integer(-2), e.r("pttl", "k"));
        assertEquals(integer(-2), e.r("ttl", "k"));
        assertEquals(integer(-2), e.r("expiretime", "k"));
        assertEquals(integer(-2), e.r("pexpiretime", "k"));
        assertEquals(ZERO, e.r("exists", "k"));
        assertEquals("+none\r\n", e.r("type", "k"));
        assertEquals("*0\r\n", e.r("keys", "*"));
        assertEquals("$-1\r\n", e.r("randomkey"));
        assertEquals("$-1\r\n", e.r("object", "encoding", "k"));
    }

    @Test
    void ttlRoundsToTheNearestSecond() {
        long t0 = e.nowMs;
        e.w("set", "k", "v", "PX", "1499");
        assertEquals(integer(1), e.r("ttl", "k"));
        e.w("set", "k", "v", "PX", "1500");
        assertEquals(integer(2), e.r("ttl", "k"));
        e.w("set", "k", "v", "PXAT", Long.toString(t0 + 10_499));
        assertEquals(integer(10), e.r("ttl", "k"));
        assertEquals(integer((t0 + 10_499 + 500) / 1000), e.r("expiretime", "k"));
    }

    @Test
    void readsTreatExpiredKeysAsAbsentButDoNotDeleteThem() {
        e.w("set", "k", "v", "PX", "10");
        e.w("set", "other", "x");
        e.nowMs += 11;
        assertEquals(NIL, e.r("get", "k"));
        assertEquals(ZERO, e.r("exists", "k"));
        assertEquals("*1\r\n$-1\r\n", e.r("mget", "k"));
        assertEquals("*1\r\n$5\r\nother\r\n", e.r("keys", "*"));
        assertEquals(integer(2), e.r("dbsize")); // counts the expired key until it is deleted
        assertEquals(2, e.ks.keyCount());
        assertEquals(1, e.ks.keysWithExpiry());
        // A command from the log that touches it deletes it.
        assertEquals(NIL, e.w("get", "k"));
        assertEquals(1, e.ks.keyCount());
        assertEquals(0, e.ks.keysWithExpiry());
    }

    @Test
    void writesTreatExpiredKeysAsAbsent() {
        e.w("set", "k", "v", "PX", "10");
        e.nowMs += 11;
        assertEquals(OK, e.w("set", "k", "new", "NX"));
        assertEquals(integer(-1), e.r("ttl", "k"));
        e.w("set", "k", "v", "PX", "10");
        e.nowMs += 11;
        assertEquals(OK, e.w("set", "k", "new", "KEEPTTL")); // nothing to keep: the old key is gone
        assertEquals(integer(-1), e.r("ttl", "k"));
        e.w("set", "n", "5", "PX", "10");
        e.nowMs += 11;
        assertEquals(integer(1), e.w("incr", "n"));
        e.w("set", "a", "x", "PX", "10");
        e.nowMs += 11;
        assertEquals(integer(1), e.w("append", "a", "y"));
        e.w("set", "src", "x", "PX", "10");
        e.nowMs += 11;
        assertEquals("-ERR no such key\r\n", e.w("rename", "src", "dst"));
        assertEquals(ZERO, e.w("del", "src"));
    }

    @Test
    void expireAtOrBeforeNowDeletesAndRepliesOne() {
        long now = e.nowMs;
        e.w("set", "k", "v");
        assertEquals(ONE, e.w("pexpireat", "k", Long.toString(now)));
        assertEquals(0, e.ks.keyCount());
        e.w("set", "k", "v");
        assertEquals(ONE, e.w("pexpireat", "k", Long.toString(now + 1)));
        assertEquals(1, e.ks.keyCount());
        assertEquals(integer(1), e.r("pttl", "k"));
        assertEquals(ONE, e.w("expire", "k", "-10"));
        assertEquals(0, e.ks.keyCount());
        e.w("set", "k", "v");
        assertEquals(bulk("v"), e.w("getex", "k", "PXAT", Long.toString(now)));
        assertEquals(0, e.ks.keyCount());
        e.w("set", "k", "v");
        assertEquals(bulk("v"), e.w("getex", "k", "PXAT", Long.toString(now + 1)));
        assertEquals(integer(1), e.r("pttl", "k"));
    }

    @Test
    void setWithAPastAbsoluteTimeStoresAnExpiredKey() {
        assertEquals(OK, e.w("set", "k", "v", "PXAT", "1"));
        assertEquals(1, e.ks.keyCount()); // as Redis 7.0: stored, then absent to every command
        assertEquals(NIL, e.r("get", "k"));
    }

    @Test
    void overwritingDropsTheTtlButInPlaceChangesKeepIt() {
        e.w("set", "k", "1", "EX", "100");
        e.w("incr", "k");
        e.w("incrbyfloat", "k", "0.5");
        e.w("append", "k", "0");
        e.w("setrange", "k", "0", "9");
        assertEquals(integer(100), e.r("ttl", "k"));
        assertEquals(bulk("9.50"), e.r("get", "k"));
        e.w("getset", "k", "x");
        assertEquals(integer(-1), e.r("ttl", "k"));
        e.w("expire", "k", "100");
        e.w("mset", "k", "y");
        assertEquals(integer(-1), e.r("ttl", "k"));
    }

    @Test
    void activeExpiryProposesDueKeysAndDeletesOnlyThoseStillExpired() {
        long now = e.nowMs;
        for (int i = 0; i < 10; i++) {
            e.w("set", "k" + i, "v", "PXAT", Long.toString(now + i));
        }
        e.w("set", "forever", "v");
        e.nowMs = now + 4;
        List<byte[]> due = e.ks.expiredKeys(now + 4, 100);
        assertEquals(Set.of("k0", "k1", "k2", "k3", "k4"), names(due)); // at or before now
        assertEquals(11, e.ks.keyCount()); // proposing changes nothing
        // Before the entry is applied, k1 is rewritten and k4 (alive until now + 4 inclusive)
        // gets a later expiry.
        e.w("set", "k1", "again");
        assertEquals(ONE, e.w("pexpireat", "k4", Long.toString(now + 1000)));
        assertEquals(3, e.ks.deleteIfExpired(due, now + 5)); // k0, k2, k3
        assertEquals(Set.of("k1", "k4", "k5", "k6", "k7", "k8", "k9", "forever"), names(allKeys()));
        // A key due exactly now is proposed but kept if applied in the same millisecond.
        List<byte[]> k5 = e.ks.expiredKeys(now + 5, 100);
        assertEquals(Set.of("k5"), names(k5));
        assertEquals(0, e.ks.deleteIfExpired(k5, now + 5));
        assertEquals(1, e.ks.deleteIfExpired(k5, now + 6));
        assertEquals(0, e.ks.deleteIfExpired(List.of("nosuch".getBytes(StandardCharsets.US_ASCII)), now + 6));
        e.ks.db().checkInvariants();
    }

    @Test
    void activeExpiryEventuallyReturnsEveryExpiredKey() {
        for (int i = 0; i < 1000; i++) {
            e.w("set", "k" + i, "v", "PX", Integer.toString(1 + i % 50));
        }
        for (int i = 0; i < 100; i++) {
            e.w("set", "live" + i, "v", "EX", "1000");
        }
        e.nowMs += 100;
        int rounds = 0;
        while (true) {
            List<byte[]> due = e.ks.expiredKeys(e.nowMs, 20);
            if (due.isEmpty()) {
                break;
            }
            assertTrue(due.size() <= 20);
            assertEquals(due.size(), e.ks.deleteIfExpired(due, e.nowMs));
            assertTrue(++rounds <= 50, "too many rounds");
        }
        assertEquals(100, e.ks.keyCount());
        assertEquals(100, e.ks.keysWithExpiry());
        e.ks.db().checkInvariants();
    }

    private Set<String> names(List<byte[]> keys) {
        Set<String> s = new HashSet<>();
        keys.forEach(k -> s.add(new String(k, StandardCharsets.ISO_8859_1)));
        return s;
    }

    private List<byte[]> allKeys() {
        List<byte[]> keys = new ArrayList<>();
        e.ks.db().table().forEach(x -> keys.add(x.key));
        return keys;
    }
}
