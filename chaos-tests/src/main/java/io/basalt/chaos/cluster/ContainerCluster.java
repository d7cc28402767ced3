package io.basalt.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Nodes and gateway as Docker containers (Testcontainers) on a user network, each running the
 * basalt jar in a JDK image (system property {@code basalt.chaos.image}, default
 * eclipse-temurin:21-jre). kill = docker kill (SIGKILL to the container's init, which is java),
 * restart = docker start of the same container (its file system, so its data, is kept),
 * pause/resume = docker pause/unpause (the cgroup freezer: like SIGSTOP, for the whole
 * container). No network faults yet: that would need NET_ADMIN and iptables in the image.
 * Needs a Docker engine; see {@link #probe()}.
 */
public final class ContainerCluster implements ClusterBackend {

    static final int RAFT_PORT = 7400;
    static final int RESP_PORT = 6379;

    private final ClusterOptions options;
    private final String image;
    private final Map<String, GenericContainer<?>> nodes = new LinkedHashMap<>();
    private GenericContainer<?> gateway;
    private Network network;

    public ContainerCluster(ClusterOptions options) {
        this.options = options;
        this.image = System.getProperty("basalt.chaos.image", "eclipse-temurin:21-jre");
    }

    /** Why containers cannot run here ("no Docker engine: ..."), or empty when they can. */
    public static Optional<String> probe() {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
            return Optional.of("no Docker engine: Testcontainers found no usable Docker environment (DOCKER_HOST, /var/run/docker.sock)");
        } catch (Throwable t) {
            return Optional.of("no Docker engine: " + t);
        }
    }

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public void start() throws Exception {
        network = Network.newNetwork();
        List<String> peers = new ArrayList<>();
        for (String id : options.nodeIds()) {
            peers.add(id + "=" + id + ":" + RAFT_PORT);
        }
        String peerList = String.join(",", peers);
        try {
            for (String id : options.nodeIds()) {
                List<String> command = new ArrayList<>(javaCommand());
                command.addAll(List.of("node", "--id", id, "--peers", peerList, "--data-dir", "/data/" + id,
                    "--election-timeout-ms", Long.toString(options.electionTimeout().toMillis())));
                command.addAll(options.nodeArgs());
                GenericContainer<?> node = container(id, command, RAFT_PORT);
                nodes.put(id, node);
                node.start();
            }
            List<String> command = new ArrayList<>(javaCommand());
            command.addAll(List.of("gateway", "--peers", peerList, "--bind", "0.0.0.0",
                "--resp-port", Integer.toString(RESP_PORT), "--grpc-port", "0"));
            command.addAll(options.gatewayArgs());
            gateway = container("gateway", command, RESP_PORT);
            gateway.start();
            long deadline = System.nanoTime() + options.startTimeout().toNanos();
            while (!JarCluster.answersDbsize(resp())) {
                for (Map.Entry<String, GenericContainer<?>> e : nodes.entrySet()) {
                    if (!e.getValue().isRunning()) {
                        throw new IOException(e.getKey() + " exited: " + e.getValue().getLogs());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("containers did not serve DBSIZE within " + options.startTimeout()
                        + "; gateway log: " + gateway.getLogs());
                }
                Thread.sleep(200); // polling interval of a readiness probe
            }
        } catch (Throwable t) {
            close();
            throw t;
        }
    }

    private GenericContainer<?> container(String alias, List<String> command, int port) {
        @SuppressWarnings("resource") // closed by close()
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
            .withNetwork(network)
            .withNetworkAliases(alias)
            .withCopyFileToContainer(MountableFile.forHostPath(options.jar()), "/basalt.jar")
            .withExposedPorts(port)
            .withCommand(command.toArray(String[]::new))
            .waitingFor(Wait.forListeningPort().withStartupTimeout(options.startTimeout()));
        return c;
    }

    private List<String> javaCommand() {
        return List.of("java", "-Xmx" + options.heapMb() + "m", "-XX:+UseG1GC", "-jar", "/basalt.jar");
    }

    @Override
    public List<String> nodes() {
        return options.nodeIds();
    }

    /** The nodes' Raft ports as mapped to this host (they move when a container restarts). */
    @Override
    public Map<String, InetSocketAddress> raftAddresses() {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        nodes.forEach((id, c) -> {
            if (c.isRunning()) {
                addresses.put(id, new InetSocketAddress(c.getHost(), c.getMappedPort(RAFT_PORT)));
            }
        });
        return addresses;
    }

    @Override
    public InetSocketAddress resp() {
        return new InetSocketAddress(gateway.getHost(), gateway.getMappedPort(RESP_PORT));
    }

    @Override
    public Optional<String> leader() {
        List<String> peers = new ArrayList<>();
        raftAddresses().forEach((id, a) -> peers.add(id + "=" + a.getHostString() + ":" + a.getPort()));
        return peers.isEmpty() ? Optional.empty() : LeaderQuery.leaderOf(String.join(",", peers));
    }

    @Override
    public void kill(String node) {
        GenericContainer<?> c = container(node);
        c.getDockerClient().killContainerCmd(c.getContainerId()).withSignal("KILL").exec();
    }

    @Override
    public void restart(String node) {
        GenericContainer<?> c = container(node);
        c.getDockerClient().startContainerCmd(c.getContainerId()).exec();
    }

    @Override
    public void pause(String node) {
        GenericContainer<?> c = container(node);
        c.getDockerClient().pauseContainerCmd(c.getContainerId()).exec();
    }

    @Override
    public void resume(String node) {
        GenericContainer<?> c = container(node);
        c.getDockerClient().unpauseContainerCmd(c.getContainerId()).exec();
    }

    @Override
    public boolean isRunning(String node) {
        return container(node).isRunning();
    }

    /** The host PID of the container's java (its init process). */
    @Override
    public long pid(String node) {
        GenericContainer<?> c = container(node);
        Long pid = c.getDockerClient().inspectContainerCmd(c.getContainerId()).exec().getState().getPidLong();
        if (pid == null || pid == 0) {
            throw new IllegalStateException(node + " is not running");
        }
        return pid;
    }

    @Override
    public Optional<NetworkFaults> network() {
        return Optional.empty();
    }

    private GenericContainer<?> container(String node) {
        GenericContainer<?> c = nodes.get(node);
        if (c == null) {
            throw new IllegalArgumentException("no node " + node + " in " + nodes.keySet());
        }
        return c;
    }

    /** Unpauses, then stops and removes every container and the network. */
    @Override
    public void close() {
        List<GenericContainer<?>> all = new ArrayList<>(nodes.values());
        if (gateway != null) {
            all.add(gateway);
        }
        for (GenericContainer<?> c : all) {
            try {
                if (c.getContainerId() != null
                    && Boolean.TRUE.equals(c.getDockerClient().inspectContainerCmd(c.getContainerId()).exec().getState().getPaused())) {
                    c.getDockerClient().unpauseContainerCmd(c.getContainerId()).exec();
                }
            } catch (RuntimeException e) {
                // gone already; stop() below copes
            }
            c.stop();
        }
        if (network != null) {
            network.close();
        }
    }
}
