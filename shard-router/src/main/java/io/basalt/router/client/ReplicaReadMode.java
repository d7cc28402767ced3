package io.basalt.router.client;

import java.util.Locale;

/**
 * How a gateway serves the reads of READONLY connections from followers
 * ({@code --replica-reads}, CONFIG {@code replica-reads}).
 *
 * <ul>
 *   <li>{@link #STALE}: the follower answers from its applied state once it has every write this
 *       gateway knows committed on the shard (the writes it relayed, and a 100 ms sample of the
 *       leader's applied index): a connection reads its own writes; other writes may be missed
 *       for up to the sampling bound INFO reports.</li>
 *   <li>{@link #LINEARIZABLE}: the follower answers once it has applied a read index the leader
 *       gave after confirming its leadership (Basalt's ReadIndex, docs/consistency.md).</li>
 * </ul>
 */
public enum ReplicaReadMode {
    STALE,
    LINEARIZABLE;

    /** The setting's spelling. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "stale" or "linearizable" (any case); null otherwise. */
    public static ReplicaReadMode parse(String s) {
        for (ReplicaReadMode m : values()) {
            if (m.value().equalsIgnoreCase(s)) {
                return m;
            }
        }
        return null;
    }
}
