package io.basalt.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.engine.Keyspace;
import io.basalt.node.snapshot.SnapshotStore;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.client.RoutingConfig;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots in a real three-replica group (Ratis servers on loopback, RocksDB files on disk):
 * the log stops growing, a restart loads the newest snapshot and replays only the rest, a
 * follower that missed purged entries catches up by snapshot install, and a corrupt snapshot is
 * refused in favour of the older one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SnapshotGroupTest {

    private static final RaftGroupId GROUP = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));
    private static final String VALUE = "v".repeat(1000);
    private static final StorageOptions STORAGE = StorageOptions.DEFAULT.withSnapshotEveryEntries(20)
        .withLogSegmentBytes(64 * 1024);

    @TempDir
    Path data;

    private final List<RaftNode> nodes = new ArrayList<>(List.of());
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
        RaftNode node = new RaftNode(new NodeConfig(id, topology, data.resolve(id), RaftTimeouts.DEFAULT, STORAGE),
            Keyspace::new);
        node.start();
        return node;
    }

    @AfterEach
    void stopGroup() throws IOException {
        if (router != null) {
            router.close();
        }
        for (RaftNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void logStopsGrowingAndARestartLoadsTheSnapshotAndReplaysTheRest() throws Exception {
        long written = 0;
        List<Long> logSizes = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            written += writeKeys(round, 600);
            waitFor(() -> snapshotIndex(0) > 0 && snapshotIndex(1) > 0 && snapshotIndex(2) > 0, "snapshots on every node");
            logSizes.add(logBytes("a"));
        }
        System.out.printf("SnapshotGroupTest: %d bytes of values written, log of node a after each round: %s%n",
            written, logSizes);
        long lastLog = logSizes.get(logSizes.size() - 1);
        assertTrue(lastLog < written / 4, "the log is purged: " + lastLog + " bytes on disk after " + written + " written");

        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).close();
        }
        long snapshotAtStop = snapshotIndex(0);
        for (int i = 0; i < nodes.size(); i++) {
            nodes.set(i, startNode(List.of("a", "b", "c").get(i)));
        }
        ShardStateMachine restarted = stateMachine(0);
        assertTrue(restarted.latestSnapshot().index() >= snapshotAtStop, "loaded the newest snapshot");
        assertEquals("$" + VALUE.length() + "\r\n" + VALUE + "\r\n", readOnceALeaderServes("GET", "key:5:17"));
        assertEquals(":3600\r\n", text(run("DBSIZE")));
    }

    @Test
    void aFollowerThatMissedPurgedEntriesCatchesUpBySnapshotInstall() throws Exception {
        writeKeys(0, 100);
        nodes.get(2).close();
        nodes.set(2, null);
        writeKeys(1, 1500);
        waitFor(() -> {
            try {
                return nodes.get(0).server().getDivision(GROUP).getRaftLog().getStartIndex() > 100;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "node a purged entries that node c missed");
        nodes.set(2, startNode("c"));
        waitFor(() -> stateMachine(2).latestSnapshot() != null && stateMachine(2).getLastAppliedTermIndex() != null
            && stateMachine(2).getLastAppliedTermIndex().getIndex() >= stateMachine(0).getLastAppliedTermIndex().getIndex(),
            "node c caught up");
        assertEquals("$" + VALUE.length() + "\r\n" + VALUE + "\r\n", localRead(2, "GET", "key:1:1499"));
        transferLeadership("c");
        assertEquals("$" + VALUE.length() + "\r\n" + VALUE + "\r\n", text(run("GET", "key:1:1234")));
        assertEquals(":1600\r\n", text(run("DBSIZE")));
    }

    @Test
    void aCorruptNewestSnapshotIsRefusedAndTheOlderOneUsed() throws Exception {
        writeKeys(0, 1200);
        waitFor(() -> {
            try {
                return stateMachine(0).getStateMachineStorage().purgeSafeIndex() > 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "two snapshots on node a");
        nodes.get(0).close();
        // the newest on disk once the node is down (a snapshot may have been in flight before)
        SnapshotStore.Snapshot newest = newestOnDisk("a");
        Path sst;
        try (Stream<Path> files = Files.walk(newest.dir())) {
            sst = files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(sst.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x5a);
        }
        nodes.set(0, startNode("a"));
        SnapshotStore.Snapshot used = stateMachine(0).latestSnapshot();
        assertNotNull(used);
        assertTrue(used.index() < newest.index(), "fell back from " + newest.index() + " to " + used.index());
        assertTrue(Files.isDirectory(newest.dir().resolveSibling(newest.dir().getFileName() + ".corrupt")),
            "the corrupt snapshot is set aside");
        assertFalse(Files.exists(newest.dir()));
        waitFor(() -> stateMachine(0).getLastAppliedTermIndex().getIndex()
            >= stateMachine(1).getLastAppliedTermIndex().getIndex(), "node a replayed the log after the older snapshot");
        assertEquals("$" + VALUE.length() + "\r\n" + VALUE + "\r\n", localRead(0, "GET", "key:0:1199"));
        assertEquals(":1200\r\n", localRead(0, "DBSIZE"));
    }

    @Test
    void aBackupReadsItsPinnedSnapshotPageByPageWhileWritesGoOnAndIsForgottenWhenClosed() throws Exception {
        writeKeys(0, 100);
        String[] openReply = new String[1];
        waitFor(() -> {
            try {
                openReply[0] = text(run("basalt.backup.open"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return !openReply[0].startsWith("-TRYAGAIN "); // a snapshot was being written: ask again
        }, "a backup opened");
        String opened = openReply[0];
        java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("\\*4\r\n\\$\\d+\r\n(\\d+_(\\d+)\\.\\d+)\r\n:100\r\n:\\d+\r\n:(\\d+)\r\n").matcher(opened);
        assertTrue(m.matches(), opened);
        String id = m.group(1);
        long index = Long.parseLong(m.group(3));
        // snapshots every 20 entries go on and retention keeps 2: the pinned one must stay
        for (int round = 1; snapshotIndex(0) < index + 60 || snapshotIndex(1) < index + 60 || snapshotIndex(2) < index + 60;
             round++) {
            assertTrue(round < 100, "snapshots at " + snapshotIndex(0) + " after " + round + " rounds");
            writeKeys(round, 20);
        }
        String pinned = "snapshot." + id.substring(0, id.indexOf('.'));
        assertTrue(List.of("a", "b", "c").stream().anyMatch(node -> Files.isDirectory(
            data.resolve(node).resolve(GROUP.getUuid().toString()).resolve("sm").resolve(pinned))), "kept: " + pinned);
        List<String> keys = new ArrayList<>();
        byte[] after = new byte[0];
        for (boolean more = true; more; ) {
            byte[] reply = router.execute(spec("basalt.backup.read"),
                List.of(bytes("basalt.backup.read"), bytes(id), after, bytes("5000")), 0).get(30, TimeUnit.SECONDS);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(reply);
            String header = line(in);
            assertTrue(header.startsWith("*"), text(reply));
            int n = Integer.parseInt(header.substring(1));
            more = line(in).equals(":1");
            // records of ~1030 bytes: 4 fit in 5000 bytes, a fifth would not; the last page may hold fewer
            assertTrue(more ? n == 9 : n >= 3 && n <= 9, "a page of " + (n - 1) / 2 + " records");
            for (int i = 1; i < n; i += 2) {
                after = bulk(in);
                keys.add(new String(after, 2, after.length - 2, StandardCharsets.UTF_8));
                assertTrue(bulk(in).length > VALUE.length());
            }
        }
        assertEquals(100, keys.size());
        assertEquals(100, new java.util.HashSet<>(keys).size());
        assertTrue(keys.stream().allMatch(k -> k.startsWith("key:0:")), keys.toString());
        assertEquals(":1\r\n", text(run("basalt.backup.close", id)));
        assertEquals(":0\r\n", text(run("basalt.backup.close", id)));
        assertTrue(text(run("basalt.backup.read", id, "", "100")).startsWith("-ERR unknown backup id"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String line(java.nio.ByteBuffer in) {
        StringBuilder b = new StringBuilder();
        for (char c; (c = (char) in.get()) != '\r'; ) {
            b.append(c);
        }
        in.get();
        return b.toString();
    }

    private static byte[] bulk(java.nio.ByteBuffer in) {
        String header = line(in);
        byte[] b = new byte[Integer.parseInt(header.substring(1))];
        in.get(b);
        in.get();
        in.get();
        return b;
    }

    /**
     * With every snapshot refused and the log purged, there is nothing to replay from: the node
     * must refuse to start and say why, not wait forever for entries that are gone.
     */
    @Test
    void aNodeWithNoUsableSnapshotAndAPurgedLogRefusesToStart() throws Exception {
        writeKeys(0, 1200);
        waitFor(() -> {
            try {
                return stateMachine(0).getStateMachineStorage().purgeSafeIndex() > 0
                    && nodes.get(0).server().getDivision(GROUP).getRaftLog().getStartIndex() > 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "two snapshots and a purged log on node a");
        nodes.get(0).close();
        Path sm = data.resolve("a").resolve(GROUP.getUuid().toString()).resolve("sm");
        try (Stream<Path> dirs = Files.list(sm)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Files.deleteIfExists(d.resolve("MANIFEST.basalt"));
            }
        }
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> nodes.set(0, startNode("a")));
        Throwable cause = refused;
        while (cause.getCause() != null && (cause.getMessage() == null || !cause.getMessage().contains("cannot start group"))) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("its log was purged up to index"), refused.toString());
        nodes.set(0, null);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Writes n keys "key:round:i" of 1000 bytes, 50 at a time; returns bytes of values written. */
    private long writeKeys(int round, int n) throws Exception {
        for (int from = 0; from < n; from += 50) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 50); i++) {
                replies.add(router.execute(spec("SET"), argv("SET", "key:" + round + ":" + i, VALUE), i));
            }
            for (CompletableFuture<byte[]> r : replies) {
                assertEquals("+OK\r\n", text(r.get(30, TimeUnit.SECONDS)));
            }
        }
        return (long) n * VALUE.length();
    }

    /** A read after a restart: retried while the group has no leader yet. */
    private String readOnceALeaderServes(String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String reply;
        while ((reply = text(run(args))).startsWith("-CLUSTERDOWN")) {
            assertTrue(System.nanoTime() < deadline, "no leader after the restart: " + reply);
        }
        return reply;
    }

    private byte[] run(String... args) throws Exception {
        return router.execute(spec(args[0]), argv(args), 0).get(30, TimeUnit.SECONDS);
    }

    /** A read on one replica's state machine directly, without ReadIndex: what that replica holds. */
    private String localRead(int node, String... args) throws Exception {
        Command.Builder c = Command.newBuilder();
        for (String a : args) {
            c.addArgs(com.google.protobuf.ByteString.copyFromUtf8(a));
        }
        CommandBatch batch = CommandBatch.newBuilder().addCommands(c).build();
        // queryStale: this replica's own state (query() would confirm leadership or refuse on a follower)
        Message reply = stateMachine(node).queryStale(Message.valueOf(ByteString.copyFrom(batch.toByteArray())), 0)
            .get(30, TimeUnit.SECONDS);
        return BatchReply.parseFrom(reply.getContent().toByteArray()).getReplies(0).toStringUtf8();
    }

    private ShardStateMachine stateMachine(int node) {
        return nodes.get(node).stateMachine(GROUP);
    }

    private long snapshotIndex(int node) {
        SnapshotStore.Snapshot s = stateMachine(node).latestSnapshot();
        return s == null ? 0 : s.index();
    }

    private SnapshotStore.Snapshot newestOnDisk(String node) throws IOException {
        Path sm = data.resolve(node).resolve(GROUP.getUuid().toString()).resolve("sm");
        try (Stream<Path> dirs = Files.list(sm)) {
            return dirs.map(p -> p.getFileName().toString())
                .filter(n -> n.matches("snapshot\\.\\d+_\\d+"))
                .map(n -> new SnapshotStore.Snapshot(sm.resolve(n), Long.parseLong(n.substring(9, n.indexOf('_'))),
                    Long.parseLong(n.substring(n.indexOf('_') + 1))))
                .max(java.util.Comparator.comparingLong(SnapshotStore.Snapshot::index))
                .orElseThrow();
        }
    }

    /** Bytes of a node's Raft log; measured again when a purge removes a file mid-walk. */
    private long logBytes(String node) throws IOException {
        Path dir = data.resolve(node).resolve(GROUP.getUuid().toString()).resolve("current");
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (java.io.UncheckedIOException purgedMidWalk) {
                if (attempt == 10) {
                    throw purgedMidWalk;
                }
            }
        }
    }

    private void transferLeadership(String to) throws Exception {
        waitFor(() -> {
            for (RaftNode n : nodes) {
                try {
                    if (n.server().getDivision(GROUP).getInfo().isLeader()) {
                        if (n == nodes.get(List.of("a", "b", "c").indexOf(to))) {
                            return true;
                        }
                        try (RaftClient admin = RaftClient.newBuilder().setProperties(new RaftProperties())
                                .setRaftGroup(n.server().getDivision(GROUP).getGroup()).build()) {
                            admin.admin().transferLeadership(RaftPeerId.valueOf(to), 5000);
                        }
                    }
                } catch (IOException e) {
                    // an election in progress; try again
                }
            }
            return false;
        }, "leadership moved to " + to);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50); // polling interval
        }
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

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8);
    }
}
