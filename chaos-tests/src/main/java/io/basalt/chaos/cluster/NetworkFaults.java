package io.basalt.chaos.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Network faults between storage nodes. The gateway (and so the workloads) keeps reaching every
 * node: this is what lets a test keep talking to a leader that its followers cannot hear.
 */
public interface NetworkFaults {

    /**
     * Cuts the nodes into components: nodes in different components cannot exchange packets in
     * either direction; nodes not named keep talking to everyone. Replaces any earlier partition.
     */
    void partition(List<Set<String>> components) throws Exception;

    /**
     * Drops packets between the given pairs of nodes, both directions (for bridge and ring
     * partitions, which are not a division into components).
     */
    void cut(List<List<String>> pairs) throws Exception;

    /** Drops each packet leaving {@code node} towards other nodes with this probability. */
    void loss(String node, double probability) throws Exception;

    /** Whether {@link #latency} works here (it needs the kernel's netem qdisc). */
    boolean supportsLatency();

    /** Delays packets leaving {@code node}; only when {@link #supportsLatency()}. */
    void latency(String node, Duration delay, Duration jitter) throws Exception;

    /** Removes every partition, cut, loss and latency rule. */
    void heal() throws Exception;
}
