package io.basalt.chaos.cluster;

import io.basalt.cli.JavaLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the process backends share: nodes and a gateway run from the basalt jar as child
 * processes of this JVM, each signalled by its own PID. Subclasses say where a node listens and
 * how its command line starts (plain, or inside a network namespace).
 */
abstract class JarCluster implements ClusterBackend {

    protected final ClusterOptions options;
    private final ChildProcesses children;
    private final Map<String, InetSocketAddress> raftAddresses = new LinkedHashMap<>();
    /** The group's members as far as this backend knows: the initial nodes, changed by add/removeNode. */
    private final List<String> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int nextNodeNumber;
    private String peerList;
    private InetSocketAddress resp;
    private int grpcPort;
    private boolean started;

    JarCluster(ClusterOptions options) throws IOException {
        this.options = options;
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException("no basalt jar at " + options.jar()
                + ": build it with `mvn -o -q -pl cli -am package -DskipTests` or pass -Dbasalt.jar=...");
        }
        Files.createDirectories(options.runDir());
        this.children = new ChildProcesses(options.runDir().resolve("logs"));
    }

    /**
     * Sets up what the nodes need (namespaces...) and returns each node's Raft address.
     *
     * @param loopbackPorts one free loopback port per node, picked together with the gateway's
     */
    protected abstract Map<String, InetSocketAddress> prepare(List<String> nodes, int[] loopbackPorts) throws Exception;

    /** What goes before {@code java} on a node's command line (e.g. ip netns exec NS). */
    protected List<String> nodePrefix(String node) {
        return List.of();
    }

    /** Removes what {@link #prepare} set up; called after every process is stopped. */
    protected void cleanUp() throws Exception {
    }

    @Override
    public final void start() throws Exception {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            int n = options.nodes();
            int[] ports = FreePorts.loopback(n + 2);
            raftAddresses.putAll(prepare(options.nodeIds(), java.util.Arrays.copyOf(ports, n)));
            List<String> peers = new ArrayList<>();
            raftAddresses.forEach((id, a) -> peers.add(id + "=" + a.getHostString() + ":" + a.getPort()));
            peerList = String.join(",", peers);
            resp = new InetSocketAddress("127.0.0.1", ports[n]);
            grpcPort = ports[n + 1];
            members.addAll(options.nodeIds());
            nextNodeNumber = options.nodes() + 1;
            for (String node : options.nodeIds()) {
                children.start(node, nodeCommand(node, peerList, List.of()));
            }
            List<String> gateway = new ArrayList<>(javaCommand());
            gateway.addAll(List.of("gateway", "--peers", peerList, "--bind", "127.0.0.1",
                "--resp-port", Integer.toString(resp.getPort()), "--grpc-port", Integer.toString(grpcPort)));
            gateway.addAll(options.gatewayArgs());
            children.start("gateway", gateway);
            awaitServing();
        } catch (Throwable t) {
            try {
                close();
            } catch (Exception e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private List<String> nodeCommand(String node, String peers, List<String> extra) {
        List<String> command = new ArrayList<>(nodePrefix(node));
        command.addAll(javaCommand());
        // every chaos node lets the harness skew its clock (the clock-skew nemesis)
        command.addAll(List.of("node", "--id", node, "--peers", peers,
            "--data-dir", options.runDir().resolve(node).toString(),
            "--election-timeout-ms", Long.toString(options.electionTimeout().toMillis()), "--allow-fault-injection"));
        command.addAll(extra);
        command.addAll(options.nodeArgs());
        return command;
    }

    /**
     * The Raft address a node added later listens on; backends that can add nodes override it
     * (and {@link #canChangeMembership()}).
     */
    protected InetSocketAddress addressForNewNode(String node) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot add nodes");
    }

    @Override
    public synchronized String addNode() throws Exception {
        if (!canChangeMembership()) {
            throw new UnsupportedOperationException(name() + " cannot add nodes");
        }
        String id = "n" + nextNodeNumber++;
        InetSocketAddress address = addressForNewNode(id);
        raftAddresses.put(id, address);
        List<String> peers = new ArrayList<>();
        for (String m : members) {
            peers.add(m + "=" + raftAddresses.get(m).getHostString() + ":" + raftAddresses.get(m).getPort());
        }
        peers.add(id + "=" + address.getHostString() + ":" + address.getPort());
        children.start(id, nodeCommand(id, String.join(",", peers), List.of("--join")));
        members.add(id);
        return id;
    }

    @Override
    public synchronized void removeNode(String node) throws Exception {
        requireNode(node);
        children.kill(node);
        members.remove(node);
        raftAddresses.remove(node);
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(options.java().toString());
        command.add("-Xmx" + options.heapMb() + "m");
        command.add("-XX:+UseG1GC");
        command.addAll(JavaLauncher.quietJdkOptions());
        command.add("-jar");
        command.add(options.jar().toString());
        return command;
    }

    /** Until the gateway answers DBSIZE (which needs an elected leader), or a child dies, or the deadline. */
    private void awaitServing() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        List<String> all = new ArrayList<>(options.nodeIds());
        all.add("gateway");
        while (true) {
            Optional<String> died = children.unexpectedExit(all);
            if (died.isPresent()) {
                throw new IOException(name() + " cluster did not start: " + died.get());
            }
            if (answersDbsize(resp)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name() + " cluster did not serve DBSIZE within " + options.startTimeout()
                    + "; logs in " + options.runDir().resolve("logs"));
            }
            Thread.sleep(100); // polling interval of a readiness probe; the answer is the condition
        }
    }

    static boolean answersDbsize(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() == ':';
        } catch (IOException e) {
            return false;
        }
    }

    /** The peer list the nodes and the gateway were started with (id=host:port,...). */
    public String peerList() {
        return peerList;
    }

    /** Where a child's output goes. */
    public Path log(String name) {
        return children.log(name);
    }

    @Override
    public List<String> nodes() {
        return List.copyOf(members);
    }

    @Override
    public synchronized Map<String, InetSocketAddress> raftAddresses() {
        return Map.copyOf(raftAddresses);
    }

    @Override
    public InetSocketAddress resp() {
        return resp;
    }

    @Override
    public Optional<String> leader() {
        List<String> peers = new ArrayList<>();
        raftAddresses().forEach((id, a) -> peers.add(id + "=" + a.getHostString() + ":" + a.getPort()));
        return LeaderQuery.leaderOf(String.join(",", peers));
    }

    @Override
    public void kill(String node) throws Exception {
        requireNode(node);
        children.kill(node);
    }

    @Override
    public void restart(String node) throws Exception {
        requireNode(node);
        children.restart(node);
    }

    @Override
    public void pause(String node) throws Exception {
        requireNode(node);
        children.pause(node);
    }

    @Override
    public void resume(String node) throws Exception {
        requireNode(node);
        children.resume(node);
    }

    @Override
    public boolean isRunning(String node) {
        return children.isRunning(node);
    }

    @Override
    public long pid(String node) {
        return children.pid(node);
    }

    /** The gateway's PID, while it runs. */
    public long gatewayPid() {
        return children.pid("gateway");
    }

    private void requireNode(String node) {
        if (!members.contains(node)) {
            throw new IllegalArgumentException("no node " + node + " in " + members);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            children.stopAll(options.stopGrace());
        } finally {
            cleanUp();
        }
    }
}
