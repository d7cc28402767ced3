package io.basalt.node.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyspace state: the key table, the expiry times, and the memory estimate. Every command
 * family goes through this class to read or change keys, so the rules below hold everywhere:
 *
 * <ul>
 *   <li><b>Expiry.</b> A key with expiry time T is alive while now <= T and gone when now > T
 *       (Redis's keyIsExpired). {@link #lookup} treats a gone key as absent. A read (ctx
 *       readOnly) leaves it in place; a command applied from the log deletes it (every replica
 *       applies the same entry at the same logical time, so they all delete it).</li>
 *   <li><b>Hash field expiry.</b> A hash whose fields have expiry times sits in a second heap
 *       keyed on its earliest one ({@link #syncFieldExpiry}, called on every change of a value).
 *       A write's {@link #lookup} first removes the hash's expired fields (deleting the key if
 *       none is left); a read leaves them, and treats a hash whose every field is expired as an
 *       absent key. Active expiry ({@link #deleteIfExpired}) removes them too.</li>
 *   <li><b>Memory.</b> {@link #usedMemoryBytes()} is maintained on every change, never by
 *       walking the table: callers that change a value go through {@link #setValue},
 *       {@link #overwrite} or {@link #valueResized}.</li>
 * </ul>
 *
 * Keys and {@code byte[]} values are stored as given, without copying: the caller hands over
 * arrays it will not modify again.
 */
final class Db {

    private final long hashKey0;
    private final long hashKey1;
    private final KeyTable table = new KeyTable();
    private final SlotIndex slots = new SlotIndex();
    /** CONFIG SET's encoding thresholds; replicated state, see {@link EncodingLimits}. */
    private final EncodingLimits limits = new EncodingLimits();
    private final ExpiryHeap expiries = new ExpiryHeap();
    /** Hashes with field TTLs, keyed on their earliest field expiry time. */
    private final ExpiryHeap fieldExpiries = new ExpiryHeap(true);
    /** Estimated bytes of entries, keys and values (tables and heap arrays are added on demand). */
    private long dataBytes;
    /** The snapshot being written, or null; see {@link KeyspaceSnapshot}. */
    private KeyspaceSnapshot snapshot;
    /** Told of every key that gets a value, so blocked clients waiting on it can be served. */
    private WaitTable waits;
    private SlotMigration migration;

    Db(long hashKey0, long hashKey1) {
        this.hashKey0 = hashKey0;
        this.hashKey1 = hashKey1;
    }

    /** Records changed keys of migrating slots from now on (see {@link SlotMigration}). */
    void trackMigration(SlotMigration migration) {
        this.migration = migration;
    }

    void watchForWaiters(WaitTable waits) {
        this.waits = waits;
    }

    EncodingLimits limits() {
        return limits;
    }

    int hash(byte[] key) {
        return (int) SipHash.hash(hashKey0, hashKey1, key);
    }

    // ---- lookups ---------------------------------------------------------------------------

    /** The live entry for a key, or null; deletes it if it is expired and ctx may write. */
    Entry lookup(byte[] key, ExecContext ctx) {
        return lookup(key, hash(key), ctx);
    }

    Entry lookup(byte[] key, int hash, ExecContext ctx) {
        Entry e = table.find(key, hash);
        if (e != null && e.expiryPos >= 0 && ctx.nowMs() > expiries.timeOf(e)) {
            if (!ctx.readOnly()) {
                delete(e);
            }
            return null;
        }
        if (e != null && e.value instanceof Hash h && h.hasDue(ctx.nowMs())) {
            if (ctx.readOnly()) {
                return h.liveSize(ctx.nowMs()) == 0 ? null : e;
            }
            if (removeDueFields(e, h, ctx.nowMs())) {
                return null;
            }
        }
        if (e != null && !ctx.readOnly()) {
            // a write may change the value in place from here on
            preserve(e);
        }
        return e;
    }

    /** Removes a hash's expired fields; true when that emptied it and the key was deleted. */
    private boolean removeDueFields(Entry e, Hash h, long nowMs) {
        preserve(e);
        long oldBytes = MemoryModel.value(h);
        h.removeDue(nowMs);
        valueResized(e, oldBytes);
        if (h.size() == 0) {
            delete(e);
            return true;
        }
        return false;
    }

    /** The entry whether expired or not, never deleting; for active expiry. */
    Entry findIncludingExpired(byte[] key) {
        return table.find(key, hash(key));
    }

    boolean isExpired(Entry e, long nowMs) {
        return e.expiryPos >= 0 && nowMs > expiries.timeOf(e);
    }

    /** Expiry time in Unix ms, or -1 when the key has none. */
    long expireAt(Entry e) {
        return e.expiryPos < 0 ? -1 : expiries.timeOf(e);
    }

    // ---- changes ---------------------------------------------------------------------------

    /** Adds a key that {@link #lookup} just found absent; no expiry time. */
    Entry add(byte[] key, int hash, Object value) {
        KeyEntry e = new KeyEntry(key, hash, value, io.basalt.router.slot.HashSlot.of(key));
        table.insert(e);
        slots.link(e);
        if (migration != null && !migration.idle()) {
            migration.touched(e.slot, key);
        }
        dataBytes += MemoryModel.KEY_ENTRY_BYTES + MemoryModel.byteArray(key.length) + MemoryModel.value(value);
        syncFieldExpiry(e);
        if (waits != null) {
            waits.keyChanged(key);
        }
        return e;
    }

    /** Replaces the value, keeping the expiry time (Redis's dbOverwrite). */
    void setValue(Entry e, Object value) {
        preserve(e);
        dataBytes += MemoryModel.value(value) - MemoryModel.value(e.value);
        e.value = value;
        syncFieldExpiry(e);
        if (waits != null) {
            waits.keyChanged(e.key);
        }
    }

    /** Replaces the value as SET does (Redis's setKey): the expiry time goes unless keepTtl. */
    void overwrite(Entry e, Object value, boolean keepTtl) {
        setValue(e, value);
        if (!keepTtl) {
            removeExpire(e);
        }
    }

    /** Records that a value was changed in place and its size was {@code oldValueBytes} before. */
    void valueResized(Entry e, long oldValueBytes) {
        dataBytes += MemoryModel.value(e.value) - oldValueBytes;
        syncFieldExpiry(e);
    }

    /** Keeps the key's place in the field-expiry heap equal to its hash's earliest field expiry. */
    private void syncFieldExpiry(Entry e) {
        long at = e.value instanceof Hash h ? h.earliestFieldExpiry() : -1;
        if (at < 0) {
            if (e.fieldExpiryPos >= 0) {
                fieldExpiries.remove(e);
            }
        } else if (e.fieldExpiryPos >= 0) {
            fieldExpiries.update(e, at);
        } else {
            fieldExpiries.add(e, at);
        }
    }

    void delete(Entry e) {
        preserve(e);
        if (e.expiryPos >= 0) {
            expiries.remove(e);
        }
        if (e.fieldExpiryPos >= 0) {
            fieldExpiries.remove(e);
        }
        table.remove(e);
        slots.unlink((KeyEntry) e);
        dataBytes -= MemoryModel.KEY_ENTRY_BYTES + MemoryModel.byteArray(e.key.length) + MemoryModel.value(e.value);
    }

    void setExpire(Entry e, long whenMs) {
        preserve(e);
        if (e.expiryPos >= 0) {
            expiries.update(e, whenMs);
        } else {
            expiries.add(e, whenMs);
        }
    }

    /** Drops the expiry time; true when there was one. */
    boolean removeExpire(Entry e) {
        if (e.expiryPos < 0) {
            return false;
        }
        preserve(e);
        expiries.remove(e);
        return true;
    }

    void clear() {
        if (snapshot != null) {
            table.forEach(this::preserve);
        }
        if (migration != null && !migration.idle()) {
            for (int slot = 0; slot < io.basalt.router.slot.HashSlot.SLOT_COUNT; slot++) {
                if (migration.migrating(slot)) {
                    for (byte[] key : slots.keys(slot, Integer.MAX_VALUE)) {
                        migration.touched(slot, key);
                    }
                }
            }
        }
        table.clear();
        slots.clear();
        expiries.clear();
        fieldExpiries.clear();
        dataBytes = 0;
    }

    // ---- snapshots ---------------------------------------------------------------------------

    /** Lists every key for a new snapshot; see {@link KeyspaceSnapshot}. */
    KeyspaceSnapshot beginSnapshot() {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already being taken");
        }
        Entry[] all = new Entry[Math.toIntExact(table.size())];
        int[] n = {0};
        table.forEach(e -> {
            e.snapshotPending = true;
            all[n[0]++] = e;
        });
        snapshot = new KeyspaceSnapshot(this, all);
        return snapshot;
    }

    void snapshotFinished(KeyspaceSnapshot done) {
        if (snapshot == done) {
            snapshot = null;
        }
    }

    /** Records a key that a snapshot still needs before it changes. */
    private void preserve(Entry e) {
        if (e.snapshotPending && snapshot != null) {
            snapshot.preserve(e);
        }
        // every change to a key passes here first (a write's lookup, delete, expiry changes)
        if (migration != null && !migration.idle() && e instanceof KeyEntry k) {
            migration.touched(k.slot, k.key);
        }
    }

    /** Adds a key read from a snapshot; the keyspace must not hold it yet. */
    void restore(byte[] key, Object value, long expireAt) {
        int h = hash(key);
        if (table.find(key, h) != null) {
            throw new IllegalStateException("snapshot holds a key twice");
        }
        Entry e = add(key, h, value);
        if (expireAt >= 0) {
            setExpire(e, expireAt);
        }
    }

    // ---- whole-keyspace views ----------------------------------------------------------------

    KeyTable table() {
        return table;
    }

    long keyCount() {
        return table.size();
    }

    long keysWithExpiry() {
        return expiries.size();
    }

    /** Keys stored in a hash slot (logically expired ones included, as in Redis). */
    int keysInSlot(int slot) {
        return slots.count(slot);
    }

    /** The newest key of a hash slot, or null; its {@code slotNext} links lead to the older ones. */
    KeyEntry firstOfSlot(int slot) {
        return slots.first(slot);
    }

    /** At most {@code max} keys of a hash slot; see {@link SlotIndex}. */
    List<byte[]> keysOfSlot(int slot, int max) {
        return slots.keys(slot, max);
    }

    long usedMemoryBytes() {
        return dataBytes + table.arrayBytes() + expiries.arrayBytes() + fieldExpiries.arrayBytes();
    }

    long avgTtlMs(long nowMs) {
        return Math.max(0, expiries.meanRemainingMs(nowMs));
    }

    // ---- active expiry -----------------------------------------------------------------------

    /**
     * Keys due for active expiry: expired keys, then hashes with expired fields (a key may be
     * listed twice; {@link #deleteIfExpired} re-checks each).
     */
    List<byte[]> expiredKeys(long nowMs, int max) {
        List<byte[]> out = new ArrayList<>(Math.max(0, Math.min(max, expiries.size() + fieldExpiries.size())));
        expiries.collectDue(nowMs, max, out);
        fieldExpiries.collectDue(nowMs, max - out.size(), out);
        return out;
    }

    /**
     * Deletes the listed keys that are expired at nowMs and removes the expired fields of the
     * listed hashes (deleting a hash left empty); returns how many keys were deleted.
     */
    int deleteIfExpired(List<byte[]> keys, long nowMs) {
        int deleted = 0;
        for (byte[] key : keys) {
            Entry e = findIncludingExpired(key);
            if (e == null) {
                continue;
            }
            if (isExpired(e, nowMs)) {
                delete(e);
                deleted++;
            } else if (e.value instanceof Hash h && h.hasDue(nowMs) && removeDueFields(e, h, nowMs)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** For tests: the memory estimate recomputed from scratch, to check the incremental one. */
    long recomputedMemoryBytes() {
        long[] sum = {0};
        table.forEach(e -> sum[0] += MemoryModel.KEY_ENTRY_BYTES + MemoryModel.byteArray(e.key.length)
                + (e.value instanceof Hash h ? h.recomputedMemoryBytes()
                        : e.value instanceof ListValue l ? l.recomputedMemoryBytes()
                        : MemoryModel.value(e.value)));
        return sum[0] + table.arrayBytes() + expiries.arrayBytes() + fieldExpiries.arrayBytes();
    }

    /** For tests: checks the table's and the heap's internal invariants. */
    void checkInvariants() {
        table.checkInvariants();
        expiries.checkInvariants();
        fieldExpiries.checkInvariants();
    }
}
