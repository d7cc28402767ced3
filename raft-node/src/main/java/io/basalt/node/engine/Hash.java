package io.basalt.node.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * A Redis hash: field → value, both binary strings. Two forms, as Redis keeps them:
 * <ul>
 *   <li><b>listpack</b> (small): parallel arrays of fields and values in insertion order, found by
 *       a linear scan. Used while there are at most hash-max-listpack-entries fields and no
 *       field or value is longer than hash-max-listpack-value bytes (Redis's
 *       hash-max-listpack-entries and hash-max-listpack-value defaults).</li>
 *   <li><b>hashtable</b>: a {@link KeyTable} of {@link Entry}s (field as key, value as a
 *       {@code byte[]}), so iteration order and HSCAN cursors follow the engine's own table,
 *       never a {@code java.util.HashMap}'s.</li>
 * </ul>
 * Conversion is one way, listpack to hashtable, as in Redis: a hash never shrinks back.
 *
 * <p>Fields may have expiry times (HEXPIRE, Redis 7.4), kept in a {@link FieldTtls} beside the
 * fields; a field past its time is <i>expired</i>: still stored until a write or active expiry
 * removes it ({@link #removeDue}), but invisible to the {@code nowMs} reads ({@link #get(byte[],
 * long)}, {@link #liveSize}, {@link #forEachLive}...). A listpack that ever had a field TTL
 * reports "listpackex", as Redis 7.4's listpack-with-TTLs form does.
 *
 * <p>Field and value arrays are stored as given (the caller hands them over). Mutable, so COPY
 * takes a {@link #duplicate}. {@link #memoryBytes} is kept current on every change.
 */
final class Hash implements CollectionValue {

    /** Redis 7.0's defaults of hash-max-listpack-entries and -value (see {@link EncodingLimits}). */
    static final int LISTPACK_ENTRIES_MAX = 512;
    static final int LISTPACK_VALUE_BYTES_MAX = 64;
    /** 12-byte header, 6 references, an int and a long. */
    static final long OBJECT_BYTES = 48;

    /** Hashes a field with the keyspace's SipHash key; the same on every replica. */
    private final ToIntFunction<byte[]> hasher;
    /** The keyspace's thresholds (hash-max-listpack-*), read at each change. */
    private final EncodingLimits limits;
    /** Listpack form, else null. */
    private byte[][] fields;
    private byte[][] values;
    private int size;
    /** Hashtable form, else null. */
    private KeyTable table;
    /** Bytes of the field and value arrays, plus entries in the hashtable form. */
    private long dataBytes;
    /** Field expiry times; null until a field first gets one. */
    private FieldTtls ttls;

    Hash(ToIntFunction<byte[]> hasher, EncodingLimits limits) {
        this.hasher = hasher;
        this.limits = limits;
        this.fields = new byte[4][];
        this.values = new byte[4][];
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    boolean isListpack() {
        return table == null;
    }

    /** OBJECT ENCODING's name for the current form. */
    @Override
    public String encoding() {
        if (table != null) {
            return "hashtable";
        }
        return ttls == null ? "listpack" : "listpackex";
    }

    long size() {
        return table == null ? size : table.size();
    }

    byte[] get(byte[] field) {
        if (table == null) {
            int i = indexOf(field);
            return i < 0 ? null : values[i];
        }
        Entry e = table.find(field, hasher.applyAsInt(field));
        return e == null ? null : (byte[]) e.value;
    }

    /** The field's value unless it is absent or expired at nowMs. */
    byte[] get(byte[] field, long nowMs) {
        byte[] v = get(field);
        return v == null || (ttls != null && ttls.isExpired(field, nowMs)) ? null : v;
    }

    /** True when the field has an expiry time and nowMs is past it. */
    boolean isExpired(byte[] field, long nowMs) {
        return ttls != null && ttls.isExpired(field, nowMs);
    }

    /** Fields not expired at nowMs. */
    long liveSize(long nowMs) {
        return ttls == null ? size() : size() - ttls.countDue(nowMs);
    }

    /** True when the hash has the field-TTL form (listpackex), even with no TTL left. */
    boolean hasTtlForm() {
        return ttls != null;
    }

    /** The field's expiry time, or -1 when it has none (or is absent). */
    long expireAt(byte[] field) {
        return ttls == null ? -1 : ttls.get(field);
    }

    /** Earliest expiry time of any field, or -1. */
    long earliestFieldExpiry() {
        return ttls == null ? -1 : ttls.earliest();
    }

    /** True when some field is expired at nowMs. */
    boolean hasDue(long nowMs) {
        return ttls != null && ttls.hasDue(nowMs);
    }

    /** Sets the expiry time of a present field. */
    void setExpireAt(byte[] field, long atMs) {
        toTtlForm();
        if (ttls.get(field) >= 0) {
            ttls.remove(field);
            dataBytes -= FieldTtls.PER_FIELD_BYTES;
        }
        ttls.put(field, atMs);
        dataBytes += FieldTtls.PER_FIELD_BYTES;
    }

    /** Switches to the field-TTL form (listpackex), as the first HEXPIRE or a snapshot does. */
    void toTtlForm() {
        if (ttls == null) {
            ttls = new FieldTtls();
            dataBytes += FieldTtls.OBJECT_BYTES;
        }
    }

    /** Drops the field's expiry time; true when it had one. */
    boolean persist(byte[] field) {
        if (ttls != null && ttls.remove(field)) {
            dataBytes -= FieldTtls.PER_FIELD_BYTES;
            return true;
        }
        return false;
    }

    /** Removes every field expired at nowMs, earliest first; returns how many. */
    int removeDue(long nowMs) {
        if (ttls == null) {
            return 0;
        }
        List<byte[]> due = ttls.due(nowMs);
        for (byte[] f : due) {
            remove(f);
        }
        return due.size();
    }

    /** Converts to a hashtable when any of the arguments is too long for a listpack (hashTypeTryConversion). */
    void convertIfLong(byte[] arg) {
        if (table == null && arg.length > limits.hashListpackValue) {
            toHashtable();
        }
    }

    /** Sets a field, dropping its expiry time as HSET does; true when it was new. */
    boolean set(byte[] field, byte[] value) {
        persist(field);
        return setKeepTtl(field, value);
    }

    /**
     * Sets a field and keeps its expiry time, as HINCRBY does (it changes the value without
     * replacing it); true when it was new (Redis's hashTypeSet, conversions included).
     */
    boolean setKeepTtl(byte[] field, byte[] value) {
        convertIfLong(field);
        convertIfLong(value);
        if (table != null) {
            int h = hasher.applyAsInt(field);
            Entry e = table.find(field, h);
            if (e != null) {
                dataBytes += MemoryModel.byteArray(value.length) - MemoryModel.byteArray(((byte[]) e.value).length);
                e.value = value;
                return false;
            }
            table.insert(new Entry(field, h, value));
            dataBytes += MemoryModel.ENTRY_BYTES + MemoryModel.byteArray(field.length) + MemoryModel.byteArray(value.length);
            return true;
        }
        int i = indexOf(field);
        if (i >= 0) {
            dataBytes += MemoryModel.byteArray(value.length) - MemoryModel.byteArray(values[i].length);
            values[i] = value;
            return false;
        }
        if (size == fields.length) {
            fields = Arrays.copyOf(fields, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        fields[size] = field;
        values[size] = value;
        size++;
        dataBytes += MemoryModel.byteArray(field.length) + MemoryModel.byteArray(value.length);
        if (size > limits.hashListpackEntries) {
            toHashtable();
        }
        return true;
    }

    /** Removes a field and its expiry time; true when it was there. */
    boolean remove(byte[] field) {
        persist(field);
        if (table != null) {
            Entry e = table.find(field, hasher.applyAsInt(field));
            if (e == null) {
                return false;
            }
            table.remove(e);
            dataBytes -= MemoryModel.ENTRY_BYTES + MemoryModel.byteArray(field.length)
                    + MemoryModel.byteArray(((byte[]) e.value).length);
            return true;
        }
        int i = indexOf(field);
        if (i < 0) {
            return false;
        }
        dataBytes -= MemoryModel.byteArray(fields[i].length) + MemoryModel.byteArray(values[i].length);
        System.arraycopy(fields, i + 1, fields, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        fields[size] = null;
        values[size] = null;
        return true;
    }

    interface PairVisitor {
        void visit(byte[] field, byte[] value);
    }

    /** Visits every field in the hash's order (insertion order, or table order). */
    void forEach(PairVisitor visitor) {
        if (table == null) {
            for (int i = 0; i < size; i++) {
                visitor.visit(fields[i], values[i]);
            }
        } else {
            table.forEach(e -> visitor.visit(e.key, (byte[]) e.value));
        }
    }

    /** Visits the fields not expired at nowMs, in the hash's order. */
    void forEachLive(long nowMs, PairVisitor visitor) {
        if (!hasDue(nowMs)) {
            forEach(visitor);
            return;
        }
        forEach((f, v) -> {
            if (!ttls.isExpired(f, nowMs)) {
                visitor.visit(f, v);
            }
        });
    }

    /** One HSCAN step over the hashtable form; see {@link KeyTable#scan}. */
    long scan(long cursor, PairVisitor visitor) {
        if (table == null) {
            throw new IllegalStateException("scan steps are for the hashtable form");
        }
        return table.scan(cursor, e -> visitor.visit(e.key, (byte[]) e.value));
    }

    /**
     * A pseudo-random field not expired at nowMs; some field is live. With expired fields present
     * the pick is among the live ones in the hash's order (deterministic, if not Redis's draw).
     */
    Entry random(SplittableRandom rnd, long nowMs) {
        if (!hasDue(nowMs)) {
            return random(rnd);
        }
        Entry[] live = entries(nowMs);
        return live[rnd.nextInt(live.length)];
    }

    /** A pseudo-random field and its value, as an (unlinked for a listpack) entry; the hash is not empty. */
    Entry random(SplittableRandom rnd) {
        if (table != null) {
            return table.random(rnd);
        }
        int i = rnd.nextInt(size);
        return new Entry(fields[i], 0, values[i]);
    }

    /** Fields and values not expired at nowMs as entries (not linked), in the hash's order. */
    Entry[] entries(long nowMs) {
        if (!hasDue(nowMs)) {
            return entries();
        }
        List<Entry> live = new ArrayList<>();
        forEachLive(nowMs, (f, v) -> live.add(new Entry(f, 0, v)));
        return live.toArray(new Entry[0]);
    }

    /** Fields and values as entries (not linked), in the hash's order. */
    Entry[] entries() {
        Entry[] all = new Entry[(int) size()];
        int[] n = {0};
        forEach((f, v) -> all[n[0]++] = new Entry(f, 0, v));
        return all;
    }

    /** A deep copy for COPY: same form, same order; arrays are immutable once stored and shared. */
    @Override
    public Hash duplicate() {
        Hash copy = new Hash(hasher, limits);
        if (table == null) {
            copy.fields = Arrays.copyOf(fields, fields.length);
            copy.values = Arrays.copyOf(values, values.length);
            copy.size = size;
            copy.dataBytes = dataBytes;
            copy.ttls = ttls == null ? null : ttls.duplicate();
        } else {
            copy.toHashtable();
            forEach(copy::set);
            if (ttls != null) {
                copy.ttls = ttls.duplicate();
                copy.dataBytes += ttls.memoryBytes();
            }
        }
        return copy;
    }

    @Override
    public long memoryBytes() {
        long arrays = table == null ? 2 * MemoryModel.refArray(fields.length) : table.arrayBytes();
        return OBJECT_BYTES + arrays + dataBytes;
    }

    /** For tests: {@link #memoryBytes} recomputed by walking the hash. */
    long recomputedMemoryBytes() {
        long[] sum = {0};
        forEach((f, v) -> sum[0] += MemoryModel.byteArray(f.length) + MemoryModel.byteArray(v.length)
                + (table == null ? 0 : MemoryModel.ENTRY_BYTES));
        long arrays = table == null ? 2 * MemoryModel.refArray(fields.length) : table.arrayBytes();
        long ttlBytes = ttls == null ? 0 : ttls.memoryBytes();
        return OBJECT_BYTES + arrays + sum[0] + ttlBytes;
    }

    /** Switches an empty or small hash to the hashtable form, as a restored snapshot needs it. */
    void toHashtableForm() {
        if (table == null) {
            toHashtable();
        }
    }

    private int indexOf(byte[] field) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(fields[i], field)) {
                return i;
            }
        }
        return -1;
    }

    private void toHashtable() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < size; i++) {
            t.insert(new Entry(fields[i], hasher.applyAsInt(fields[i]), values[i]));
            dataBytes += MemoryModel.ENTRY_BYTES;
        }
        table = t;
        fields = null;
        values = null;
        size = 0;
    }
}
