package io.basalt.node.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The key → {@link Entry} hash table: chained buckets, power-of-two sizes, incremental rehashing
 * between two bucket arrays, and Redis's reverse-binary SCAN cursor. This is Redis's dict.c
 * restated, because SCAN's guarantee depends on exactly this shape.
 *
 * <p><b>SCAN guarantee.</b> A cursor is a bucket index whose bits are incremented from the most
 * significant end. Buckets of a table of size 2^n split into buckets of a 2^(n+1) table that
 * share the low n bits, so the buckets a cursor has already passed in one size are passed in any
 * other size too: a key present for a whole scan is returned at least once, across grows and
 * shrinks, and a full scan ends with cursor 0. During rehashing both arrays are visited
 * ({@link #scan}).
 *
 * <p><b>Determinism.</b> Layout depends only on the hash key and the sequence of inserts and
 * removes: rehash steps run on inserts and removes, never on reads (a read must not change
 * state, and reads happen on some replicas but not others). Resizes are decided on the spot
 * (Redis decides shrinks in a timer), so every replica resizes at the same operation.
 *
 * <p><b>Memory.</b> 4 bytes per bucket per array, load factor between 0.1 and 1 (grow when
 * count reaches the size, shrink when it falls below a tenth).
 */
final class KeyTable {

    static final int INITIAL_SIZE = 4;
    /** Largest bucket array; beyond this the load factor just rises. */
    static final int MAX_SIZE = 1 << 30;
    /** Buckets one rehash step may find empty before giving up for this operation (Redis: 10 × n). */
    private static final int REHASH_EMPTY_VISITS_MAX = 10;
    /** Shrink when count < size / SHRINK_RATIO (Redis's HASHTABLE_MIN_FILL of 10%). */
    private static final int SHRINK_RATIO = 10;
    /** Random bucket probes before RANDOMKEY falls back to a walk (bounds the work of one pick). */
    private static final int RANDOM_PROBES_MAX = 1000;

    private Entry[] t0 = new Entry[INITIAL_SIZE];
    /** The new array while rehashing, else null. */
    private Entry[] t1;
    /** Next bucket of t0 to move to t1; meaningful while rehashing. */
    private int rehashIdx;
    private long used0;
    private long used1;

    interface Visitor {
        void visit(Entry e);
    }

    long size() {
        return used0 + used1;
    }

    boolean isRehashing() {
        return t1 != null;
    }

    /** Bucket array sizes, for tests: {size of t0, size of t1 or 0}. */
    int[] bucketCounts() {
        return new int[] {t0.length, t1 == null ? 0 : t1.length};
    }

    Entry find(byte[] key, int hash) {
        for (Entry e = t0[hash & (t0.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        if (t1 != null) {
            for (Entry e = t1[hash & (t1.length - 1)]; e != null; e = e.next) {
                if (e.hash == hash && Arrays.equals(e.key, key)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Adds an entry whose key is not in the table. */
    void insert(Entry e) {
        if (t1 != null) {
            rehashStep();
        }
        if (t1 == null && used0 >= t0.length && t0.length < MAX_SIZE) {
            startRehash(nextPowerOfTwo(used0 + 1));
        }
        if (t1 != null) {
            int idx = e.hash & (t1.length - 1);
            e.next = t1[idx];
            t1[idx] = e;
            used1++;
        } else {
            int idx = e.hash & (t0.length - 1);
            e.next = t0[idx];
            t0[idx] = e;
            used0++;
        }
    }

    /** Removes an entry that is in the table. */
    void remove(Entry e) {
        if (t1 != null) {
            rehashStep();
        }
        if (unlink(t0, e)) {
            used0--;
        } else if (t1 != null && unlink(t1, e)) {
            used1--;
        } else {
            throw new IllegalStateException("removing an entry that is not in the table");
        }
        e.next = null;
        if (t1 == null && t0.length > INITIAL_SIZE && used0 * SHRINK_RATIO < t0.length) {
            startRehash(nextPowerOfTwo(Math.max(used0, INITIAL_SIZE)));
        }
    }

    void clear() {
        t0 = new Entry[INITIAL_SIZE];
        t1 = null;
        used0 = 0;
        used1 = 0;
    }

    /**
     * One SCAN step (Redis's dictScan): visits the bucket(s) at {@code cursor} and returns the next
     * cursor, 0 when the scan is complete. Any 64-bit cursor is accepted; bits above the table
     * size are ignored.
     */
    long scan(long cursor, Visitor visitor) {
        if (size() == 0) {
            return 0;
        }
        long v = cursor;
        if (t1 == null) {
            long m0 = t0.length - 1;
            visitChain(t0[(int) (v & m0)], visitor);
            v |= ~m0;
            v = Long.reverse(Long.reverse(v) + 1);
            return v;
        }
        Entry[] small = t0.length <= t1.length ? t0 : t1;
        Entry[] large = small == t0 ? t1 : t0;
        long m0 = small.length - 1;
        long m1 = large.length - 1;
        visitChain(small[(int) (v & m0)], visitor);
        do {
            visitChain(large[(int) (v & m1)], visitor);
            v |= ~m1;
            v = Long.reverse(Long.reverse(v) + 1);
        } while ((v & (m0 ^ m1)) != 0);
        return v;
    }

    /** Visits every entry (KEYS). The visitor must not change the table. */
    void forEach(Visitor visitor) {
        for (Entry head : t0) {
            visitChain(head, visitor);
        }
        if (t1 != null) {
            for (Entry head : t1) {
                visitChain(head, visitor);
            }
        }
    }

    /**
     * A pseudo-random entry, or null when empty: a random non-empty bucket, then a random entry of
     * its chain (Redis's dictGetRandomKey). Bounded: after {@link #RANDOM_PROBES_MAX} empty probes
     * it walks from a random bucket to the next non-empty one.
     */
    Entry random(SplittableRandom rnd) {
        if (size() == 0) {
            return null;
        }
        long span = t0.length + (t1 == null ? 0 : (long) t1.length);
        long first = t1 == null ? 0 : rehashIdx; // t0 buckets below rehashIdx are empty
        Entry head = null;
        for (int probe = 0; probe < RANDOM_PROBES_MAX && head == null; probe++) {
            head = bucket(first + rnd.nextLong(span - first));
        }
        if (head == null) {
            long start = first + rnd.nextLong(span - first);
            for (long i = 0; i < span && head == null; i++) {
                head = bucket((start + i) % span);
            }
        }
        int chain = 0;
        for (Entry e = head; e != null; e = e.next) {
            chain++;
        }
        Entry pick = head;
        for (int skip = rnd.nextInt(chain); skip > 0; skip--) {
            pick = pick.next;
        }
        return pick;
    }

    /**
     * Walks the buckets from the one at {@code start} (an index over both arrays) and returns the
     * first entry the predicate accepts, or null; for RANDOMKEY's fallback when most keys are
     * expired.
     */
    Entry firstFrom(long start, java.util.function.Predicate<Entry> accept) {
        long span = t0.length + (t1 == null ? 0 : (long) t1.length);
        for (long i = 0; i < span; i++) {
            for (Entry e = bucket(Math.floorMod(start + i, span)); e != null; e = e.next) {
                if (accept.test(e)) {
                    return e;
                }
            }
        }
        return null;
    }

    long bucketSpan() {
        return t0.length + (t1 == null ? 0 : (long) t1.length);
    }

    long arrayBytes() {
        return MemoryModel.refArray(t0.length) + (t1 == null ? 0 : MemoryModel.refArray(t1.length));
    }

    private Entry bucket(long index) {
        return index < t0.length ? t0[(int) index] : t1[(int) (index - t0.length)];
    }

    private static void visitChain(Entry e, Visitor visitor) {
        while (e != null) {
            Entry next = e.next; // the visitor may not change the table, but read next first as Redis does
            visitor.visit(e);
            e = next;
        }
    }

    private static boolean unlink(Entry[] table, Entry e) {
        int idx = e.hash & (table.length - 1);
        Entry prev = null;
        for (Entry cur = table[idx]; cur != null; prev = cur, cur = cur.next) {
            if (cur == e) {
                if (prev == null) {
                    table[idx] = cur.next;
                } else {
                    prev.next = cur.next;
                }
                return true;
            }
        }
        return false;
    }

    private void startRehash(int newSize) {
        if (newSize == t0.length) {
            return;
        }
        t1 = new Entry[newSize];
        rehashIdx = 0;
        if (used0 == 0) {
            finishRehash();
        }
    }

    /** Moves one non-empty bucket of t0 to t1 (Redis's dictRehash(d, 1)). */
    private void rehashStep() {
        int emptyVisits = REHASH_EMPTY_VISITS_MAX;
        if (used0 != 0) {
            while (t0[rehashIdx] == null) {
                rehashIdx++;
                if (--emptyVisits == 0) {
                    return;
                }
            }
            int mask = t1.length - 1;
            Entry e = t0[rehashIdx];
            while (e != null) {
                Entry next = e.next;
                int idx = e.hash & mask;
                e.next = t1[idx];
                t1[idx] = e;
                used0--;
                used1++;
                e = next;
            }
            t0[rehashIdx] = null;
            rehashIdx++;
        }
        if (used0 == 0) {
            finishRehash();
        }
    }

    private void finishRehash() {
        t0 = t1;
        used0 = used1;
        t1 = null;
        used1 = 0;
        rehashIdx = 0;
    }

    private static int nextPowerOfTwo(long n) {
        if (n >= MAX_SIZE) {
            return MAX_SIZE;
        }
        int size = INITIAL_SIZE;
        while (size < n) {
            size <<= 1;
        }
        return size;
    }

    /** Checks counts and bucket placement; for tests. */
    void checkInvariants() {
        long c0 = countAndCheck(t0, 0);
        long c1 = t1 == null ? 0 : countAndCheck(t1, 0);
        if (c0 != used0 || c1 != used1) {
            throw new IllegalStateException("counts " + c0 + "/" + c1 + " but recorded " + used0 + "/" + used1);
        }
        if (t1 != null) {
            for (int i = 0; i < rehashIdx; i++) {
                if (t0[i] != null) {
                    throw new IllegalStateException("bucket " + i + " below rehashIdx is not empty");
                }
            }
        }
    }

    private static long countAndCheck(Entry[] table, long n) {
        for (int i = 0; i < table.length; i++) {
            for (Entry e = table[i]; e != null; e = e.next) {
                if ((e.hash & (table.length - 1)) != i) {
                    throw new IllegalStateException("entry in wrong bucket");
                }
                n++;
            }
        }
        return n;
    }
}
