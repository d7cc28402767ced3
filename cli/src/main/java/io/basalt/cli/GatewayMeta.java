package io.basalt.cli;

import io.basalt.gateway.local.MetaEndpoint;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.router.client.OwnershipSlotMapSource;
import io.basalt.router.meta.MetaClient;
import io.basalt.router.meta.MetaGroup;
import io.basalt.router.meta.MetaShards;
import io.basalt.router.meta.MetaWatcher;
import io.basalt.router.topology.StaticTopology;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A gateway's use of the metadata group: it watches the shard table (shards added, replicas
 * moved) and feeds it to the slot map source, and it passes the admin tool's metadata commands
 * through.
 */
final class GatewayMeta implements MetaEndpoint, Closeable {

    private final MetaClient client;
    private final MetaWatcher watcher;

    private GatewayMeta(MetaClient client, MetaWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    static GatewayMeta start(StaticTopology topology, int metaReplicas, OwnershipSlotMapSource slots) {
        MetaClient client = new MetaClient(MetaGroup.of(topology, metaReplicas), Duration.ofSeconds(5));
        MetaWatcher watcher = new MetaWatcher(client, state -> slots.updateShards(MetaShards.of(state)));
        watcher.start(1000);
        return new GatewayMeta(client, watcher);
    }

    @Override
    public MetaReply latest() {
        return watcher.latestReply();
    }

    @Override
    public CompletableFuture<byte[]> status() {
        return client.status().thenApply(MetaReply::toByteArray);
    }

    @Override
    public CompletableFuture<byte[]> write(byte[] request) {
        MetaRequest parsed;
        try {
            parsed = MetaRequest.parseFrom(request);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a metadata request"));
        }
        return client.write(parsed).thenApply(MetaReply::toByteArray);
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        client.close();
    }
}
