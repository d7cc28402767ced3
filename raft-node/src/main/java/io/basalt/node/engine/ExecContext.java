package io.basalt.node.engine;

/**
 * Everything a command may depend on besides the keyspace and its arguments. The engine reads
 * time and randomness only from here, never from the machine, so replaying the same log gives
 * the same replies and the same state on every replica.
 *
 * @param nowMs logical time in Unix milliseconds: the leader's timestamp of the log entry (never
 *     decreasing from one entry to the next), or for a read the leader's clock when the read runs
 * @param entryIndex the Raft log index of the entry holding the command (for a read, the index
 *     of the last applied entry)
 * @param position the command's position inside its entry's batch
 * @param readOnly true when the command runs as a read (not from the log): it must not change
 *     any state, not even delete an expired key it happens to see
 */
public record ExecContext(long nowMs, long entryIndex, int position, boolean readOnly) {

    /**
     * A seed for any random choice the command makes (SPOP, RANDOMKEY, ...), derived from its
     * place in the log so that every replica makes the same choice.
     */
    public long randomSeed() {
        long z = entryIndex * 0x9E3779B97F4A7C15L + position;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static ExecContext write(long nowMs, long entryIndex, int position) {
        return new ExecContext(nowMs, entryIndex, position, false);
    }

    public static ExecContext read(long nowMs, long lastAppliedIndex) {
        return new ExecContext(nowMs, lastAppliedIndex, 0, true);
    }
}
