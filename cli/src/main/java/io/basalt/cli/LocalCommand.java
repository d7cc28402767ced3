package io.basalt.cli;

import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code basalt local}: a whole cluster on this machine, for development and drills. Each node
 * and the gateway run as their own process (so a node can be killed alone), with their output
 * in the data folder's logs/. Stops them all on Ctrl-C or SIGTERM.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Start a local cluster: storage nodes and a gateway as separate processes on loopback.")
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "basalt-data", description = "Data folder (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--resp-port", defaultValue = "6379", description = "Redis protocol port (default ${DEFAULT-VALUE}).")
    int respPort;

    @Option(names = "--grpc-port", defaultValue = "50051", description = "gRPC port, 0 to disable (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--replicas", defaultValue = "3", description = "Replicas per shard (1-7, default ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--shards", defaultValue = "1",
        description = "Shards, each a Raft group owning an even range of the 16384 slots (1-1024, default ${DEFAULT-VALUE}). "
            + "Each group costs threads: on a small machine keep few per core.")
    int shards;

    @Option(names = "--nodes", description = "Storage node processes (default: as many as --replicas); shard i lives on "
        + "nodes i+1..i+R (mod the number of nodes).")
    Integer nodes;

    @Option(names = "--raft-base-port", defaultValue = "9860",
        description = "Raft port of the first node; the others count up from it (default ${DEFAULT-VALUE}).")
    int raftBasePort;

    @Option(names = "--election-timeout-ms", defaultValue = "300", description = "Minimum Raft election timeout (default ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @Mixin
    BatchingOptions batching;

    @Mixin
    ClusterArguments clusterMode;

    @Mixin
    StorageArguments storage;

    @Option(names = "--read-confirmation", defaultValue = "on", paramLabel = "on|off",
        description = "Passed to every node (see basalt node --help; default ${DEFAULT-VALUE}).")
    String readConfirmation;

    @Option(names = "--read-lease", defaultValue = "off", paramLabel = "on|off",
        description = "Passed to every node (see basalt node --help; default ${DEFAULT-VALUE}).")
    String readLease;

    @Option(names = "--ready-timeout-s", defaultValue = "120", description = "How long to wait for the cluster to serve (default ${DEFAULT-VALUE}).")
    long readyTimeoutS;

    @Option(names = "--meta-replicas", defaultValue = "0",
        description = "Run a metadata group on the first N nodes (1-7), so that basalt admin add-node, remove-node, "
            + "add-shard, rebalance and status work on this cluster (default ${DEFAULT-VALUE}: none).")
    int metaReplicas;

    @Option(names = "--no-restart", description = "Leave a node that exits down instead of restarting it (the default restarts it after 1 s).")
    boolean noRestart;

    @Override
    public Integer call() throws Exception {
        if (replicas < 1 || replicas > 7) {
            System.err.println("basalt local: --replicas must be between 1 and 7");
            return 2;
        }
        for (String onOff : List.of(readConfirmation, readLease)) {
            if (!onOff.equals("on") && !onOff.equals("off")) {
                System.err.println("basalt local: --read-confirmation and --read-lease take on or off");
                return 2;
            }
        }
        int nodeCount = nodes == null ? replicas : nodes;
        if (nodeCount < replicas || nodeCount > 64) {
            System.err.println("basalt local: --nodes must be between --replicas (" + replicas + ") and 64");
            return 2;
        }
        Path data = dataDir.toAbsolutePath();
        Path logs = data.resolve("logs");
        Files.createDirectories(logs);
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            int port = raftBasePort + i - 1;
            requireFreePort(port, "Raft port of node n" + i);
            peers.add("n" + i + "=127.0.0.1:" + port);
        }
        requireFreePort(respPort, "--resp-port");
        if (grpcPort > 0) {
            requireFreePort(grpcPort, "--grpc-port");
        }
        String peerList = String.join(",", peers);
        StaticTopology topology;
        try {
            topology = StaticTopology.parse(peerList, shards, replicas);
        } catch (IllegalArgumentException e) {
            System.err.println("basalt local: " + e.getMessage());
            return 2;
        }
        if (metaReplicas < 0 || metaReplicas > Math.min(7, nodeCount)) {
            System.err.println("basalt local: --meta-replicas must be between 0 and " + Math.min(7, nodeCount));
            return 2;
        }
        List<String> layout = new ArrayList<>(List.of("--shards", Integer.toString(shards), "--replicas", Integer.toString(replicas)));
        if (metaReplicas > 0) {
            layout.addAll(List.of("--meta-replicas", Integer.toString(metaReplicas)));
        }

        LocalCluster cluster = new LocalCluster(logs);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Basalt...");
            cluster.stopAll(Duration.ofSeconds(10));
            System.out.println("Basalt stopped.");
            stopped.countDown();
        }, "shutdown"));

        for (int i = 1; i <= nodeCount; i++) {
            String id = "n" + i;
            List<String> nodeArgs = new java.util.ArrayList<>(List.of("node", "--id", id, "--peers", peerList,
                "--data-dir", data.resolve(id).toString(), "--election-timeout-ms", Long.toString(electionTimeoutMs)));
            nodeArgs.addAll(layout);
            nodeArgs.addAll(storage.asArguments());
            nodeArgs.addAll(List.of("--read-confirmation", readConfirmation, "--read-lease", readLease));
            cluster.start(id, nodeArgs);
        }
        List<String> gatewayArgs = new ArrayList<>(List.of("gateway", "--peers", peerList,
            "--resp-port", Integer.toString(respPort), "--grpc-port", Integer.toString(grpcPort)));
        gatewayArgs.addAll(layout);
        gatewayArgs.addAll(batching.asArguments());
        gatewayArgs.addAll(clusterMode.asArguments());
        cluster.start("gateway", gatewayArgs);

        if (!cluster.awaitServing(new InetSocketAddress("127.0.0.1", respPort), topology.shards(), Duration.ofSeconds(readyTimeoutS))) {
            System.err.println("basalt local: the cluster did not become ready within " + readyTimeoutS + " s; logs are in " + logs);
            System.exit(1);
        }
        for (int i = 1; i <= nodeCount; i++) {
            System.out.println("node n" + i + "     raft 127.0.0.1:" + (raftBasePort + i - 1)
                + "  pid " + cluster.pid("n" + i) + "  data " + data.resolve("n" + i));
        }
        System.out.println("redis     127.0.0.1:" + respPort + "  (redis-cli -p " + respPort + ")");
        if (grpcPort > 0) {
            System.out.println("grpc      127.0.0.1:" + grpcPort + "  (basalt.v1.KeyValue)");
        }
        System.out.println("logs      " + logs);
        for (int i = 0; i < shards; i++) {
            String leader = ShardLeaders.leaderOf(topology.shards().get(i)).orElse(null);
            System.out.println("shard " + i + "   slots " + topology.firstSlot(i) + "-" + topology.lastSlot(i)
                + "  replicas " + String.join(",", topology.shards().get(i).replicas().stream()
                    .map(io.basalt.router.slot.ShardInfo.Replica::peerId).toList())
                + "  leader " + (leader == null ? "(electing)" : leader + " (pid " + cluster.pid(leader) + ")"));
            if (shards == 1 && leader != null) { // the line the README's failover walk-through points at
                System.out.println("leader    " + leader + " (pid " + cluster.pid(leader) + ") leads the shard now");
            }
        }
        if (metaReplicas > 0) {
            System.out.println("metadata  group on n1-n" + metaReplicas + "; add a node with: bin/basalt node --id n"
                + (nodeCount + 1) + " --address 127.0.0.1:" + (raftBasePort + nodeCount) + " --peers " + peerList + " "
                + String.join(" ", layout) + " --data-dir " + data.resolve("n" + (nodeCount + 1))
                + "  then: bin/basalt admin add-node --target 127.0.0.1:" + respPort + " --node n" + (nodeCount + 1));
        }
        System.out.println("Basalt ready: " + nodeCount + " node(s), " + shards + " shard(s) of " + replicas
            + " replica(s); Ctrl-C stops everything");
        cluster.superviseExits(!noRestart);
        stopped.await();
        return 0;
    }

    private static void requireFreePort(int port, String what) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IOException(what + " " + port + " is already in use on 127.0.0.1; choose another", e);
        }
    }
}
