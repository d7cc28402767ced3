package io.basalt.gateway;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.cluster.ClusterView;
import io.basalt.gateway.cluster.GatewayNode;
import io.basalt.gateway.local.GatewayInfo;
import io.basalt.gateway.local.LocalCommands;
import io.basalt.gateway.local.ShardStats;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.router.command.CommandTable;

/** Gateway contexts for tests of other packages: no routing client, shard commands go to a fake. */
public final class TestGatewayContexts {

    private TestGatewayContexts() {
    }

    /**
     * A context whose connections send shard commands to {@code shards} and whose INFO reads
     * {@code shardStats} (waiting up to a minute for it, so tests control when it answers).
     */
    public static GatewayContext create(GatewayConfig config, ShardExecutor shards, ShardStats shardStats) {
        return create(config, shards, shardStats, ClusterSettings.DISABLED);
    }

    /** As {@link #create(GatewayConfig, ShardExecutor, ShardStats)}, in the given cluster mode. */
    public static GatewayContext create(GatewayConfig config, ShardExecutor shards, ShardStats shardStats,
                                        ClusterSettings cluster) {
        CommandTable table = CommandTable.standard();
        ClientRegistry clients = new ClientRegistry(System::currentTimeMillis);
        GatewayContext context = new GatewayContext(table, null, shards, clients, config);
        GatewayInfo info = GatewayInfo.builder(clients, shardStats)
            .basaltVersion(GatewayServer.VERSION)
            .listener(6379, config.bindHost())
            .stats(context.stats())
            .commands(table)
            .statsTimeoutMs(60_000)
            .cluster(new ClusterView(cluster, new GatewayNode("127.0.0.1", 6379), () -> null))
            .build();
        context.useLocalCommands(new LocalCommands(info));
        return context;
    }
}
