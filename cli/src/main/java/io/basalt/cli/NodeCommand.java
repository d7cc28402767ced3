package io.basalt.cli;

import io.basalt.node.engine.Keyspace;
import io.basalt.node.server.MetaOptions;
import io.basalt.node.server.NodeConfig;
import io.basalt.node.server.NodeOptions;
import io.basalt.node.server.RaftNode;
import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.topology.StaticTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code basalt node}: one storage node process. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one storage node: a Raft server hosting a replica of each shard.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--id", required = true,
        description = "This node's peer id: one of the ids in --peers, or a new id with --address (a node added to a running cluster).")
    String id;

    @Option(names = "--address", description = "This node's Raft address host:port, for a node that is not in --peers "
        + "(added later; needs --meta-replicas).")
    String address;

    @Option(names = "--zone", defaultValue = "", description = "Zone label for placement: replicas of a shard go to distinct zones.")
    String zone;

    @Option(names = "--gateway-address", defaultValue = "",
        description = "host:port of the RESP gateway beside this node, registered in the metadata group.")
    String gatewayAddress;

    @Option(names = "--dead-after-ms", defaultValue = "30000",
        description = "Heartbeat silence after which the metadata leader declares a node dead and re-places its replicas "
            + "(default ${DEFAULT-VALUE}).")
    long deadAfterMs;

    @picocli.CommandLine.Mixin
    TopologyArguments layout;

    @Option(names = "--data-dir", required = true, description = "Directory for this node's Raft log.")
    Path dataDir;

    @Option(names = "--election-timeout-ms", defaultValue = "300",
        description = "Minimum Raft election timeout; the maximum is twice it (default ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @picocli.CommandLine.Mixin
    StorageArguments storage;

    @Option(names = "--read-confirmation", defaultValue = "on", paramLabel = "on|off",
        description = "Confirm leadership with a majority for each batch of linearizable reads (default ${DEFAULT-VALUE}); "
            + "off leaves Ratis's ReadIndex alone, which may serve stale reads from a cut-off leader (for measurements).")
    String readConfirmation;

    @Option(names = "--read-lease", defaultValue = "off", paramLabel = "on|off",
        description = "Enable Ratis's leader lease and skip the confirmation round while it is valid (default ${DEFAULT-VALUE}); "
            + "not provably safe in Ratis 3.3.0 (docs/consistency.md), for measurements.")
    String readLease;

    @Option(names = "--allow-fault-injection",
        description = "Accept fault commands on the node-local channel (basalt.node.clock-offset); for chaos tests only.")
    boolean allowFaultInjection;

    @Option(names = "--join",
        description = "Start as a new member of a running group: wait, without campaigning, until a leader adds this node "
            + "with a configuration change (Ratis admin setConfiguration).")
    boolean join;

    @Override
    public Integer call() throws Exception {
        if (!readConfirmation.equals("on") && !readConfirmation.equals("off")) {
            System.err.println("basalt node: --read-confirmation must be on or off");
            return 2;
        }
        if (!readLease.equals("on") && !readLease.equals("off")) {
            System.err.println("basalt node: --read-lease must be on or off");
            return 2;
        }
        StaticTopology topology;
        try {
            topology = layout.topology();
        } catch (IllegalArgumentException e) {
            System.err.println("basalt node: " + e.getMessage());
            return 2;
        }
        if (address != null && layout.metaReplicas == 0) {
            System.err.println("basalt node: --address (a node added to a running cluster) needs --meta-replicas");
            return 2;
        }
        Files.createDirectories(dataDir);
        NodeConfig config;
        MetaOptions meta;
        try {
            config = new NodeConfig(id, topology, dataDir,
                new RaftTimeouts(Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs)),
                storage.storageOptions(), address);
            meta = new MetaOptions(layout.metaReplicas, zone, gatewayAddress, Duration.ofMillis(deadAfterMs));
            if (meta.enabled()) {
                io.basalt.router.meta.MetaGroup.of(topology, layout.metaReplicas);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("basalt node: " + e.getMessage());
            return 2;
        }
        RaftNode node = new RaftNode(config, Keyspace::new, new NodeOptions(readConfirmation.equals("on"),
            allowFaultInjection, join, readLease.equals("on")), meta);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("basalt node: error while stopping: " + e);
            }
            stopped.countDown();
        }, "shutdown"));
        node.start();
        System.out.println("Basalt node " + id + " ready: raft " + config.raftAddress() + ", shards "
            + topology.shardsOf(id) + " of " + topology.shards().size() + (meta.enabled() ? " at bootstrap, metadata group of "
            + meta.replicas() : "") + ", data " + dataDir.toAbsolutePath());
        stopped.await();
        return 0;
    }
}
