package io.basalt.chaos.cluster;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Basalt cluster the harness can hurt: storage nodes (each a replica of the shard) and a
 * gateway that the workloads talk to. Backends differ in where the processes run and therefore
 * in which faults they can inject: local processes on loopback can be killed and paused; nodes
 * in network namespaces can also be cut off from each other.
 *
 * <p>Every process a backend starts is bound to loopback or to the backend's own namespaces,
 * and stopped by {@link #close()} by its PID.
 */
public interface ClusterBackend extends AutoCloseable {

    /** "local", "netns" or "containers". */
    String name();

    /** Starts the nodes and the gateway; returns once the gateway serves a linearizable read. */
    void start() throws Exception;

    /** Peer ids of the nodes, in order (n1, n2, ...). */
    List<String> nodes();

    /** The nodes' Raft addresses as the gateway sees them (for Ratis admin calls). */
    Map<String, InetSocketAddress> raftAddresses();

    /** The gateway's RESP endpoint, reachable from this JVM. */
    InetSocketAddress resp();

    /** The shard's current leader as the nodes report it; empty while there is none. */
    Optional<String> leader();

    /** SIGKILL to the node's process. */
    void kill(String node) throws Exception;

    /** Starts a killed node again on the same data folder and address. */
    void restart(String node) throws Exception;

    /** SIGSTOP to the node's process. */
    void pause(String node) throws Exception;

    /** SIGCONT to the node's process. */
    void resume(String node) throws Exception;

    boolean isRunning(String node);

    /** The node's process id, while it runs. */
    long pid(String node);

    /**
     * Whether {@link #addNode()} and {@link #removeNode} work (membership nemeses need them).
     * Backends that support it also start every node with {@code --allow-fault-injection}.
     */
    default boolean canChangeMembership() {
        return false;
    }

    /**
     * Starts a new, empty node that joins the running group: a fresh id (n4, n5, ...), a new data
     * folder and Raft address, {@code basalt node --join} with a peer list holding the running
     * nodes and itself. It takes no part in the group until a leader adds it with a configuration
     * change (Ratis admin setConfiguration, see io.basalt.chaos.cluster.NodeControl). From then on
     * it is one of {@link #nodes()} and {@link #raftAddresses()} and can be killed, paused and
     * restarted like the others (a restart keeps --join: harmless, the stored configuration wins).
     *
     * @return the new node's id
     */
    default String addNode() throws Exception {
        throw new UnsupportedOperationException(name() + " cannot add nodes");
    }

    /**
     * Stops (by PID) a node a configuration change removed and drops it from {@link #nodes()};
     * its data folder stays for the report.
     */
    default void removeNode(String node) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot remove nodes");
    }

    /** Faults between nodes, where the backend can inject them (empty on plain loopback). */
    Optional<NetworkFaults> network();

    /** Stops every process this backend started, by PID, and removes what it set up. */
    @Override
    void close() throws Exception;
}
