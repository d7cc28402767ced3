package io.basalt.node.engine;

import java.util.Arrays;
import java.util.HashMap;

/**
 * A sorted set: members ordered by (score, member bytes as unsigned memcmp), as Redis orders them.
 *
 * <p>Kept as parallel sorted arrays (members, scores), so ranks are array indexes and every range
 * is a binary search. Small sets are "listpack" (Redis's encoding name): no index, member lookup
 * is a scan of at most {@link #LISTPACK_ENTRIES_MAX} members. A set that grows past that, or gets
 * a member longer than {@link #LISTPACK_VALUE_BYTES_MAX}, becomes "skiplist": a member → score
 * hash index is added. Like Redis, it never converts back. Insert and remove move array tails
 * (O(n) memmove); fine for the sizes sorted sets have in practice, and a candidate for a
 * rank-indexed tree later. The index is only looked up, never iterated, so its order never
 * reaches a reply.
 */
final class ZSet implements CollectionValue {

    /** Redis's zset-max-listpack-entries default. */
    static final int LISTPACK_ENTRIES_MAX = 128;
    /** Redis's zset-max-listpack-value default, bytes. */
    static final int LISTPACK_VALUE_BYTES_MAX = 64;
    /** Estimated bytes per index entry: HashMap.Node 32, key wrapper 16, boxed Double 16. */
    static final long INDEX_ENTRY_BYTES = 64;
    static final long OBJECT_BYTES = 32;

    /** The keyspace's thresholds (zset-max-listpack-*), read at each insert. */
    final EncodingLimits limits;
    byte[][] members = new byte[4][];
    double[] scores = new double[4];
    int size;
    /** Sum of {@link MemoryModel#byteArray} over members, kept for O(1) memory accounting. */
    long memberBytes;
    /** Member → score; null while listpack. */
    HashMap<Member, Double> index;

    /** A member as a hash key; Comparable so that HashMap's collision trees stay O(log n). */
    ZSet(EncodingLimits limits) {
        this.limits = limits;
    }

    record Member(byte[] bytes) implements Comparable<Member> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Member o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return index == null ? "listpack" : "skiplist";
    }

    @Override
    public long memoryBytes() {
        long bytes = OBJECT_BYTES + MemoryModel.refArray(members.length) + MemoryModel.longArray(scores.length)
                + memberBytes;
        if (index != null) {
            bytes += INDEX_ENTRY_BYTES * size + MemoryModel.refArray(hashMapSlots(size));
        }
        return bytes;
    }

    /** HashMap's table length for n entries at its load factor of 0.75. */
    private static int hashMapSlots(int n) {
        int slots = 16;
        while (slots * 3L / 4 < n) {
            slots *= 2;
        }
        return slots;
    }

    /** The member's score, or null. */
    Double score(byte[] member) {
        if (index != null) {
            return index.get(new Member(member));
        }
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(members[i], member)) {
                return scores[i];
            }
        }
        return null;
    }

    /** Redis's order: by score, ties by member bytes. -0.0 equals 0.0, as C's == has it. */
    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }

    /** Index of (score, member), or -(insertion point) - 1. */
    int search(double score, byte[] member) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(scores[mid], members[mid], score, member);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Adds a member that is not in the set. */
    void insert(byte[] member, double score) {
        int at = -search(score, member) - 1;
        Preconditions.check(at >= 0, "zset insert of a present member");
        if (size == members.length) {
            int cap = size * 2;
            members = Arrays.copyOf(members, cap);
            scores = Arrays.copyOf(scores, cap);
        }
        System.arraycopy(members, at, members, at + 1, size - at);
        System.arraycopy(scores, at, scores, at + 1, size - at);
        members[at] = member;
        scores[at] = score;
        size++;
        memberBytes += MemoryModel.byteArray(member.length);
        if (index != null) {
            index.put(new Member(member), score);
        } else if (size > limits.zsetListpackEntries || member.length > limits.zsetListpackValue) {
            index = new HashMap<>();
            for (int i = 0; i < size; i++) {
                index.put(new Member(members[i]), scores[i]);
            }
        }
    }

    /** Removes a member whose score is {@code score}. */
    void remove(byte[] member, double score) {
        int at = search(score, member);
        Preconditions.check(at >= 0, "zset remove of an absent member");
        removeRange(at, at);
    }

    /** Removes ranks [from, to]. */
    void removeRange(int from, int to) {
        for (int i = from; i <= to; i++) {
            memberBytes -= MemoryModel.byteArray(members[i].length);
            if (index != null) {
                index.remove(new Member(members[i]));
            }
        }
        int n = to - from + 1;
        System.arraycopy(members, to + 1, members, from, size - to - 1);
        System.arraycopy(scores, to + 1, scores, from, size - to - 1);
        Arrays.fill(members, size - n, size, null);
        size -= n;
    }

    /** Changes the score of a present member. */
    void update(byte[] member, double oldScore, double newScore) {
        int at = search(oldScore, member);
        Preconditions.check(at >= 0, "zset update of an absent member");
        byte[] stored = members[at];
        removeRange(at, at);
        insert(stored, newScore);
    }

    /** First rank whose score is in the range's lower bound (size if none). */
    int firstInScore(double min, boolean minEx) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (minEx ? scores[mid] > min : scores[mid] >= min) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Last rank whose score is within the range's upper bound (-1 if none). */
    int lastInScore(double max, boolean maxEx) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (maxEx ? scores[mid] < max : scores[mid] <= max) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** First rank whose member is at or above the lex lower bound (size if none). */
    int firstInLex(LexBound min) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (min.belowOrAt(members[mid])) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Last rank whose member is at or below the lex upper bound (-1 if none). */
    int lastInLex(LexBound max) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (max.aboveOrAt(members[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** A deep copy for COPY, in the same encoding; members are immutable and shared. */
    @Override
    public ZSet duplicate() {
        ZSet z = new ZSet(limits);
        z.members = Arrays.copyOf(members, members.length);
        z.scores = Arrays.copyOf(scores, scores.length);
        z.size = size;
        z.memberBytes = memberBytes;
        z.index = index == null ? null : new HashMap<>(index);
        return z;
    }

    /** A ZRANGEBYLEX bound: - (minusInf), + (plusInf), or [member / (member. */
    record LexBound(byte[] member, boolean exclusive, int infinity) {
        static final LexBound MINUS = new LexBound(null, false, -1);
        static final LexBound PLUS = new LexBound(null, false, 1);

        /** Redis's zslParseLexRangeItem; null when invalid. */
        static LexBound parse(byte[] s) {
            if (s.length == 0) {
                return null;
            }
            switch (s[0]) {
                case '+':
                    return s.length == 1 || s[1] == 0 ? PLUS : null;
                case '-':
                    return s.length == 1 || s[1] == 0 ? MINUS : null;
                case '(':
                case '[':
                    return new LexBound(Arrays.copyOfRange(s, 1, s.length), s[0] == '(', 0);
                default:
                    return null;
            }
        }

        /** As a minimum: is member within it (Redis's zslLexValueGteMin)? */
        boolean belowOrAt(byte[] m) {
            if (infinity != 0) {
                return infinity < 0;
            }
            int c = Arrays.compareUnsigned(m, member);
            return exclusive ? c > 0 : c >= 0;
        }

        /** As a maximum: is member within it (zslLexValueLteMax)? */
        boolean aboveOrAt(byte[] m) {
            if (infinity != 0) {
                return infinity > 0;
            }
            int c = Arrays.compareUnsigned(m, member);
            return exclusive ? c < 0 : c <= 0;
        }
    }

    private static final class Preconditions {
        static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalStateException(message);
            }
        }
    }
}
