package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpiryHeapTest {

    private static Entry entry(int i) {
        byte[] k = ("e" + i).getBytes(StandardCharsets.US_ASCII);
        return new Entry(k, i, k);
    }

    @Test
    void randomOperationsKeepTheHeapAndItsSumExact() {
        long seed = Seeds.seed("ExpiryHeapTest.random");
        SplittableRandom rnd = new SplittableRandom(seed);
        ExpiryHeap heap = new ExpiryHeap();
        Map<Entry, Long> ref = new HashMap<>();
        List<Entry> pool = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pool.add(entry(i));
        }
        for (int op = 0; op < 50_000; op++) {
            Entry e = pool.get(rnd.nextInt(pool.size()));
            long t = rnd.nextInt(10) == 0 ? rnd.nextLong() : 1_000 + rnd.nextInt(1_000);
            if (e.expiryPos < 0) {
                heap.add(e, t);
                ref.put(e, t);
            } else if (rnd.nextBoolean()) {
                heap.update(e, t);
                ref.put(e, t);
            } else {
                heap.remove(e);
                ref.remove(e);
            }
            if (op % 1000 == 0) {
                heap.checkInvariants();
                assertEquals(reference(ref, 1500), heap.meanRemainingMs(1500), "seed " + seed);
            }
        }
        heap.checkInvariants();
        assertEquals(ref.size(), heap.size());
        for (Map.Entry<Entry, Long> x : ref.entrySet()) {
            assertEquals(x.getValue(), heap.timeOf(x.getKey()));
        }
        List<byte[]> due = new ArrayList<>();
        heap.collectDue(1500, Integer.MAX_VALUE, due);
        Set<String> dueKeys = new HashSet<>();
        due.forEach(k -> dueKeys.add(new String(k, StandardCharsets.US_ASCII)));
        Set<String> expected = new HashSet<>();
        ref.forEach((e, t) -> {
            if (t <= 1500) {
                expected.add(new String(e.key, StandardCharsets.US_ASCII));
            }
        });
        assertEquals(expected, dueKeys, "seed " + seed);
    }

    private static long reference(Map<Entry, Long> ref, long now) {
        if (ref.isEmpty()) {
            return 0;
        }
        BigInteger sum = BigInteger.ZERO;
        for (long t : ref.values()) {
            sum = sum.add(BigInteger.valueOf(t).subtract(BigInteger.valueOf(now)));
        }
        return sum.divide(BigInteger.valueOf(ref.size())).longValue();
    }

    @Test
    void collectDueStopsAtMaxAndTakesOnlyDueKeys() {
        ExpiryHeap heap = new ExpiryHeap();
        for (int i = 0; i < 100; i++) {
            heap.add(entry(i), i);
        }
        List<byte[]> out = new ArrayList<>();
        heap.collectDue(49, 10, out);
        assertEquals(10, out.size());
        out.clear();
        heap.collectDue(49, 1000, out);
        assertEquals(50, out.size());
        out.clear();
        heap.collectDue(-1, 1000, out);
        assertTrue(out.isEmpty());
    }

    @Test
    void sumSurvivesTimesNearTheLongLimits() {
        ExpiryHeap heap = new ExpiryHeap();
        heap.add(entry(1), Long.MAX_VALUE);
        heap.add(entry(2), Long.MAX_VALUE);
        heap.add(entry(3), Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE - 7, heap.meanRemainingMs(7));
        Entry low = entry(4);
        heap.add(low, Long.MIN_VALUE);
        heap.remove(low);
        assertEquals(Long.MAX_VALUE, heap.meanRemainingMs(0));
    }
}
