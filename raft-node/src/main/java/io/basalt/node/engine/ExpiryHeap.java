package io.basalt.node.engine;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * The expiry times of the keys that have one: an indexed binary min-heap on the time, each entry
 * knowing its position ({@link Entry#expiryPos}).
 *
 * <p>Why a heap: active expiry must find the keys due now without scanning keys that are not.
 * A heap gives that in O(k) for k due keys (the due keys form a subtree at the root), costs
 * O(log n) per TTL change (only on writes that set, change or drop a TTL, or delete a key that
 * has one) and 12 bytes per key with a TTL, and nothing for keys without one beyond the 4-byte
 * position in {@link Entry}. Redis's alternative, random sampling of the expires dictionary, is
 * cheap too but neither deterministic nor guaranteed to find every due key, and a sorted tree
 * would cost a node object per key. The heap also keeps the exact sum of all expiry times, so
 * INFO's avg_ttl is exact and O(1).
 */
final class ExpiryHeap {

    private static final int INITIAL_CAPACITY = 16;

    /**
     * Which position field of {@link Entry} this heap owns: the key's own expiry time
     * ({@link Entry#expiryPos}) or, for a hash, its earliest field expiry time
     * ({@link Entry#fieldExpiryPos}), so one key can sit in both heaps at once.
     */
    private final boolean fieldHeap;

    private long[] times = new long[INITIAL_CAPACITY];
    private Entry[] entries = new Entry[INITIAL_CAPACITY];
    private int size;
    /** Sum of all times as a 128-bit two's complement number (sumHigh:sumLow). */
    private long sumHigh;
    private long sumLow;

    ExpiryHeap() {
        this(false);
    }

    ExpiryHeap(boolean fieldHeap) {
        this.fieldHeap = fieldHeap;
    }

    private int pos(Entry e) {
        return fieldHeap ? e.fieldExpiryPos : e.expiryPos;
    }

    private void setPos(Entry e, int pos) {
        if (fieldHeap) {
            e.fieldExpiryPos = pos;
        } else {
            e.expiryPos = pos;
        }
    }

    int size() {
        return size;
    }

    long timeOf(Entry e) {
        return times[pos(e)];
    }

    void add(Entry e, long timeMs) {
        if (size == times.length) {
            resize(size * 2);
        }
        int pos = size++;
        times[pos] = timeMs;
        entries[pos] = e;
        setPos(e, pos);
        addToSum(timeMs);
        siftUp(pos);
    }

    void update(Entry e, long timeMs) {
        int pos = pos(e);
        long old = times[pos];
        subtractFromSum(old);
        addToSum(timeMs);
        times[pos] = timeMs;
        if (timeMs < old) {
            siftUp(pos);
        } else {
            siftDown(pos);
        }
    }

    void remove(Entry e) {
        int pos = pos(e);
        subtractFromSum(times[pos]);
        setPos(e, -1);
        int last = --size;
        if (pos != last) {
            long movedTime = times[last];
            Entry moved = entries[last];
            times[pos] = movedTime;
            entries[pos] = moved;
            setPos(moved, pos);
            entries[last] = null;
            siftDown(pos);
            if (pos(moved) == pos) {
                siftUp(pos);
            }
        } else {
            entries[last] = null;
        }
        if (times.length > INITIAL_CAPACITY && size < times.length / 4) {
            resize(Math.max(INITIAL_CAPACITY, times.length / 2));
        }
    }

    void clear() {
        times = new long[INITIAL_CAPACITY];
        entries = new Entry[INITIAL_CAPACITY];
        size = 0;
        sumHigh = 0;
        sumLow = 0;
    }

    /**
     * Adds to {@code out} the keys whose time is at or before {@code nowMs}, at most {@code max},
     * earliest subtrees first: the heap's due part is the subtree of nodes with time <= now
     * hanging from the root, walked depth-first so the work is O(number returned).
     */
    void collectDue(long nowMs, int max, List<byte[]> out) {
        if (size == 0 || max <= 0 || times[0] > nowMs) {
            return;
        }
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0 && out.size() < max) {
            int pos = stack[--top];
            out.add(entries[pos].key);
            for (int child = 2 * pos + 1; child <= 2 * pos + 2 && child < size; child++) {
                if (times[child] <= nowMs) {
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = child;
                }
            }
        }
    }

    /** Mean of (time - nowMs) over all entries, rounded toward zero; 0 when empty. */
    long meanRemainingMs(long nowMs) {
        if (size == 0) {
            return 0;
        }
        BigInteger sum = BigInteger.valueOf(sumHigh).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(sumLow)));
        BigInteger remaining = sum.subtract(BigInteger.valueOf(nowMs).multiply(BigInteger.valueOf(size)));
        return remaining.divide(BigInteger.valueOf(size)).longValue();
    }

    long arrayBytes() {
        return MemoryModel.longArray(times.length) + MemoryModel.refArray(entries.length);
    }

    private void addToSum(long v) {
        long low = sumLow + v;
        long carry = Long.compareUnsigned(low, sumLow) < 0 ? 1 : 0;
        sumHigh += (v >> 63) + carry;
        sumLow = low;
    }

    private void subtractFromSum(long v) {
        long low = sumLow - v;
        long borrow = Long.compareUnsigned(sumLow, v) < 0 ? 1 : 0;
        sumHigh -= (v >> 63) + borrow;
        sumLow = low;
    }

    private void siftUp(int pos) {
        long t = times[pos];
        Entry e = entries[pos];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (times[parent] <= t) {
                break;
            }
            place(pos, times[parent], entries[parent]);
            pos = parent;
        }
        place(pos, t, e);
    }

    private void siftDown(int pos) {
        long t = times[pos];
        Entry e = entries[pos];
        int half = size >>> 1;
        while (pos < half) {
            int child = 2 * pos + 1;
            int right = child + 1;
            if (right < size && times[right] < times[child]) {
                child = right;
            }
            if (t <= times[child]) {
                break;
            }
            place(pos, times[child], entries[child]);
            pos = child;
        }
        place(pos, t, e);
    }

    private void place(int pos, long t, Entry e) {
        times[pos] = t;
        entries[pos] = e;
        setPos(e, pos);
    }

    private void resize(int capacity) {
        times = Arrays.copyOf(times, capacity);
        entries = Arrays.copyOf(entries, capacity);
    }

    /** Checks the heap property and positions; for tests. */
    void checkInvariants() {
        for (int i = 0; i < size; i++) {
            if (pos(entries[i]) != i) {
                throw new IllegalStateException("entry at " + i + " thinks it is at " + pos(entries[i]));
            }
            if (i > 0 && times[(i - 1) / 2] > times[i]) {
                throw new IllegalStateException("heap order broken at " + i);
            }
        }
    }
}
