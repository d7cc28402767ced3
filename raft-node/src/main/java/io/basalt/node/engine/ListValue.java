package io.basalt.node.engine;

import java.util.Arrays;

/**
 * A Redis list: a growable circular array of elements, O(1) at both ends and by index.
 *
 * <p>Redis 7.0 keeps every list in a quicklist (a linked list of listpacks) and OBJECT ENCODING
 * answers "quicklist" whatever the size; 7.0.15, the reference, does so even for a one-element
 * list (the "listpack" encoding of small lists came with 7.2). The encoding reply is therefore
 * fixed. Elements are stored without copying and never mutated, so they may be shared by COPY.
 * Empty lists are never stored: commands delete a key whose list they emptied.
 */
final class ListValue implements CollectionValue {

    private static final int CAPACITY_MIN = 8;
    /** The object header, the array reference, head, size and the element-bytes sum. */
    private static final long OBJECT_BYTES = 32;

    private byte[][] ring = new byte[CAPACITY_MIN][];
    private int head;
    private int size;
    /** Sum of MemoryModel.byteArray over the elements, kept so memoryBytes is O(1). */
    private long elementBytes;

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    int size() {
        return size;
    }

    private int slot(int i) {
        return (head + i) & (ring.length - 1);
    }

    /** The element at index i, 0 <= i < size. */
    byte[] get(int i) {
        checkIndex(i);
        return ring[slot(i)];
    }

    void set(int i, byte[] v) {
        checkIndex(i);
        int s = slot(i);
        elementBytes += MemoryModel.byteArray(v.length) - MemoryModel.byteArray(ring[s].length);
        ring[s] = v;
    }

    void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (ring.length - 1);
        ring[head] = v;
        size++;
        elementBytes += MemoryModel.byteArray(v.length);
    }

    void addLast(byte[] v) {
        grow();
        ring[slot(size)] = v;
        size++;
        elementBytes += MemoryModel.byteArray(v.length);
    }

    void add(boolean first, byte[] v) {
        if (first) {
            addFirst(v);
        } else {
            addLast(v);
        }
    }

    /** Removes and returns the head (first) or tail element; the list must not be empty. */
    byte[] remove(boolean first) {
        checkIndex(0);
        int s = first ? head : slot(size - 1);
        byte[] v = ring[s];
        ring[s] = null;
        if (first) {
            head = (head + 1) & (ring.length - 1);
        }
        size--;
        elementBytes -= MemoryModel.byteArray(v.length);
        shrink();
        return v;
    }

    /** Inserts v so that it becomes the element at index i, 0 <= i <= size. */
    void insert(int i, byte[] v) {
        if (i < 0 || i > size) {
            throw new IndexOutOfBoundsException(i);
        }
        addLast(v);
        for (int j = size - 1; j > i; j--) {
            ring[slot(j)] = ring[slot(j - 1)];
        }
        ring[slot(i)] = v;
    }

    /** Keeps only indexes from..to inclusive (an empty range when from > to). */
    void retain(int from, int to) {
        byte[][] kept = new byte[Math.max(0, to - from + 1)][];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = get(from + i);
        }
        replaceWith(kept, kept.length);
    }

    /**
     * LREM: removes up to {@code limit} elements equal to v (all when limit is 0), scanning from
     * the head, or from the tail when {@code fromTail}; returns how many were removed.
     */
    long removeEqual(byte[] v, long limit, boolean fromTail) {
        boolean[] drop = new boolean[size];
        long removed = 0;
        for (int k = 0; k < size && (limit == 0 || removed < limit); k++) {
            int i = fromTail ? size - 1 - k : k;
            if (Arrays.equals(ring[slot(i)], v)) {
                drop[i] = true;
                removed++;
            }
        }
        if (removed > 0) {
            byte[][] kept = new byte[size - (int) removed][];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!drop[i]) {
                    kept[n++] = ring[slot(i)];
                }
            }
            replaceWith(kept, n);
        }
        return removed;
    }

    private void replaceWith(byte[][] elements, int n) {
        int cap = CAPACITY_MIN;
        while (cap < n) {
            cap <<= 1;
        }
        ring = new byte[cap][];
        System.arraycopy(elements, 0, ring, 0, n);
        head = 0;
        size = n;
        elementBytes = 0;
        for (int i = 0; i < n; i++) {
            elementBytes += MemoryModel.byteArray(ring[i].length);
        }
    }

    /** A deep enough copy for COPY: a new ring, sharing the immutable element arrays. */
    @Override
    public ListValue duplicate() {
        ListValue c = new ListValue();
        c.ring = new byte[ring.length][];
        for (int i = 0; i < size; i++) {
            c.ring[i] = ring[slot(i)];
        }
        c.size = size;
        c.elementBytes = elementBytes;
        return c;
    }

    @Override
    public long memoryBytes() {
        return OBJECT_BYTES + MemoryModel.refArray(ring.length) + elementBytes;
    }

    /** For tests: {@link #memoryBytes} recomputed by walking the list. */
    long recomputedMemoryBytes() {
        long sum = OBJECT_BYTES + MemoryModel.refArray(ring.length);
        for (int i = 0; i < size; i++) {
            sum += MemoryModel.byteArray(get(i).length);
        }
        return sum;
    }

    /** Doubles a full ring; capacity stays a power of two so slot() can mask. */
    private void grow() {
        if (size < ring.length) {
            return;
        }
        if (ring.length >= (1 << 30)) {
            throw new IllegalStateException("list too long: " + size);
        }
        relocate(ring.length << 1);
    }

    /** Halves a ring at most a quarter full, so a list that shrank gives its memory back. */
    private void shrink() {
        if (ring.length > CAPACITY_MIN && size <= ring.length >> 2) {
            relocate(ring.length >> 1);
        }
    }

    private void relocate(int capacity) {
        byte[][] next = new byte[capacity][];
        for (int i = 0; i < size; i++) {
            next[i] = ring[slot(i)];
        }
        ring = next;
        head = 0;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " of " + size);
        }
    }
}
