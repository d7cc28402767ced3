package io.basalt.chaos.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a backend starts its cluster: how many nodes, from which jar and Java, where data and logs
 * go, and the extra arguments for nodes and gateway. Build one with {@link #builder(Path)}.
 *
 * @param nodes storage nodes, each a replica of the one shard
 * @param jar the packaged basalt jar the processes run
 * @param java the java binary for child processes
 * @param runDir this run's folder: one data folder per node and logs/
 * @param electionTimeout minimum Raft election timeout (the maximum is twice it)
 * @param nodeArgs extra arguments for every node (e.g. --durability memory)
 * @param gatewayArgs extra arguments for the gateway
 * @param startTimeout how long start() waits for the gateway to serve a linearizable read
 * @param stopGrace how long close() waits after SIGTERM before SIGKILL
 * @param heapMb -Xmx of every child process
 */
public record ClusterOptions(int nodes, Path jar, Path java, Path runDir, Duration electionTimeout,
                             List<String> nodeArgs, List<String> gatewayArgs, Duration startTimeout,
                             Duration stopGrace, int heapMb) {

    public ClusterOptions {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be between 1 and 9: " + nodes);
        }
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(runDir, "runDir");
        nodeArgs = List.copyOf(nodeArgs);
        gatewayArgs = List.copyOf(gatewayArgs);
    }

    /** The node ids: n1..nN. */
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("n" + i);
        }
        return ids;
    }

    /** The basalt jar from -Dbasalt.jar, else cli/target/basalt.jar under the working folder or its parent. */
    public static Path defaultJar() {
        String property = System.getProperty("basalt.jar");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path here = Path.of("cli/target/basalt.jar").toAbsolutePath();
        // failsafe runs in chaos-tests/, a developer from the repository root
        Path parent = Path.of("../cli/target/basalt.jar").toAbsolutePath().normalize();
        return Files.isRegularFile(here) || !Files.isRegularFile(parent) ? here : parent;
    }

    /** The java binary of this JVM: the JDK the build found (>= 21). */
    public static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** Defaults: 3 nodes, 300 ms election timeout, 90 s to start, 10 s grace to stop, 384 MB heaps. */
    public static final class Builder {
        private int nodes = 3;
        private Path jar = defaultJar();
        private Path java = defaultJava();
        private final Path runDir;
        private Duration electionTimeout = Duration.ofMillis(300);
        private List<String> nodeArgs = List.of();
        private List<String> gatewayArgs = List.of();
        private Duration startTimeout = Duration.ofSeconds(90);
        private Duration stopGrace = Duration.ofSeconds(10);
        private int heapMb = 384;

        private Builder(Path runDir) {
            this.runDir = runDir.toAbsolutePath();
        }

        public Builder nodes(int n) { this.nodes = n; return this; }
        public Builder jar(Path p) { this.jar = p.toAbsolutePath(); return this; }
        public Builder java(Path p) { this.java = p; return this; }
        public Builder electionTimeout(Duration d) { this.electionTimeout = d; return this; }
        public Builder nodeArgs(List<String> args) { this.nodeArgs = args; return this; }
        public Builder gatewayArgs(List<String> args) { this.gatewayArgs = args; return this; }
        public Builder startTimeout(Duration d) { this.startTimeout = d; return this; }
        public Builder stopGrace(Duration d) { this.stopGrace = d; return this; }
        public Builder heapMb(int mb) { this.heapMb = mb; return this; }

        public ClusterOptions build() {
            return new ClusterOptions(nodes, jar, java, runDir, electionTimeout, nodeArgs, gatewayArgs,
                startTimeout, stopGrace, heapMb);
        }
    }
}
