package io.basalt.node.server;

/**
 * How a node behaves beyond its storage: switches for drills and measurements.
 *
 * @param readConfirmation confirm leadership with a majority for every batch of linearizable
 *     reads before answering it (see LeadershipConfirmation); off = Ratis's ReadIndex alone,
 *     which can answer stale reads on a leader cut off from its majority
 * @param allowFaultInjection accept fault commands on the node-local channel (for now
 *     {@code basalt.node.clock-offset}); never on in production
 * @param join start as a new member of existing groups: the node does not campaign until a
 *     leader added it with a configuration change (see RaftNode)
 * @param readLease enable Ratis's leader lease and, with read confirmation on, answer a read
 *     batch without a round while Ratis says the lease is valid. Off by default: Ratis 3.3.0's
 *     lease is not provably safe (docs/consistency.md, "Leader lease"); for measurement
 */
public record NodeOptions(boolean readConfirmation, boolean allowFaultInjection, boolean join, boolean readLease) {

    public static final NodeOptions DEFAULT = new NodeOptions(true, false, false, false);

    /** Without the lease (the default). */
    public NodeOptions(boolean readConfirmation, boolean allowFaultInjection, boolean join) {
        this(readConfirmation, allowFaultInjection, join, false);
    }

    public NodeOptions withReadConfirmation(boolean on) {
        return new NodeOptions(on, allowFaultInjection, join, readLease);
    }

    public NodeOptions withFaultInjection(boolean on) {
        return new NodeOptions(readConfirmation, on, join, readLease);
    }

    public NodeOptions withJoin(boolean on) {
        return new NodeOptions(readConfirmation, allowFaultInjection, on, readLease);
    }

    public NodeOptions withReadLease(boolean on) {
        return new NodeOptions(readConfirmation, allowFaultInjection, join, on);
    }
}
