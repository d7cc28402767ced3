package io.basalt.gateway;

import io.basalt.gateway.local.ShardStats;
import io.basalt.gateway.resp.GrpcReplyConverter;
import io.basalt.proto.v1.MapEntry;
import io.basalt.proto.v1.Reply;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.slot.ShardInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * INFO's keyspace and memory figures: the internal {@code basalt.stats} command, sent to every
 * shard as a linearizable read, and the answers summed.
 */
final class RoutedShardStats implements ShardStats {

    private final RoutingClient router;
    private final CommandSpec stats;
    private final CommandSpec persistence;
    private final CommandSpec configSet;
    private final CommandSpec configGet;

    RoutedShardStats(RoutingClient router, CommandTable table) {
        this.router = router;
        this.stats = table.lookup(InternalCommandSpecs.STATS);
        this.persistence = table.lookup(InternalCommandSpecs.PERSISTENCE);
        this.configSet = table.lookup(InternalCommandSpecs.CONFIG_SET);
        this.configGet = table.lookup(InternalCommandSpecs.CONFIG_GET);
    }

    /** {@code basalt.config.set} as a write on every shard; the first error (or unknown outcome) wins. */
    @Override
    public CompletableFuture<String> setReplicatedConfig(List<String[]> pairs) {
        List<byte[]> argv = new ArrayList<>();
        argv.add(configSet.name().getBytes(StandardCharsets.UTF_8));
        for (String[] pair : pairs) {
            argv.add(pair[0].getBytes(StandardCharsets.UTF_8));
            argv.add(pair[1].getBytes(StandardCharsets.UTF_8));
        }
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (ShardInfo shard : router.slotMap().shards()) {
            replies.add(router.execute(shard, true, configSet, argv, 0).thenApply(GrpcReplyConverter::convert));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            for (CompletableFuture<Reply> f : replies) {
                Reply reply = f.join();
                if (reply.getKindCase() == Reply.KindCase.ERROR) {
                    return reply.getError();
                }
            }
            return null;
        });
    }

    /** {@code basalt.config.get} from the first shard: every shard got the same settings through its log. */
    @Override
    public CompletableFuture<java.util.Map<String, String>> replicatedConfig() {
        ShardInfo first = router.slotMap().shards().get(0);
        return router.execute(first, false, configGet, List.of(configGet.name().getBytes(StandardCharsets.UTF_8)), 0)
            .thenApply(GrpcReplyConverter::convert)
            .thenApply(reply -> {
                java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
                if (reply.getKindCase() == Reply.KindCase.ARRAY) {
                    List<Reply> items = reply.getArray().getValuesList();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        values.put(items.get(i).getBulkString().toStringUtf8(), items.get(i + 1).getBulkString().toStringUtf8());
                    }
                }
                return values;
            });
    }

    /** {@code basalt.persistence} from every shard's serving replica, merged by {@link PersistenceLines}. */
    @Override
    public String replicaReads() {
        if (router == null) {
            return "";
        }
        long[] s = router.replicaReadStats();
        return "basalt_replica_reads_mode:" + router.replicaReads().value() + "\r\n"
            + "basalt_replica_read_batches:" + s[0] + "\r\n"
            + "basalt_replica_read_fallbacks:" + s[1] + "\r\n"
            + "basalt_replica_read_index_requests:" + s[2] + "\r\n"
            + "basalt_replica_read_staleness_bound_ms:" + s[3] + "\r\n";
    }

    @Override
    public CompletableFuture<String> persistence() {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (ShardInfo shard : router.slotMap().shards()) {
            replies.add(router.execute(shard, false, persistence,
                    List.of(persistence.name().getBytes(StandardCharsets.UTF_8)), 0)
                .thenApply(GrpcReplyConverter::convert));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<String> perShard = new ArrayList<>();
            for (CompletableFuture<Reply> f : replies) {
                Reply reply = f.join();
                if (reply.getKindCase() != Reply.KindCase.BULK_STRING) {
                    throw new IllegalStateException("basalt.persistence answered " + reply);
                }
                perShard.add(reply.getBulkString().toStringUtf8());
            }
            return PersistenceLines.merge(perShard);
        });
    }

    @Override
    public CompletableFuture<Keyspace> keyspace() {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (ShardInfo shard : router.slotMap().shards()) {
            replies.add(router.execute(shard, false, stats, List.of(stats.name().getBytes(StandardCharsets.UTF_8)), 0)
                .thenApply(GrpcReplyConverter::convert));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            long keys = 0;
            long expires = 0;
            long ttlWeighted = 0;
            long memory = 0;
            for (CompletableFuture<Reply> f : replies) {
                Reply reply = f.join();
                if (reply.getKindCase() != Reply.KindCase.MAP) {
                    throw new IllegalStateException("basalt.stats answered " + reply);
                }
                long shardExpires = field(reply, "expires");
                keys += field(reply, "keys");
                expires += shardExpires;
                ttlWeighted += field(reply, "avg_ttl") * shardExpires;
                memory += field(reply, "used_memory");
            }
            return new Keyspace(keys, expires, expires == 0 ? 0 : ttlWeighted / expires, memory);
        });
    }

    private static long field(Reply map, String name) {
        for (MapEntry e : map.getMap().getEntriesList()) {
            if (e.getKey().getBulkString().toStringUtf8().equals(name)) {
                return e.getValue().getInteger();
            }
        }
        return 0;
    }
}
