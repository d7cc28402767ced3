package io.basalt.router.client;

import io.basalt.proto.internal.Command;
import io.basalt.router.slot.ShardInfo;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How the routing client reaches a shard. Production uses Ratis clients
 * ({@link RatisShardTransport}); tests put a fake here to see what each shard is sent and to
 * answer for it, so splitting, merging and retries are tested without Raft.
 */
public interface ShardTransport extends Closeable {

    /**
     * Submits commands of one connection to one shard, in order: through the log ({@code viaLog})
     * or as a linearizable read. {@code atomic} keeps them in one batch (a read group sees one
     * state). One future per command, completing with the reply in the internal encoding, or
     * exceptionally when the shard gave no answer (no leader, deadline passed).
     */
    List<CompletableFuture<byte[]>> submit(ShardInfo shard, boolean viaLog, boolean atomic, int affinity,
                                           List<Command> commands);

    /**
     * Reads of a READONLY connection, kept together as one group, served by a follower when one
     * can (see ReplicaReader); the leader otherwise. Transports without followers serve them as
     * ordinary reads.
     */
    default List<CompletableFuture<byte[]>> submitReplicaRead(ShardInfo shard, ReplicaReadMode mode, int affinity,
                                                              List<Command> commands) {
        return submit(shard, false, true, affinity, commands);
    }

    /** Summed over every shard: {follower reads, leader fallbacks, read-index requests, staleness bound ms or -1}. */
    default long[] replicaStats() {
        return new long[] {0, 0, 0, -1};
    }

    /** One read sent on its own, outside any batch (a blocked client's long poll). */
    CompletableFuture<byte[]> readAlone(ShardInfo shard, int affinity, Command command);

    /** Batches and commands sent so far, over every shard: {batches, commands}. */
    default long[] batchStats() {
        return new long[2];
    }
}
