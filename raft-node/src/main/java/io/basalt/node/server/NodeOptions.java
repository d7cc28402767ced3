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
 */
public record NodeOptions(boolean readConfirmation, boolean allowFaultInjection, boolean join) {

    public static final NodeOptions DEFAULT = new NodeOptions(true, false, false);

    public NodeOptions withReadConfirmation(boolean on) {
        return new NodeOptions(on, allowFaultInjection, join);
    }

    public NodeOptions withFaultInjection(boolean on) {
        return new NodeOptions(readConfirmation, on, join);
    }

    public NodeOptions withJoin(boolean on) {
        return new NodeOptions(readConfirmation, allowFaultInjection, on);
    }
}
