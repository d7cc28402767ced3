package io.basalt.node.engine;

import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * A Redis set, in one of Redis 7.0's two encodings:
 * <ul>
 *   <li><b>intset</b>: every member is the canonical decimal form of a 64-bit integer (Redis's
 *       string2ll) and there are at most {@link #INTSET_ENTRIES_MAX}: a sorted {@code long[]},
 *       iterated in ascending order as Redis iterates an intset;</li>
 *   <li><b>hashtable</b>: otherwise. Members sit in an array (O(1) access by position, for SPOP
 *       and SRANDMEMBER) and a HashMap finds a member's position. Iteration is over the array,
 *       never over the map, so the order is a function of the writes applied: insertion order,
 *       with a removed member's slot taken by the last member.</li>
 * </ul>
 * As in Redis 7.0 an intset becomes a hashtable on the first non-integer member or when it grows
 * past the limit, and never goes back. (Redis 7.2's listpack sets are not modelled: 7.0.15, the
 * reference, answers "hashtable" for small non-integer sets.) Empty sets are never stored.
 */
final class SetValue implements CollectionValue {

    /** Redis's set-max-intset-entries default. */
    static final int INTSET_ENTRIES_MAX = 512;
    /** Estimated bytes per hashtable member besides its bytes: a HashMap node and a Member. */
    private static final long HASHTABLE_MEMBER_BYTES = 32 + 24;
    private static final long OBJECT_BYTES = 32;

    /** Sorted members while an intset; null once a hashtable. */
    private long[] ints = new long[4];
    private byte[][] members;
    private HashMap<Member, Member> index;
    private int size;
    /** Sum of MemoryModel.byteArray over the hashtable's members. */
    private long memberBytes;

    /** A member's bytes as a HashMap key; the value side carries its position in the array. */
    private static final class Member implements Comparable<Member> {
        final byte[] bytes;
        int pos;

        Member(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** Lets HashMap keep colliding members in a balanced tree (bounded cost under flooding). */
        @Override
        public int compareTo(Member o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }

    /** The keyspace's thresholds (set-max-intset-entries), read at each add. */
    private final EncodingLimits limits;

    /** An empty intset, to be filled by {@link #add} (Redis's createIntsetObject). */
    SetValue(EncodingLimits limits) {
        this.limits = limits;
    }

    /** Redis 7.0's setTypeCreate: an intset when the first member is an integer. */
    static SetValue createFor(byte[] first, long[] scratch, EncodingLimits limits) {
        SetValue s = new SetValue(limits);
        if (!RedisIntegers.string2ll(first, scratch)) {
            s.toHashtable();
        }
        return s;
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    int size() {
        return size;
    }

    boolean isIntset() {
        return ints != null;
    }

    @Override
    public String encoding() {
        return isIntset() ? "intset" : "hashtable";
    }

    /** The member at a position in iteration order, 0 <= i < size. */
    byte[] get(int i) {
        return isIntset() ? Long.toString(ints[i]).getBytes(StandardCharsets.US_ASCII) : members[i];
    }

    boolean contains(byte[] m, long[] scratch) {
        if (isIntset()) {
            return RedisIntegers.string2ll(m, scratch) && Arrays.binarySearch(ints, 0, size, scratch[0]) >= 0;
        }
        return index.containsKey(new Member(m));
    }

    /** Adds a member (stored without copying); true when it was not there. */
    boolean add(byte[] m, long[] scratch) {
        if (isIntset()) {
            if (RedisIntegers.string2ll(m, scratch)) {
                int at = Arrays.binarySearch(ints, 0, size, scratch[0]);
                if (at >= 0) {
                    return false;
                }
                at = -at - 1;
                if (size == ints.length) {
                    ints = Arrays.copyOf(ints, size * 2);
                }
                System.arraycopy(ints, at, ints, at + 1, size - at);
                ints[at] = scratch[0];
                size++;
                if (size > limits.setIntsetEntries) {
                    toHashtable();
                }
                return true;
            }
            toHashtable();
        }
        Member key = new Member(m);
        if (index.containsKey(key)) {
            return false;
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        key.pos = size;
        members[size++] = m;
        index.put(key, key);
        memberBytes += MemoryModel.byteArray(m.length);
        return true;
    }

    /** Removes a member; true when it was there. */
    boolean remove(byte[] m, long[] scratch) {
        if (isIntset()) {
            if (!RedisIntegers.string2ll(m, scratch)) {
                return false;
            }
            int at = Arrays.binarySearch(ints, 0, size, scratch[0]);
            if (at < 0) {
                return false;
            }
            System.arraycopy(ints, at + 1, ints, at, size - at - 1);
            size--;
            return true;
        }
        Member found = index.remove(new Member(m));
        if (found == null) {
            return false;
        }
        int last = size - 1;
        if (found.pos != last) {
            byte[] moved = members[last];
            members[found.pos] = moved;
            index.get(new Member(moved)).pos = found.pos;
        }
        members[last] = null;
        size--;
        memberBytes -= MemoryModel.byteArray(found.bytes.length);
        return true;
    }

    /** A deep copy (COPY): member arrays are immutable and shared. */
    @Override
    public SetValue duplicate() {
        SetValue c = new SetValue(limits);
        if (isIntset()) {
            c.ints = Arrays.copyOf(ints, Math.max(4, size));
            c.size = size;
            return c;
        }
        c.toHashtable();
        for (int i = 0; i < size; i++) {
            c.add(members[i], null);
        }
        return c;
    }

    @Override
    public long memoryBytes() {
        if (isIntset()) {
            return OBJECT_BYTES + MemoryModel.longArray(ints.length);
        }
        return OBJECT_BYTES + MemoryModel.refArray(members.length) + memberBytes
                + (long) size * HASHTABLE_MEMBER_BYTES + MemoryModel.refArray(hashTableSlots(size));
    }

    /** HashMap's table length for n entries at load factor 0.75 (an estimate). */
    private static int hashTableSlots(int n) {
        int slots = 16;
        while (slots * 3L / 4 < n) {
            slots *= 2;
        }
        return slots;
    }

    /** Switches an intset to the hashtable form, as a restored snapshot needs it. */
    void toHashtableForm() {
        if (isIntset()) {
            toHashtable();
        }
    }

    private void toHashtable() {
        long[] old = ints;
        int n = size;
        ints = null;
        members = new byte[Math.max(4, n)][];
        index = new HashMap<>();
        size = 0;
        memberBytes = 0;
        for (int i = 0; i < n; i++) {
            add(Long.toString(old[i]).getBytes(StandardCharsets.US_ASCII), null);
        }
    }
}
