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

    RoutedShardStats(RoutingClient router, CommandTable table) {
        this.router = router;
        this.stats = table.lookup(InternalCommandSpecs.STATS);
        this.persistence = table.lookup(InternalCommandSpecs.PERSISTENCE);
    }

    /** {@code basalt.persistence} from every shard's serving replica, merged by {@link PersistenceLines}. */
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
