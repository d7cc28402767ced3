package io.basalt.router.client;

import io.basalt.router.raft.RaftLimits;

import java.time.Duration;

/**
 * Tuning of a gateway's routing client.
 *
 * @param clientsPerShard Ratis clients per shard; connections are spread over them
 * @param inFlightBatchesMax batches one Ratis client keeps outstanding per direction before
 *     new commands wait for the next batch
 * @param batchCommandsMax commands in one batch at most
 * @param batchBytesMax encoded bytes in one batch at most (a single larger command still goes alone)
 * @param commandBytesMax encoded bytes of one command at most; a larger one is refused before it
 *     is sent, because one Raft entry must fit the nodes' append buffer (see RaftLimits)
 * @param writeTimeout how long a write may take, retries included, before its outcome is
 *     reported as unknown
 * @param readTimeout how long a read may take before it fails
 * @param retrySleep pause between attempts while a shard has no leader
 * @param unsafeStaleReads TEST ONLY: serve reads from any replica without ReadIndex, which is not
 *     linearizable; the chaos tests use it to show that their checker catches stale reads
 */
public record RoutingConfig(int clientsPerShard, int inFlightBatchesMax, int batchCommandsMax, int batchBytesMax,
                            int commandBytesMax, Duration writeTimeout, Duration readTimeout, Duration retrySleep,
                            boolean unsafeStaleReads) {

    public RoutingConfig(int clientsPerShard, int inFlightBatchesMax, int batchCommandsMax, int batchBytesMax,
                         int commandBytesMax, Duration writeTimeout, Duration readTimeout, Duration retrySleep) {
        this(clientsPerShard, inFlightBatchesMax, batchCommandsMax, batchBytesMax, commandBytesMax, writeTimeout,
            readTimeout, retrySleep, false);
    }

    /**
     * Two Ratis clients with one batch in flight each: fewer, larger entries and read rounds.
     * Measured against four clients with two in flight (docs/PERFORMANCE.md): the same SET
     * throughput or better, 30-45% more GET throughput (one ReadIndex round per batch).
     */
    public static final RoutingConfig DEFAULT = new RoutingConfig(2, 1, 1024, 1 << 20, RaftLimits.COMMAND_BYTES_MAX,
        Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(20));

    public RoutingConfig {
        if (commandBytesMax > RaftLimits.COMMAND_BYTES_MAX || batchBytesMax > RaftLimits.COMMAND_BYTES_MAX) {
            throw new IllegalArgumentException("a command or batch may not exceed " + RaftLimits.COMMAND_BYTES_MAX + " bytes");
        }
    }

    /** This configuration with test-only unsafe reads switched on or off. */
    public RoutingConfig withUnsafeStaleReads(boolean unsafe) {
        return new RoutingConfig(clientsPerShard, inFlightBatchesMax, batchCommandsMax, batchBytesMax, commandBytesMax,
            writeTimeout, readTimeout, retrySleep, unsafe);
    }
}
