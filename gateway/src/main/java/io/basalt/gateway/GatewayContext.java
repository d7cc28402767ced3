package io.basalt.gateway;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.cluster.ClusterView;
import io.basalt.gateway.cluster.GatewayNode;
import io.basalt.gateway.local.GatewayInfo;
import io.basalt.gateway.local.GatewayStats;
import io.basalt.gateway.local.LocalCommands;
import io.basalt.gateway.resp.RespLimits;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.gateway.local.ConfigStore;
import io.basalt.router.client.ReplicaReadMode;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import java.util.List;

/** What every connection of a gateway shares. */
public final class GatewayContext {

    private final CommandTable table;
    private final CommandResolver resolver;
    private final RoutingClient router;
    private final ShardExecutor shards;
    private final ClientRegistry clients;
    private final GatewayConfig config;
    private final GatewayStats stats = new GatewayStats();
    private volatile LocalCommands localCommands;

    GatewayContext(CommandTable table, RoutingClient router, ClientRegistry clients, GatewayConfig config) {
        this(table, router, new ShardExecutor() {
            @Override
            public java.util.List<java.util.concurrent.CompletableFuture<byte[]>> executeGroup(boolean viaLog,
                    java.util.List<io.basalt.router.command.CommandSpec> specs, java.util.List<java.util.List<byte[]>> argvs,
                    int affinity) {
                return router.executeGroup(viaLog, specs, argvs, affinity);
            }

            @Override
            public java.util.List<java.util.concurrent.CompletableFuture<byte[]>> executeGroup(boolean viaLog,
                    boolean replicaRead, java.util.List<io.basalt.router.command.CommandSpec> specs,
                    java.util.List<java.util.List<byte[]>> argvs, int affinity) {
                return router.executeGroup(viaLog, replicaRead, specs, argvs, affinity);
            }

            @Override
            public java.util.concurrent.CompletableFuture<byte[]> poll(io.basalt.router.command.CommandSpec spec,
                    java.util.List<byte[]> argv, int affinity) {
                return router.readAlone(spec, argv, affinity);
            }
        }, clients, config);
    }

    /**
     * A context whose connections send shard commands to {@code shards}; {@code router} serves
     * the rest (gRPC, INFO's keyspace) and may be null where those are not used (tests).
     */
    GatewayContext(CommandTable table, RoutingClient router, ShardExecutor shards, ClientRegistry clients,
                   GatewayConfig config) {
        this.table = table;
        this.resolver = new CommandResolver(table);
        this.router = router;
        this.shards = shards;
        this.clients = clients;
        this.config = config;
    }

    private volatile MemoryGuard memoryGuard;
    private volatile ClusterSettings clusterSettings = ClusterSettings.DISABLED;
    private volatile io.basalt.gateway.local.MetaEndpoint meta;
    private volatile ClusterView clusterView;
    /** Whether CROSSSLOT is enforced: read per command, so kept apart from the local commands. */
    private volatile boolean clusterEnabled;

    public CommandTable table() { return table; }
    public CommandResolver resolver() { return resolver; }
    public RoutingClient router() { return router; }
    /** Where RESP connections send their shard commands (the router's executeGroup in production). */
    public ShardExecutor shards() { return shards; }
    public ClientRegistry clients() { return clients; }
    public GatewayConfig config() { return config; }
    public LocalCommands localCommands() { return localCommands; }
    public GatewayStats stats() { return stats; }

    /** Decoder limits; Redis's defaults (proto-max-bulk-len 512 MiB, 64 KiB inline). */
    public RespLimits respLimits() {
        return RespLimits.DEFAULTS;
    }

    /** Builds the gateway-answered commands once the RESP listener's port is known. */
    void startLocalCommands(int respPort, String version) {
        RoutedShardStats shardStats = new RoutedShardStats(router, table);
        GatewayNode listener = new GatewayNode(GatewayInfo.announceHost(config.bindHost()), respPort);
        io.basalt.gateway.local.MetaEndpoint m = meta;
        ClusterView cluster = new ClusterView(clusterSettings, listener, router == null ? () -> null : router::slotMap,
            m == null ? () -> null : m::latest);
        this.clusterView = cluster;
        if (router != null && cluster.enabled()) {
            // a slot its shard keeps refusing: a cluster client is sent back here, after refreshing its view
            router.answerMovedWith(slot -> "MOVED " + slot + " " + cluster.self().host() + ":" + cluster.self().port());
        }
        GatewayInfo info = GatewayInfo.builder(clients, shardStats)
            .cluster(cluster)
            .meta(meta)
            .basaltVersion(version)
            .listener(respPort, config.bindHost())
            .stats(stats)
            .commands(table)
            .build();
        useLocalCommands(new LocalCommands(info));
        if (router != null) {
            // CONFIG SET replica-reads changes the mode; it starts as --replica-reads said
            ConfigStore store = info.config();
            store.set(java.util.List.<String[]>of(new String[] {"replica-reads", router.replicaReads().value()}));
            router.replicaReadsFrom(() -> ReplicaReadMode.parse(store.get("replica-reads")));
        }
        memoryGuard = new MemoryGuard(info.config(), shardStats);
    }

    /** maxmemory's check, once the local commands (and so the config) exist; null before. */
    public MemoryGuard memoryGuard() {
        return memoryGuard;
    }

    /** Sets the gateway-answered commands (startLocalCommands, or a test's own). */
    void useLocalCommands(LocalCommands commands) {
        this.localCommands = commands;
        this.clusterEnabled = commands.clusterEnabled();
    }

    /** The metadata group for the admin commands; set before startLocalCommands (null: none). */
    void meta(io.basalt.gateway.local.MetaEndpoint endpoint) {
        this.meta = endpoint;
    }

    /** How to present the gateway to cluster clients; set before startLocalCommands. */
    void clusterSettings(ClusterSettings settings) {
        this.clusterSettings = settings;
    }

    /**
     * Leaders mode: {@code -MOVED slot host:port} when another gateway claims the slot of the
     * command's first key, else null (served here). The admin tool's commands (internal ones) are
     * served by any gateway, and a READONLY connection's reads by the gateways listed as the
     * slot's replicas, as a Redis replica serves them (its reads are follower reads).
     */
    public String movedFor(CommandSpec spec, List<byte[]> argv, boolean readOnlyConnection) {
        ClusterView view = clusterView;
        if (view == null || !view.leaders() || spec.has(CommandSpec.Flag.INTERNAL)) {
            return null;
        }
        int[] keys = spec.keyPositions(argv);
        if (keys.length == 0) {
            return null;
        }
        int slot = io.basalt.router.slot.HashSlot.of(argv.get(keys[0]));
        io.basalt.gateway.cluster.GatewayNode owner = view.redirect(slot, readOnlyConnection && !spec.isWrite());
        return owner == null ? null : "MOVED " + slot + " " + owner.host() + ":" + owner.port();
    }

    /** Cluster mode: CLUSTER commands answered, CROSSSLOT enforced. */
    public boolean clusterEnabled() {
        return clusterEnabled;
    }
}
