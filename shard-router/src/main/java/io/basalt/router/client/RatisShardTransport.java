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

/**
 * Shards reached through Ratis: one {@link ShardClient} (a pool of Ratis clients) per Raft group,
 * made on first use. When the shard's replicas change (the metadata group moved one), the client
 * is kept while it still knows a majority of the new replicas: a Ratis client follows a leader
 * that moved to a new replica through the NotLeader reply naming it, and keeping the client keeps
 * each connection's requests in one ordered stream. Once most of its peers are gone it is made
 * again from the new list (a connection's write in flight on the old client could then be ordered
 * after its next write on the new one: a window of one request, after several replica moves), and
 * the old client is closed a while later, once its requests in flight are done.
 */
final class RatisShardTransport implements ShardTransport {

    private static final long RETIRE_AFTER_SECONDS = 60;

    private record Entry(ShardInfo shard, ShardClient client) {}

    private final RoutingConfig config;
    private final RaftProperties properties = new RaftProperties();
    private final Map<String, Entry> shards = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService retirements =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shard-client-retire");
            t.setDaemon(true);
            return t;
        });

    RatisShardTransport(RoutingConfig config) {
        this.config = config;
        RaftLimits.apply(properties);
    }

    private ShardClient client(ShardInfo shard) {
        Entry e = shards.get(shard.groupId());
        if (e != null && (e.shard().equals(shard) || stillReaches(e.shard(), shard))) {
            return e.client();
        }
        Entry[] replaced = new Entry[1];
        Entry now = shards.compute(shard.groupId(), (id, old) -> {
            if (old != null && (old.shard().equals(shard) || stillReaches(old.shard(), shard))) {
                return old;
            }
            replaced[0] = old;
            return new Entry(shard, new ShardClient(RaftGroups.toRaftGroup(shard), properties, config));
        });
        if (replaced[0] != null) {
            ShardClient old = replaced[0].client();
            retirements.schedule(() -> {
                try {
                    old.close();
                } catch (IOException ignored) {
                    // closing a client whose peers may be gone
                }
            }, RETIRE_AFTER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
        return now.client();
    }

    /** Whether a client built for {@code known} still knows a majority of {@code now}'s replicas. */
    private static boolean stillReaches(ShardInfo known, ShardInfo now) {
        long common = now.replicas().stream().filter(known.replicas()::contains).count();
        return common > now.replicas().size() / 2;
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
        for (Entry e : shards.values()) {
            long[] s = e.client().replicaStats();
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
        for (Entry e : shards.values()) {
            long[] s = e.client().batchStats();
            batches += s[0];
            commands += s[1];
        }
        return new long[] {batches, commands};
    }

    @Override
    public void close() throws IOException {
        retirements.shutdownNow();
        for (Entry e : shards.values()) {
            e.client().close();
        }
        shards.clear();
    }
}
