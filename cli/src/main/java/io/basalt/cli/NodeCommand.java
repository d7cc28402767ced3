package io.basalt.cli;

import io.basalt.node.engine.Keyspace;
import io.basalt.node.server.NodeConfig;
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

    @Option(names = "--id", required = true, description = "This node's peer id, one of the ids in --peers.")
    String id;

    @Option(names = "--peers", required = true, description = "Every node: id=host:port,id=host:port,... (Raft addresses).")
    String peers;

    @Option(names = "--data-dir", required = true, description = "Directory for this node's Raft log.")
    Path dataDir;

    @Option(names = "--shards", defaultValue = "1", description = "Number of shards (default ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--election-timeout-ms", defaultValue = "300",
        description = "Minimum Raft election timeout; the maximum is twice it (default ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @picocli.CommandLine.Mixin
    StorageArguments storage;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        NodeConfig config = new NodeConfig(id, StaticTopology.parse(peers, shards), dataDir,
            new RaftTimeouts(Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs)),
            storage.storageOptions());
        RaftNode node = new RaftNode(config, Keyspace::new);
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
        System.out.println("Basalt node " + id + " ready: raft " + config.raftAddress() + ", data " + dataDir.toAbsolutePath());
        stopped.await();
        return 0;
    }
}
