package io.basalt.router.client;

import io.basalt.proto.internal.Command;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.raft.RaftLimits;
import io.basalt.router.slot.ShardInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.conf.RaftProperties;

/** Shards reached through Ratis: one {@link ShardClient} (a pool of Ratis clients) per Raft group, made on first use. */
final class RatisShardTransport implements ShardTransport {

    private final RoutingConfig config;
    private final RaftProperties properties = new RaftProperties();
    private final Map<String, ShardClient> shards = new ConcurrentHashMap<>();

    RatisShardTransport(RoutingConfig config) {
        this.config = config;
        RaftLimits.apply(properties);
    }

    private ShardClient client(ShardInfo shard) {
        ShardClient client = shards.get(shard.groupId());
        return client != null ? client : shards.computeIfAbsent(shard.groupId(),
            id -> new ShardClient(RaftGroups.toRaftGroup(shard), properties, config));
    }

    @Override
    public List<CompletableFuture<byte[]>> submit(ShardInfo shard, boolean viaLog, boolean atomic, int affinity,
                                                  List<Command> commands) {
        return client(shard).submit(viaLog, atomic, affinity, commands);
    }

    @Override
    public CompletableFuture<byte[]> readAlone(ShardInfo shard, int affinity, Command command) {
        return client(shard).readAlone(affinity, command);
    }

    @Override
    public List<CompletableFuture<byte[]>> submitReplicaRead(ShardInfo shard, ReplicaReadMode mode, int affinity,
                                                             List<Command> commands) {
        return client(shard).submitReplicaRead(mode, affinity, commands);
    }

    @Override
    public long[] replicaStats() {
        long[] out = {0, 0, 0, -1};
        for (ShardClient c : shards.values()) {
            long[] s = c.replicaStats();
            out[0] += s[0];
            out[1] += s[1];
            out[2] += s[2];
            out[3] = Math.max(out[3], s[3]); // the worst shard's bound
        }
        return out;
    }

    @Override
    public long[] batchStats() {
        long batches = 0;
        long commands = 0;
        for (ShardClient c : shards.values()) {
            long[] s = c.batchStats();
            batches += s[0];
            commands += s[1];
        }
        return new long[] {batches, commands};
    }

    @Override
    public void close() throws IOException {
        for (ShardClient c : shards.values()) {
            c.close();
        }
        shards.clear();
    }
}
