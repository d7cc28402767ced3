package io.basalt.cli;

import io.basalt.gateway.GatewayConfig;
import io.basalt.gateway.GatewayServer;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.topology.StaticTopology;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code basalt gateway}: one stateless gateway process. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run a gateway: the Redis (RESP2/RESP3) and gRPC front ends, routing to the shards.")
final class GatewayCommand implements Callable<Integer> {

    @Mixin
    TopologyArguments layout;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--resp-port", defaultValue = "6379", description = "Redis protocol port (default ${DEFAULT-VALUE}).")
    int respPort;

    @Option(names = "--grpc-port", defaultValue = "50051", description = "gRPC port, 0 to disable (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Mixin
    BatchingOptions batching;

    @Mixin
    ClusterArguments cluster;

    @Override
    public Integer call() throws Exception {
        if (cluster.mode == ClusterArguments.Mode.enabled && cluster.announce == null
                && (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("*"))) {
            System.err.println("basalt gateway: listening on " + bind + " without --cluster-announce: cluster clients"
                + " will be told 127.0.0.1; set --cluster-announce to an address they can reach");
        }
        if (cluster.slots == ClusterArguments.Slots.leaders && layout.metaReplicas == 0) {
            System.err.println("basalt gateway: --cluster-slots leaders needs the metadata group (--meta-replicas)");
            return 2;
        }
        StaticTopology topology;
        io.basalt.router.client.ReplicaReadMode replicaReads;
        try {
            replicaReads = cluster.replicaReadMode();
            topology = layout.topology();
        } catch (IllegalArgumentException e) {
            System.err.println("basalt gateway: " + e.getMessage());
            return 2;
        }
        // with several shards, slots may move between them (basalt admin move-slots): the map
        // follows what the shards say they own
        // (and with a metadata group, shards may be added and replicas moved: its shard table is watched)
        boolean withMeta = layout.metaReplicas > 0;
        io.basalt.router.client.OwnershipSlotMapSource slotSource = topology.slotMap().shards().size() > 1 || withMeta
            ? new io.basalt.router.client.OwnershipSlotMapSource(topology.slotMap(), 2000) : null;
        RoutingClient router = slotSource == null ? new RoutingClient(topology.slotMap(), batching.routingConfig())
            : new RoutingClient(slotSource, batching.routingConfig());
        if (slotSource != null) {
            slotSource.attach(router);
        }
        router.replicaReadsFrom(() -> replicaReads);
        // 0 disables gRPC here, as --help says (GatewayConfig reads 0 as "any free port")
        GatewayServer gateway = new GatewayServer(new GatewayConfig(bind, respPort, grpcPort == 0 ? -1 : grpcPort), router,
            cluster.settings());
        GatewayMeta meta = withMeta ? GatewayMeta.start(topology, layout.metaReplicas, slotSource) : null;
        if (meta != null) {
            gateway.meta(meta);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            try {
                if (meta != null) {
                    meta.close();
                }
                router.close();
            } catch (Exception e) {
                System.err.println("basalt gateway: error while stopping: " + e);
            }
            stopped.countDown();
        }, "shutdown"));
        gateway.start();
        if (batching.unsafeStaleReads) {
            System.out.println("WARNING: --unsafe-stale-reads: reads are served by any replica without ReadIndex and are NOT linearizable (test only)");
        }
        System.out.println("Basalt gateway ready: resp " + bind + ":" + gateway.respPort()
            + (gateway.grpcPort() > 0 ? ", grpc " + bind + ":" + gateway.grpcPort() : "")
            + (cluster.mode == ClusterArguments.Mode.enabled ? ", cluster mode enabled" : ""));
        stopped.await();
        return 0;
    }
}
