package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyTableTest {

    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void sipHash24MatchesTheReferenceVectors() {
        // From the SipHash paper's vectors.h: key 00..0f, message 00..(n-1).
        assertEquals(0x726fdb47dd0e0e31L, SipHash.hash(K0, K1, message(0), 2, 4));
        assertEquals(0x74f839c593dc67fdL, SipHash.hash(K0, K1, message(1), 2, 4));
        assertEquals(0x93f5f5799a932462L, SipHash.hash(K0, K1, message(8), 2, 4));
        assertEquals(0xa129ca6149be45e5L, SipHash.hash(K0, K1, message(15), 2, 4));
        assertEquals(0x958a324ceb064572L, SipHash.hash(K0, K1, message(63), 2, 4));
    }

    @Test
    void sipHash12DependsOnTheKeyAndEveryByte() {
        byte[] m = message(20);
        long h = SipHash.hash(K0, K1, m);
        assertTrue(h != SipHash.hash(K0 + 1, K1, m));
        for (int i = 0; i < m.length; i++) {
            byte[] changed = m.clone();
            changed[i] ^= 1;
            assertTrue(h != SipHash.hash(K0, K1, changed), "byte " + i);
        }
    }

    private static byte[] message(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    private static Entry entry(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return new Entry(k, (int) SipHash.hash(1, 2, k), k);
    }

    @Test
    void growsAndShrinksThroughIncrementalRehashing() {
        KeyTable t = new KeyTable();
        List<Entry> entries = new ArrayList<>();
        boolean sawRehashing = false;
        for (int i = 0; i < 5000; i++) {
            Entry e = entry("k" + i);
            t.insert(e);
            entries.add(e);
            sawRehashing |= t.isRehashing();
            if (i % 97 == 0) {
                t.checkInvariants();
            }
        }
        assertTrue(sawRehashing);
        assertEquals(5000, t.size());
        assertTrue(t.bucketCounts()[0] >= 4096, "table grew");
        for (Entry e : entries) {
            assertSame(e, t.find(e.key, e.hash));
        }
        for (int i = 0; i < 4990; i++) {
            t.remove(entries.get(i));
            if (i % 89 == 0) {
                t.checkInvariants();
            }
        }
        t.checkInvariants();
        assertEquals(10, t.size());
        // The shrink may still be in progress: one bucket moves per insert or remove.
        for (int i = 0; i < 2000 && t.isRehashing(); i++) {
            Entry e = entry("extra" + i);
            t.insert(e);
            t.remove(e);
        }
        assertTrue(!t.isRehashing() && t.bucketCounts()[0] <= 64, "table shrank: " + t.bucketCounts()[0]);
        assertNull(t.find(entries.get(0).key, entries.get(0).hash));
        assertSame(entries.get(4999), t.find(entries.get(4999).key, entries.get(4999).hash));
    }

    @Test
    void randomOperationsAgreeWithAReferenceMap() {
        long seed = Seeds.seed("KeyTableTest.randomOperations");
        SplittableRandom rnd = new SplittableRandom(seed);
        KeyTable t = new KeyTable();
        Map<String, Entry> ref = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            String key = "k" + rnd.nextInt(rnd.nextBoolean() ? 50 : 5000);
            Entry present = ref.get(key);
            Entry e = entry(key);
            assertSame(present, t.find(e.key, e.hash), "seed " + seed);
            if (present == null) {
                t.insert(e);
                ref.put(key, e);
            } else if (rnd.nextInt(3) > 0) {
                t.remove(present);
                ref.remove(key);
            }
            if (op % 10_000 == 0) {
                t.checkInvariants();
            }
        }
        assertEquals(ref.size(), t.size(), "seed " + seed);
        Set<Entry> visited = new HashSet<>();
        t.forEach(e -> assertTrue(visited.add(e), "visited twice"));
        assertEquals(new HashSet<>(ref.values()), visited);
    }

    @Test
    void randomReturnsMembersAndReachesAllOfThem() {
        KeyTable t = new KeyTable();
        assertNull(t.random(new SplittableRandom(1)));
        Set<Entry> all = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Entry e = entry("r" + i);
            t.insert(e);
            all.add(e);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        Set<Entry> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            Entry e = t.random(rnd);
            assertTrue(all.contains(e));
            seen.add(e);
        }
        assertEquals(all, seen);
    }

    @Test
    void scanOfEmptyTableEndsAtOnce() {
        KeyTable t = new KeyTable();
        assertEquals(0, t.scan(0, e -> { }));
        assertEquals(0, t.scan(12345, e -> { }));
    }

    @Test
    void fullScanVisitsEveryKeyOnceWhenNothingChanges() {
        KeyTable t = new KeyTable();
        Set<Entry> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Entry e = entry("s" + i);
            t.insert(e);
            all.add(e);
        }
        List<Entry> seen = new ArrayList<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = t.scan(cursor, seen::add);
            calls++;
        } while (cursor != 0);
        assertEquals(all.size(), seen.size(), "no duplicates without resizes");
        assertEquals(all, new HashSet<>(seen));
        assertTrue(calls >= 1024, "one bucket per call");
    }

    /**
     * SCAN's guarantee: a key present from the start to the end of a full scan is returned at
     * least once, whatever is inserted and deleted between calls and however often the table
     * grows, shrinks or is mid-rehash.
     */
    @Test
    void scanReturnsEveryStableKeyDespiteConcurrentChangesAndResizes() {
        long seed = Seeds.seed("KeyTableTest.scanGuarantee");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++) {
            KeyTable t = new KeyTable();
            List<Entry> stable = new ArrayList<>();
            int stableCount = 1 + rnd.nextInt(300);
            for (int i = 0; i < stableCount; i++) {
                Entry e = entry("stable-" + round + "-" + i);
                t.insert(e);
                stable.add(e);
            }
            List<Entry> churn = new ArrayList<>();
            Set<Entry> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            int resizesSeen = 0;
            int lastSize = t.bucketCounts()[0];
            boolean growPhase = true;
            do {
                cursor = t.scan(cursor, seen::add);
                calls++;
                // Alternate phases of mass inserts (grow) and mass deletes (shrink).
                if (calls % 7 == 0) {
                    growPhase = !growPhase;
                }
                int changes = rnd.nextInt(200);
                for (int c = 0; c < changes; c++) {
                    if (growPhase || churn.isEmpty()) {
                        Entry e = entry("churn-" + round + "-" + calls + "-" + c);
                        t.insert(e);
                        churn.add(e);
                    } else {
                        t.remove(churn.remove(rnd.nextInt(churn.size())));
                    }
                }
                if (t.bucketCounts()[0] != lastSize) {
                    resizesSeen++;
                    lastSize = t.bucketCounts()[0];
                }
                if (calls > 1_000_000) {
                    throw new AssertionError("scan did not terminate, seed " + seed);
                }
            } while (cursor != 0);
            for (Entry e : stable) {
                assertTrue(seen.contains(e), "stable key missed in round " + round + ", seed " + seed);
            }
            assertTrue(resizesSeen > 0 || calls < 3, "round " + round + " resized, seed " + seed);
            t.checkInvariants();
        }
    }

    @Test
    void scanCursorsIgnoreBitsAboveTheTableSize() {
        KeyTable t = new KeyTable();
        Entry e = entry("only");
        t.insert(e);
        // Any cursor: the masked bucket is visited, and the high bits do not prevent termination.
        for (long cursor : new long[] {0, 3, -1L, Long.MIN_VALUE, 1L << 40}) {
            long c = cursor;
            int steps = 0;
            do {
                c = t.scan(c, x -> { });
                steps++;
            } while (c != 0 && steps < 10);
            assertEquals(0, c, "cursor " + cursor);
        }
        List<Entry> got = new ArrayList<>();
        t.scan(e.hash & 3, got::add);
        assertArrayEquals(new Entry[] {e}, got.toArray());
    }

    @Test
    void clearEmptiesEverything() {
        KeyTable t = new KeyTable();
        Entry e = entry("x");
        t.insert(e);
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.find(e.key, e.hash));
        assertNotNull(t.bucketCounts());
        t.checkInvariants();
    }
}
