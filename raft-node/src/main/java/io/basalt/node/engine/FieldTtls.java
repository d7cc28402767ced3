package io.basalt.node.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * The expiry times of a hash's fields that have one (Redis 7.4's hash field expiration), in Unix
 * ms. Kept beside the hash's fields rather than in them, so a hash without field TTLs pays
 * nothing and the listpack and hashtable forms stay as they are.
 *
 * <p>Two indexes over the same pairs: a map for the per-field questions (HTTL, HPERSIST, is this
 * field expired), and a set ordered by (time, field bytes) for the earliest time (the keyspace's
 * field-expiry heap is keyed on it) and for the fields due now. The map's iteration order never
 * reaches a reply; the set's order is fixed by content, so every replica removes due fields in
 * the same order.
 *
 * <p>A field is expired when now > its time, the keyspace's rule for keys.
 */
final class FieldTtls {

    /** The two collections' headers and this object. */
    static final long OBJECT_BYTES = 160;
    /** A HashMap node, its key wrapper and boxed time, a TreeMap node and its pair; estimated. */
    static final long PER_FIELD_BYTES = 144;

    private static final Comparator<Timed> ORDER = (a, b) -> {
        int c = Long.compare(a.atMs, b.atMs);
        return c != 0 ? c : Arrays.compareUnsigned(a.field, b.field);
    };

    private final HashMap<FieldKey, Long> byField = new HashMap<>();
    private final TreeSet<Timed> byTime = new TreeSet<>(ORDER);

    /** A field as a map key: compared by content. */
    private record FieldKey(byte[] field) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FieldKey k && Arrays.equals(field, k.field);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(field);
        }
    }

    private record Timed(long atMs, byte[] field) {}

    int size() {
        return byField.size();
    }

    /** The field's expiry time, or -1 when it has none. */
    long get(byte[] field) {
        Long at = byField.get(new FieldKey(field));
        return at == null ? -1 : at;
    }

    boolean isExpired(byte[] field, long nowMs) {
        long at = get(field);
        return at >= 0 && nowMs > at;
    }

    void put(byte[] field, long atMs) {
        Long old = byField.put(new FieldKey(field), atMs);
        if (old != null) {
            byTime.remove(new Timed(old, field));
        }
        byTime.add(new Timed(atMs, field));
    }

    /** Drops the field's time; true when it had one. */
    boolean remove(byte[] field) {
        Long old = byField.remove(new FieldKey(field));
        if (old == null) {
            return false;
        }
        byTime.remove(new Timed(old, field));
        return true;
    }

    /** The earliest time, or -1 when no field has one. */
    long earliest() {
        return byTime.isEmpty() ? -1 : byTime.first().atMs;
    }

    boolean hasDue(long nowMs) {
        return !byTime.isEmpty() && nowMs > byTime.first().atMs;
    }

    /** Fields expired at nowMs, earliest first. */
    List<byte[]> due(long nowMs) {
        List<byte[]> out = new ArrayList<>();
        for (Timed t : byTime) {
            if (nowMs <= t.atMs) {
                break;
            }
            out.add(t.field);
        }
        return out;
    }

    /** How many fields are expired at nowMs. */
    int countDue(long nowMs) {
        int n = 0;
        for (Timed t : byTime) {
            if (nowMs <= t.atMs) {
                break;
            }
            n++;
        }
        return n;
    }

    FieldTtls duplicate() {
        FieldTtls copy = new FieldTtls();
        for (Timed t : byTime) {
            copy.put(t.field, t.atMs);
        }
        return copy;
    }

    long memoryBytes() {
        return OBJECT_BYTES + PER_FIELD_BYTES * byField.size();
    }
}
