package io.basalt.cli.it;

import io.basalt.cli.ShardLeaders;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import redis.clients.jedis.Jedis;

/**
 * A real Basalt cluster for integration tests: node and gateway processes started from the
 * packaged jar (cli/target/basalt.jar), bound to loopback on free ports, each stopped by its own
 * PID when the test ends. Output of each process goes to target/it-logs/.
 */
final class TestCluster implements AutoCloseable {

    private final Path jar;
    private final Path dataDir;
    private final Path logDir;
    private final int replicas;
    private final int shards;
    private final int replicasPerShard;
    private final Map<String, Integer> raftPorts = new LinkedHashMap<>();
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private Process gateway;
    private final int respPort;
    private final int grpcPort;
    private final String peerList;
    private final List<String> nodeArguments;
    private List<String> gatewayArguments = List.of();
    /** Arguments for one node only (e.g. its --zone), set before start(). */
    private final Map<String, List<String>> perNodeArguments = new LinkedHashMap<>();
    /** Gateways started besides the main one (cluster-mode tests), stopped with the rest. */
    private final List<Process> extraGateways = new ArrayList<>();

    TestCluster(String name, int replicas) throws IOException {
        this(name, replicas, List.of());
    }

    /** Extra arguments for the gateway process (e.g. --cluster-mode enabled); call before start(). */
    TestCluster gatewayArguments(List<String> arguments) {
        this.gatewayArguments = List.copyOf(arguments);
        return this;
    }

    /** Starts another gateway of the same cluster on {@code port}, with {@code arguments}. */
    void startExtraGateway(int port, List<String> arguments) throws IOException {
        List<String> args = new ArrayList<>(List.of("gateway", "--peers", peerList, "--resp-port", Integer.toString(port),
            "--grpc-port", "0"));
        args.addAll(layoutArguments());
        args.addAll(arguments);
        extraGateways.add(launch("gateway-" + port, args));
    }

    /** @param nodeArguments extra arguments for every node process (e.g. --durability memory) */
    TestCluster(String name, int replicas, List<String> nodeArguments) throws IOException {
        this(name, replicas, 1, 0, nodeArguments);
    }

    /**
     * A cluster of {@code nodes} nodes and {@code shards} shards of {@code replicasPerShard}
     * replicas (0: every node replicates every shard), laid out by {@link StaticTopology}.
     */
    TestCluster(String name, int nodes, int shards, int replicasPerShard, List<String> nodeArguments) throws IOException {
        this.shards = shards;
        this.replicasPerShard = replicasPerShard;
        this.nodeArguments = List.copyOf(nodeArguments);
        this.jar = Path.of(System.getProperty("basalt.jar", "target/basalt.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": integration tests run after `mvn package`");
        }
        Path target = jar.getParent();
        this.dataDir = Files.createTempDirectory(target, "it-" + name + "-");
        this.logDir = target.resolve("it-logs").resolve(dataDir.getFileName());
        Files.createDirectories(logDir);
        this.replicas = nodes;
        List<String> peers = new ArrayList<>();
        int[] ports = freePorts(nodes + 2);
        for (int i = 1; i <= nodes; i++) {
            int port = ports[i - 1];
            raftPorts.put("n" + i, port);
            peers.add("n" + i + "=127.0.0.1:" + port);
        }
        this.peerList = String.join(",", peers);
        this.respPort = ports[nodes];
        this.grpcPort = ports[nodes + 1];
    }

    /** Starts every node and the gateway; stops whatever it started if the cluster does not come up. */
    TestCluster start() throws Exception {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            for (String id : raftPorts.keySet()) {
                startNode(id);
            }
            startGateway();
            awaitServing(Duration.ofSeconds(60));
            for (int shard = 1; shard < shards; shard++) { // DBSIZE reached the first shard only
                int s = shard;
                awaitCondition("a leader of shard " + s, Duration.ofSeconds(60), () -> leader(s).isPresent());
            }
            return this;
        } catch (Throwable t) {
            close();
            throw t;
        }
    }

    /** Stops the processes even when the test JVM is killed or exits without closing us. */
    private final Thread shutdownHook = new Thread(() -> {
        nodes.values().forEach(Process::destroyForcibly);
        extraGateways.forEach(Process::destroyForcibly);
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }, "test-cluster-stop");

    void startNode(String id) throws IOException {
        List<String> args = new ArrayList<>(List.of("node", "--id", id, "--peers", peerList,
            "--data-dir", dataDir.resolve(id).toString()));
        args.addAll(layoutArguments());
        args.addAll(nodeArguments);
        args.addAll(perNodeArguments.getOrDefault(id, List.of()));
        nodes.put(id, launch(id, args));
    }

    /** Extra arguments for node {@code id} alone; call before start(). */
    TestCluster nodeArguments(String id, List<String> arguments) {
        perNodeArguments.put(id, List.copyOf(arguments));
        return this;
    }

    /**
     * Starts a node that is not among the bootstrap peers (it joins through the metadata group):
     * its own --address on a free port, the cluster's layout and node arguments plus {@code extra}.
     */
    void startAddedNode(String id, List<String> extra) throws IOException {
        int port = freePorts(1)[0];
        List<String> args = new ArrayList<>(List.of("node", "--id", id, "--address", "127.0.0.1:" + port, "--peers", peerList,
            "--data-dir", dataDir.resolve(id).toString()));
        args.addAll(layoutArguments());
        args.addAll(nodeArguments);
        args.addAll(extra);
        nodes.put(id, launch(id, args));
    }

    /** Runs {@code basalt <args>} from the cluster's jar and waits for it; its output is printed and returned. */
    AdminRun basalt(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m"));
        command.addAll(io.basalt.cli.JavaLauncher.quietJdkOptions());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    System.out.println("  | " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "basalt-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("basalt " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + output);
            }
            reader.join(5000);
        } finally {
            p.destroyForcibly();
        }
        return new AdminRun(p.exitValue(), output.toString());
    }

    /**
     * Every shard holds some of the keys {@code prefix0..prefix(n-1)}: asked of the shard owning
     * each key's slot by the layout ({@code basalt.slots.state}: it owns the slot and counts keys in it).
     */
    void assertKeysInEveryShard(String prefix, int n) {
        io.basalt.router.slot.SlotMap map = topology().slotMap();
        java.util.Set<Integer> found = new java.util.HashSet<>();
        try (Jedis j = jedis()) {
            for (int i = 0; i < n; i++) {
                int slot = io.basalt.router.slot.HashSlot.of((prefix + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                int shard = map.shardIndexOfSlot(slot);
                List<?> state = (List<?>) j.sendCommand(
                    () -> "basalt.slots.state".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    Integer.toString(shard), Integer.toString(slot));
                if (!(state.get(0).equals(1L) && (Long) state.get(4) > 0)) {
                    throw new AssertionError("shard " + shard + " should own slot " + slot + " and hold " + prefix + i + ": " + state);
                }
                found.add(shard);
            }
        }
        if (found.size() != shards) {
            throw new AssertionError("keys " + prefix + "* reached shards " + found + " of " + shards);
        }
    }

    /** A finished {@code basalt} command: its exit code and output. */
    record AdminRun(int exitCode, String output) {}

    void startGateway() throws IOException {
        List<String> args = new ArrayList<>(List.of("gateway", "--peers", peerList,
            "--resp-port", Integer.toString(respPort), "--grpc-port", Integer.toString(grpcPort)));
        args.addAll(layoutArguments());
        args.addAll(gatewayArguments);
        gateway = launch("gateway", args);
    }

    /** --shards and --replicas as every process of this cluster is given them (none: one shard on every node). */
    private List<String> layoutArguments() {
        List<String> args = new ArrayList<>();
        if (shards != 1) {
            args.addAll(List.of("--shards", Integer.toString(shards)));
        }
        if (replicasPerShard != 0) {
            args.addAll(List.of("--replicas", Integer.toString(replicasPerShard)));
        }
        return args;
    }

    /** The layout every process of this cluster derives from its arguments. */
    StaticTopology topology() {
        return replicasPerShard == 0 ? StaticTopology.parse(peerList, shards)
            : StaticTopology.parse(peerList, shards, replicasPerShard);
    }

    private Process launch(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(io.basalt.cli.JavaLauncher.quietJdkOptions());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()))
            .start();
    }

    /** Waits until the gateway answers a linearizable read, which needs an elected leader. */
    void awaitServing(Duration timeout) {
        awaitCondition("cluster serving", timeout, () -> {
            try (Jedis jedis = jedis()) {
                jedis.dbSize();
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    Jedis jedis() {
        Jedis jedis = new Jedis("127.0.0.1", respPort, 10_000);
        return jedis;
    }

    int respPort() { return respPort; }
    int grpcPort() { return grpcPort; }
    Path dataDir() { return dataDir; }
    Path logDir() { return logDir; }
    Map<String, Process> nodes() { return nodes; }

    /** The peer id of the (first) shard's current leader, asked of the nodes themselves. */
    Optional<String> leader() {
        return leader(0);
    }

    /** The peer id of shard {@code shard}'s current leader, asked of its replicas. */
    Optional<String> leader(int shard) {
        return ShardLeaders.leaderOf(topology().shards().get(shard));
    }

    String awaitLeader(Duration timeout) {
        String[] found = new String[1];
        awaitCondition("a leader", timeout, () -> {
            Optional<String> l = leader();
            l.ifPresent(id -> found[0] = id);
            return l.isPresent();
        });
        return found[0];
    }

    /**
     * Makes a peer other than n1 the leader, so that clients, which try the first peer first,
     * start with a NotLeader redirect; returns the new leader.
     */
    String moveLeadershipOffFirstPeer(Duration timeout) throws Exception {
        String leader = awaitLeader(timeout);
        if (!leader.equals("n1")) {
            return leader;
        }
        RaftGroupId groupId = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));
        List<RaftPeer> peers = new ArrayList<>();
        raftPorts.forEach((id, port) -> peers.add(RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + port).build()));
        // transferLeadership can time out on a loaded machine; ask again until someone else leads
        awaitCondition("a leader other than n1", timeout, () -> {
            if (leader().map(l -> !l.equals("n1")).orElse(false)) {
                return true;
            }
            try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                    .setRaftGroup(RaftGroup.valueOf(groupId, peers)).build()) {
                client.admin().transferLeadership(org.apache.ratis.protocol.RaftPeerId.valueOf("n2"), 3000);
            } catch (Exception e) {
                // not transferred this time
            }
            return leader().map(l -> !l.equals("n1")).orElse(false);
        });
        return awaitLeader(timeout);
    }

    void kill9(String id) throws InterruptedException {
        Process p = nodes.get(id);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** kill -9 of every node process in one signal-sending command: no node outlives another. */
    void kill9AllNodes() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-9"));
        nodes.values().forEach(p -> command.add(Long.toString(p.pid())));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -9 of the nodes failed: " + command);
        }
        for (Process p : nodes.values()) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The index this node has applied, asked of the node itself; -1 when it does not answer. */
    long appliedIndex(String id) {
        RaftGroupId groupId = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));
        List<RaftPeer> peers = new ArrayList<>();
        raftPorts.forEach((peer, port) -> peers.add(RaftPeer.newBuilder().setId(peer).setAddress("127.0.0.1:" + port).build()));
        try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                .setRaftGroup(RaftGroup.valueOf(groupId, peers)).build()) {
            return client.getGroupManagementApi(org.apache.ratis.protocol.RaftPeerId.valueOf(id)).info(groupId)
                .getLogInfoProto().getApplied().getIndex();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * What {@code basalt.node.info} says about node {@code id}'s replica of the first shard (name
     * to value); empty when it does not answer.
     */
    Map<String, String> nodeInfo(String id) {
        RaftGroupId groupId = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));
        List<RaftPeer> peers = new ArrayList<>();
        raftPorts.forEach((peer, port) -> peers.add(RaftPeer.newBuilder().setId(peer).setAddress("127.0.0.1:" + port).build()));
        byte[] ask = io.basalt.proto.internal.CommandBatch.newBuilder().addCommands(io.basalt.proto.internal.Command.newBuilder()
            .addArgs(com.google.protobuf.ByteString.copyFromUtf8(io.basalt.router.command.specs.InternalCommandSpecs.NODE_INFO)))
            .build().toByteArray();
        try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                .setRaftGroup(RaftGroup.valueOf(groupId, peers)).build()) {
            org.apache.ratis.protocol.RaftClientReply reply = client.io().sendStaleRead(
                org.apache.ratis.protocol.Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(ask)),
                -1, org.apache.ratis.protocol.RaftPeerId.valueOf(id));
            byte[] resp = io.basalt.proto.internal.BatchReply.parseFrom(reply.getMessage().getContent().toByteArray())
                .getReplies(0).toByteArray();
            // an array of bulk strings, name and value in turn
            String[] lines = new String(resp, java.nio.charset.StandardCharsets.UTF_8).split("\r\n");
            Map<String, String> out = new LinkedHashMap<>();
            List<String> bulks = new ArrayList<>();
            for (int i = 1; i + 1 < lines.length; i += 2) {
                bulks.add(lines[i + 1]);
            }
            for (int i = 0; i + 1 < bulks.size(); i += 2) {
                out.put(bulks.get(i), bulks.get(i + 1));
            }
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    void stopNode(String id) throws InterruptedException {
        Process p = nodes.get(id);
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void stopAllNodes() throws InterruptedException {
        for (String id : new ArrayList<>(nodes.keySet())) {
            stopNode(id);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never registered
        }
        List<Process> all = new ArrayList<>(nodes.values());
        all.addAll(extraGateways);
        if (gateway != null) {
            all.add(gateway);
        }
        all.forEach(Process::destroy);
        for (Process p : all) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50); // polling interval; the condition is the synchronization
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /**
     * Distinct free loopback ports: all bound at once and then released, so the kernel cannot hand
     * out the same ephemeral port twice (which happened, and a node that cannot bind exits).
     */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
