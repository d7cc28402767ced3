package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import java.util.List;

/**
 * The keyspace of one shard and the commands that act on it. Pure: no clock, no randomness, no
 * I/O, no threads; given the same commands with the same {@link ExecContext}s it produces the
 * same replies and the same state. Not thread-safe: the Raft state machine serializes access.
 *
 * <p>A user error (wrong type, bad argument, ...) is a reply, never an exception: an exception
 * out of the state machine would mean the replica is broken.
 */
public interface KeyspaceEngine {

    /**
     * Executes one command and writes exactly one reply to {@code out}.
     *
     * @param argv the command as the client sent it; argv[0] is the name (any case)
     */
    void execute(List<byte[]> argv, ExecContext ctx, RespWriter out);

    /**
     * Up to {@code max} keys whose expiry time is at or before {@code nowMs}, for the leader to
     * propose their deletion (active expiry). Read-only. Which keys come first is unspecified
     * but must be fair enough that every expired key is eventually returned.
     */
    List<byte[]> expiredKeys(long nowMs, int max);

    /**
     * Applies an active-expiry entry: deletes each key that is expired at {@code nowMs}; keys
     * that were rewritten (or given a later expiry) since they were proposed are kept.
     *
     * @return how many keys were deleted
     */
    int deleteIfExpired(List<byte[]> keys, long nowMs);

    /** Number of keys, counting keys that are expired but not yet deleted. */
    long keyCount();

    /** Number of keys that have an expiry time. */
    long keysWithExpiry();

    /** Estimated bytes held by keys, values and their bookkeeping. */
    long usedMemoryBytes();

    /**
     * Starts a snapshot of the keyspace as it is now; see {@link KeyspaceSnapshot}. At most one
     * at a time: finish or abandon it before the next.
     */
    KeyspaceSnapshot beginSnapshot();

    /**
     * Adds one key from a snapshot record (see {@link KeyspaceSnapshot.Record}) to a keyspace
     * being restored.
     *
     * @throws java.io.IOException when the record cannot be decoded (a newer format or damage)
     */
    void restore(byte[] key, byte[] record) throws java.io.IOException;

    /** Removes every key, as before restoring a snapshot into this keyspace. */
    void clear();

    /**
     * The engine's own state that is not keys, for snapshots: today the SipHash key, which decides
     * table layouts and must be equal on every replica.
     */
    byte[] snapshotMeta();

    /**
     * Checks and restores {@link #snapshotMeta}.
     *
     * @throws java.io.IOException when the snapshot was taken by an engine this one cannot become
     */
    void restoreMeta(byte[] meta) throws java.io.IOException;

    /**
     * Sets the hash slots this shard owns before any snapshot or log entry is applied (the
     * topology's layout), and what {@link #clear} returns to. Until called, every slot is owned.
     * A keyed command for a slot not owned is answered {@code -BASALTMOVED <slot>} unexecuted.
     */
    void ownSlotsInitially(java.util.BitSet slots);

    /** The hash slots this shard owns now (a copy). */
    java.util.BitSet ownedSlots();

    /**
     * A number that changes whenever a blocked client was served or removed, so that a caller
     * waiting for a blocked client's outcome re-checks only when something happened. Not state:
     * it differs between replicas and restarts.
     */
    default long blockingVersion() {
        return 0;
    }
}
