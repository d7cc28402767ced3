package io.basalt.node.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the keyspace as it was at one moment, written out while commands keep changing
 * the keyspace: versioned serialization with copy-before-write per key.
 *
 * <p>{@link Keyspace#beginSnapshot} (under the engine lock, at the snapshot's log index) lists
 * every key and marks it pending; that costs one pass over the table and no copying. Afterwards
 * the snapshot thread calls {@link #next} in small steps, each under the engine lock, which turns
 * the next pending keys into records. A command that is about to change, expire or delete a key
 * that is still pending first records that key as it is (Db's preserve hook) and unmarks it, so
 * every key is recorded exactly once, with its value at the snapshot's moment. Keys created
 * after the moment are never marked and never recorded.
 *
 * <p>The longest pause this adds to applying commands is one step of {@link #next} (its key
 * count, or one large value) or one pending key recorded by a command; both are measured by the
 * caller.
 *
 * <p>Not thread-safe, like the engine: every call under the engine lock.
 */
public final class KeyspaceSnapshot {

    /** One key's record, see {@link SnapshotCodec}. */
    public record Record(byte[] key, byte[] value) {}

    private final Db db;
    private Entry[] pending;
    private int cursor;
    private final List<Record> preserved = new ArrayList<>();
    private final long keyCount;
    private boolean finished;

    KeyspaceSnapshot(Db db, Entry[] pending) {
        this.db = db;
        this.pending = pending;
        this.keyCount = pending.length;
    }

    /** Keys in the snapshot. */
    public long keyCount() {
        return keyCount;
    }

    /**
     * Moves the records of up to {@code maxKeys} more keys into {@code out} (and any key a command
     * recorded since the last call). Caller holds the engine lock.
     *
     * @return false once every key has been handed out; the snapshot is then finished and the
     *     keyspace no longer records pre-images for it
     */
    public boolean next(int maxKeys, List<Record> out) {
        out.addAll(preserved);
        preserved.clear();
        int end = Math.min(pending.length, cursor + maxKeys);
        for (; cursor < end; cursor++) {
            Entry e = pending[cursor];
            pending[cursor] = null; // let deleted keys go as soon as they are recorded
            if (e.snapshotPending) {
                out.add(record(e));
            }
        }
        if (cursor == pending.length) {
            finish();
            return false;
        }
        return true;
    }

    /** Stops the snapshot: unmarks the keys not yet recorded; nothing more will be recorded. */
    public void abandon() {
        for (int i = cursor; i < pending.length; i++) {
            if (pending[i] != null) {
                pending[i].snapshotPending = false;
            }
        }
        preserved.clear();
        finish();
    }

    private void finish() {
        if (!finished) {
            finished = true;
            pending = new Entry[0];
            cursor = 0;
            db.snapshotFinished(this);
        }
    }

    /** Db's hook: a command is about to change a pending key, so record it as it is now. */
    void preserve(Entry e) {
        preserved.add(record(e));
    }

    private Record record(Entry e) {
        e.snapshotPending = false;
        return new Record(e.key, SnapshotCodec.encode(e.value, db.expireAt(e)));
    }
}
