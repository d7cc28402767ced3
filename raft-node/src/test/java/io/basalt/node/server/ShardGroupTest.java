package io.basalt.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.engine.Keyspace;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.client.RoutingConfig;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One shard group of three real Ratis servers on loopback sockets, in this JVM, driven through
 * the gateway's routing client: writes, batching, linearizable reads and apply order. (The
 * process-level tests, with kills and restarts, are the cli module's integration tests.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ShardGroupTest {

    @TempDir
    Path data;

    private final List<RaftNode> nodes = new ArrayList<>();
    private StaticTopology topology;
    private RoutingClient router;

    @BeforeEach
    void startGroup() throws IOException {
        String peers = FreePorts.peers("a", "b", "c");
        topology = StaticTopology.parse(peers, 1);
        for (String id : List.of("a", "b", "c")) {
            nodes.add(startNode(id));
        }
        router = new RoutingClient(topology.slotMap(), RoutingConfig.DEFAULT);
    }

    private RaftNode startNode(String id) throws IOException {
        RaftNode node = new RaftNode(new NodeConfig(id, topology, data.resolve(id), RaftTimeouts.DEFAULT), Keyspace::new);
        node.start();
        return node;
    }

    @AfterEach
    void stopGroup() throws IOException {
        if (router != null) {
            router.close();
        }
        for (RaftNode node : nodes) {
            node.close();
        }
    }

    @Test
    void concurrentIncrementsAreEachAppliedOnce() throws Exception {
        int clients = 50;
        int perClient = 40;
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < perClient; i++) {
            for (int c = 0; c < clients; c++) {
                replies.add(run(c, "INCR", "counter"));
            }
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<byte[]> r : replies) {
            assertTrue(text(r.get()).startsWith(":"), "INCR reply " + text(r.get()));
        }
        assertEquals("$4\r\n2000\r\n", text(run(0, "GET", "counter").get(30, TimeUnit.SECONDS)));
        assertTrue(router.averageBatchSize() > 1.5, "commands were batched: " + router.averageBatchSize());
    }

    @Test
    void oneConnectionsWritesApplyInOrder() throws Exception {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            replies.add(run(7, "SET", "k", Integer.toString(i)));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEquals("$3\r\n499\r\n", text(run(7, "GET", "k").get(30, TimeUnit.SECONDS)));
    }

    @Test
    void firstWritesOfEveryPoolClientFindALeaderThatIsNotTheFirstPeer() throws Exception {
        moveLeadershipOffFirstPeer();
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (int affinity = 0; affinity < 8; affinity++) {
                replies.add(run(affinity, "INCR", "c" + affinity));
            }
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int affinity = 0; affinity < 8; affinity++) {
            assertEquals("$2\r\n50\r\n", text(run(affinity, "GET", "c" + affinity).get(30, TimeUnit.SECONDS)));
        }
    }

    /**
     * After a write gives up (no majority for longer than the write timeout), Ratis fails the
     * Ratis client's ordered window for good; the gateway must replace that client, or every
     * later write on it fails at once.
     */
    @Test
    void writesRecoverAfterAnOutageLongerThanTheWriteTimeout() throws Exception {
        RoutingConfig d = RoutingConfig.DEFAULT;
        router.close();
        router = new RoutingClient(topology.slotMap(), new RoutingConfig(1, d.inFlightBatchesMax(), d.batchCommandsMax(),
            d.batchBytesMax(), d.commandBytesMax(), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2),
            d.retrySleep()));
        // the group may still be electing its first leader, which a loaded machine makes slower
        // than the 2 s write timeout: retry until the first write lands
        awaitOk("before");
        nodes.get(1).close();
        nodes.get(2).close();
        String during = text(run(0, "SET", "k", "during").get(30, TimeUnit.SECONDS));
        assertTrue(during.startsWith("-UNCERTAIN"), "a write without a majority: " + during);
        nodes.set(1, startNode("b"));
        nodes.set(2, startNode("c"));
        awaitOk("after");
        assertEquals("$5\r\nafter\r\n", text(run(0, "GET", "k").get(30, TimeUnit.SECONDS)));
    }

    private void awaitOk(String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String reply;
        do {
            reply = text(run(0, "SET", "k", value).get(30, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() < deadline, "writes never succeeded: " + reply);
        } while (!reply.equals("+OK\r\n"));
    }

    private void moveLeadershipOffFirstPeer() throws Exception {
        RaftGroupId groupId = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            RaftNode leader = null;
            for (RaftNode n : nodes) {
                if (n.server().getDivision(groupId).getInfo().isLeader()) {
                    leader = n;
                }
            }
            if (leader != null && leader != nodes.get(0)) {
                return;
            }
            if (leader != null) {
                try (RaftClient admin = RaftClient.newBuilder().setProperties(new RaftProperties())
                        .setRaftGroup(leader.server().getDivision(groupId).getGroup()).build()) {
                    admin.admin().transferLeadership(RaftPeerId.valueOf("b"), 5000);
                }
            }
            assertTrue(System.nanoTime() < deadline, "no leader other than the first peer");
            Thread.sleep(50); // polling interval while an election completes
        }
    }

    private CompletableFuture<byte[]> run(int affinity, String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        CommandSpec spec = CommandTable.standard().lookup(args[0]);
        return router.execute(spec, argv, affinity);
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8);
    }
}
