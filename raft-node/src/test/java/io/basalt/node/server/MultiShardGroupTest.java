package io.basalt.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.engine.Keyspace;
import io.basalt.node.snapshot.SnapshotStore;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.client.RoutingConfig;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process nodes hosting three shards of two replicas each (a: shards 0 and 2, b: 0 and
 * 1, c: 1 and 2): every shard applies its own commands, refuses keys of slots it does not own,
 * and keeps the slots it was given or lost by log entries across a snapshot and a restart.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiShardGroupTest {

    /**
     * A shard refuses a key of a slot it does not own with -BASALTMOVED; the routing client, asked
     * to run the command on that shard, does not re-route it and reports the refusal as the
     * gateway would to a client outside cluster mode.
     */
    private static final String REFUSED = "-CLUSTERDOWN The cluster is down\r\n";


    private static final List<String> IDS = List.of("a", "b", "c");
    private static final StorageOptions STORAGE = StorageOptions.DEFAULT.withSnapshotEveryEntries(5)
        .withLogSegmentBytes(64 * 1024);
    /** "foo" hashes to 12182: shard 2's range [10922, 16383]. */
    private static final int FOO = HashSlot.of("foo".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path data;

    private final List<RaftNode> nodes = new ArrayList<>();
    private StaticTopology topology;
    private RoutingClient router;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        topology = StaticTopology.parse(FreePorts.peers(IDS.toArray(String[]::new)), 3, 2);
        for (String id : IDS) {
            nodes.add(startNode(id));
        }
        router = new RoutingClient(topology.slotMap(), RoutingConfig.DEFAULT);
        awaitLeaders();
    }

    /** Every shard has elected a leader (on a loaded machine six groups take a while). */
    private void awaitLeaders() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int shard = 0; shard < 3; shard++) {
            while (!hasLeader(shard)) {
                assertTrue(System.nanoTime() < deadline, "shard " + shard + " elected no leader");
                Thread.sleep(50); // polling interval; the condition is the synchronization
            }
        }
    }

    private boolean hasLeader(int shard) {
        for (RaftNode node : nodes) {
            try {
                if (node.stateMachine(group(shard)) != null
                    && node.server().getDivision(group(shard)).getInfo().isLeaderReady()) {
                    return true;
                }
            } catch (IOException e) {
                // not (yet) a member here
            }
        }
        return false;
    }

    private RaftNode startNode(String id) throws IOException {
        RaftNode node = new RaftNode(new NodeConfig(id, topology, data.resolve(id), RaftTimeouts.DEFAULT, STORAGE),
            Keyspace::new);
        node.start();
        return node;
    }

    @AfterEach
    void stop() throws IOException {
        if (router != null) {
            router.close();
        }
        for (RaftNode node : nodes) {
            node.close();
        }
    }

    @Test
    void eachShardAppliesItsOwnKeysAndRefusesOthers() throws Exception {
        assertEquals(Set.of(group(0), group(2)), groupsOf(0));
        assertEquals(Set.of(group(0), group(1)), groupsOf(1));
        assertEquals(Set.of(group(1), group(2)), groupsOf(2));
        assertEquals(2, nodes.get(0).stateMachine(group(2)).shardIndex());

        int n = 90;
        List<CompletableFuture<byte[]>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sets.add(router.execute(spec("SET"), argv("SET", "key:" + i, "v" + i), i));
        }
        for (CompletableFuture<byte[]> s : sets) {
            assertEquals("+OK\r\n", text(s.get(60, TimeUnit.SECONDS)));
        }
        long total = 0;
        for (int shard = 0; shard < 3; shard++) {
            String dbsize = text(onShard(shard, false, "DBSIZE"));
            long keys = Long.parseLong(dbsize.substring(1).trim());
            assertTrue(keys > 0, "shard " + shard + " holds some of the keys: " + dbsize);
            total += keys;
            assertEquals("*2\r\n:" + topology.firstSlot(shard) + "\r\n:" + topology.lastSlot(shard) + "\r\n",
                text(onShard(shard, false, "basalt.slots")));
        }
        assertEquals(n, total);
        for (int i = 0; i < n; i++) {
            assertEquals("$" + ("v" + i).length() + "\r\n" + "v" + i + "\r\n", text(run("GET", "key:" + i)));
        }

        assertEquals(12182, FOO);
        assertEquals(REFUSED, text(onShard(0, true, "SET", "foo", "x")));
        assertEquals(REFUSED, text(onShard(1, false, "GET", "foo")));
        assertEquals("+OK\r\n", text(onShard(2, true, "SET", "foo", "x")));
        // keyless commands run on any shard
        assertTrue(text(onShard(1, false, "DBSIZE")).startsWith(":"));
    }

    @Test
    void ownAndDisownEntriesMoveASlotAndSurviveASnapshotAndARestart() throws Exception {
        assertEquals(":1\r\n", text(onShard(2, true, "basalt.slots.disown", Integer.toString(FOO))));
        assertEquals(":1\r\n", text(onShard(1, true, "basalt.slots.own", Integer.toString(FOO))));
        assertEquals(REFUSED, text(onShard(2, true, "SET", "foo", "x")));
        assertEquals("+OK\r\n", text(onShard(1, true, "SET", "foo", "moved")));
        long changedAt = Math.max(appliedIndex(1), appliedIndex(2));

        // enough entries on shards 1 and 2 for a snapshot past the change on every replica: a
        // restart loads it and replays only the entries after it, so the ownership it shows can
        // only come from the snapshot
        for (int round = 0; !snapshottedPast(changedAt); round++) {
            assertTrue(round < 200, "snapshots past index " + changedAt);
            assertEquals("+OK\r\n", text(onShard(1, true, "SET", "foo", "moved")));
            assertEquals("+OK\r\n", text(onShard(2, true, "SET", "{a}" + round, "x")));
        }

        for (RaftNode node : nodes) {
            node.close();
        }
        for (int i = 0; i < IDS.size(); i++) {
            nodes.set(i, startNode(IDS.get(i)));
        }
        awaitLeaders();
        for (int node = 0; node < 3; node++) {
            for (int shard = 1; shard <= 2; shard++) {
                ShardStateMachine sm = nodes.get(node).stateMachine(group(shard));
                if (sm != null) {
                    assertTrue(sm.latestSnapshot().index() > changedAt, "node " + IDS.get(node) + " loaded a snapshot");
                }
            }
        }
        String expected1 = "*4\r\n:5461\r\n:10921\r\n:12182\r\n:12182\r\n";
        String expected2 = "*4\r\n:10922\r\n:12181\r\n:12183\r\n:16383\r\n";
        assertEquals(expected1, readOnceALeaderServes(1, "basalt.slots"));
        assertEquals(expected2, readOnceALeaderServes(2, "basalt.slots"));
        for (int node = 0; node < 3; node++) {
            for (int shard = 1; shard <= 2; shard++) {
                ShardStateMachine sm = nodes.get(node).stateMachine(group(shard));
                if (sm != null) {
                    java.util.BitSet owned = sm.ownedSlots();
                    assertEquals(shard == 1, owned.get(FOO), "node " + IDS.get(node) + " shard " + shard);
                }
            }
        }
        assertEquals("$5\r\nmoved\r\n", text(onShard(1, false, "GET", "foo")));
        assertEquals(REFUSED, text(onShard(2, false, "GET", "foo")));
        // and back
        assertEquals(":1\r\n", text(onShard(1, true, "basalt.slots.disown", "12182")));
        assertEquals(":1\r\n", text(onShard(2, true, "basalt.slots.own", "12182")));
        assertEquals(REFUSED, text(onShard(1, false, "GET", "foo")));
        assertEquals("$-1\r\n", text(onShard(2, false, "GET", "foo")));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private boolean snapshottedPast(long index) {
        for (int node = 0; node < 3; node++) {
            for (int shard = 1; shard <= 2; shard++) {
                ShardStateMachine sm = nodes.get(node).stateMachine(group(shard));
                if (sm == null) {
                    continue; // not a replica of this shard
                }
                SnapshotStore.Snapshot s = sm.latestSnapshot();
                if (s == null || s.index() <= index) {
                    return false;
                }
            }
        }
        return true;
    }

    private long appliedIndex(int shard) {
        long max = 0;
        for (RaftNode node : nodes) {
            ShardStateMachine sm = node.stateMachine(group(shard));
            if (sm != null && sm.getLastAppliedTermIndex() != null) {
                max = Math.max(max, sm.getLastAppliedTermIndex().getIndex());
            }
        }
        return max;
    }

    private Set<RaftGroupId> groupsOf(int node) {
        Set<RaftGroupId> out = new HashSet<>();
        nodes.get(node).server().getGroupIds().forEach(out::add);
        return out;
    }

    private static RaftGroupId group(int shard) {
        return RaftGroupId.valueOf(StaticTopology.groupIdOf(shard));
    }

    private byte[] onShard(int shard, boolean write, String... args) throws Exception {
        ShardInfo info = topology.shards().get(shard);
        return router.execute(info, write, spec(args[0]), argv(args), 0).get(60, TimeUnit.SECONDS);
    }

    private byte[] run(String... args) throws Exception {
        return router.execute(spec(args[0]), argv(args), 0).get(60, TimeUnit.SECONDS);
    }

    /** A read after a restart: retried while the group has no leader yet. */
    private String readOnceALeaderServes(int shard, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String reply;
        while ((reply = text(onShard(shard, false, args))).startsWith("-CLUSTERDOWN")) {
            assertTrue(System.nanoTime() < deadline, "no leader after the restart: " + reply);
        }
        return reply;
    }

    private static CommandSpec spec(String name) {
        return CommandTable.standard().lookup(name);
    }

    private static List<byte[]> argv(String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return argv;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
