package io.basalt.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.basalt.node.engine.Keyspace;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.proto.internal.LogEntry;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease fast path ({@code NodeOptions.readLease}) on three real Ratis servers in this JVM:
 * reads served without rounds while heartbeats flow, none once the followers are gone, none under
 * the old leader's lease after a leadership transfer. Nothing here asserts timing: each waits for
 * a condition with a deadline.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReadLeaseGroupTest {

    private static final NodeOptions LEASE = NodeOptions.DEFAULT.withReadLease(true);

    @TempDir
    Path data;

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final List<RaftClient> clients = new ArrayList<>();
    private RaftGroup group;

    private void startGroup(String... ids) throws IOException {
        StaticTopology topology = StaticTopology.parse(FreePorts.peers(ids), 1);
        group = RaftGroups.toRaftGroup(topology.shards().get(0));
        for (String id : ids) {
            RaftNode node = new RaftNode(new NodeConfig(id, topology, data.resolve(id), RaftTimeouts.DEFAULT), Keyspace::new, LEASE);
            node.start();
            nodes.put(id, node);
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (RaftClient c : clients) {
            c.close();
        }
        for (RaftNode n : nodes.values()) {
            n.close();
        }
    }

    private RaftClient client(boolean retry) {
        RaftClient c = RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(group)
            .setRetryPolicy(retry ? RetryPolicies.retryUpToMaximumCountWithFixedSleep(200, RaftGroups.millis(100))
                : RetryPolicies.noRetry())
            .build();
        clients.add(c);
        return c;
    }

    private static Message command(boolean asWrite, String... args) {
        Command.Builder c = Command.newBuilder();
        for (String a : args) {
            c.addArgs(ByteString.copyFromUtf8(a));
        }
        CommandBatch batch = CommandBatch.newBuilder().addCommands(c).build();
        byte[] bytes = asWrite ? LogEntry.newBuilder().setBatch(batch).build().toByteArray() : batch.toByteArray();
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }

    private static String reply(RaftClientReply r) throws IOException {
        assertTrue(r.isSuccess(), "reply " + r);
        return BatchReply.parseFrom(r.getMessage().getContent().asReadOnlyByteBuffer()).getReplies(0).toString(StandardCharsets.UTF_8);
    }

    private ShardStateMachine sm(String id) {
        return nodes.get(id).stateMachine(group.getGroupId());
    }

    private String awaitLeader() throws Exception {
        String[] found = new String[1];
        await("a ready leader", () -> {
            for (Map.Entry<String, RaftNode> e : nodes.entrySet()) {
                try {
                    var info = e.getValue().server().getDivision(group.getGroupId()).getInfo();
                    if (info.isLeader() && info.isLeaderReady()) {
                        found[0] = e.getKey();
                        return true;
                    }
                } catch (IOException ignored) {
                    // not started yet
                }
            }
            return false;
        });
        return found[0];
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(10); // polling a condition with a deadline
        }
    }

    /** Reads k at {@code peer} until a run of 20 reads in a row was served under the lease alone. */
    private void awaitLeaseRun(RaftClient c, String peer, String expected) throws Exception {
        ShardStateMachine leader = sm(peer);
        await("20 reads in a row without a confirmation round", () -> {
            long rounds = leader.confirmationRounds();
            long leased = leader.leaseReadBatches();
            try {
                for (int i = 0; i < 20; i++) {
                    assertEquals(expected, reply(c.io().sendReadOnly(command(false, "GET", "k"), RaftPeerId.valueOf(peer))));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return leader.confirmationRounds() == rounds && leader.leaseReadBatches() == leased + 20;
        });
    }

    @Test
    void underSteadyHeartbeatsReadsNeedNoRound() throws Exception {
        startGroup("a", "b", "c");
        RaftClient c = client(true);
        assertTrue(c.io().send(command(true, "SET", "k", "v1")).isSuccess());
        String leader = awaitLeader();
        awaitLeaseRun(c, leader, "$2\r\nv1\r\n");
        assertTrue(sm(leader).leaseReadBatches() >= 20);
    }

    /** Without its followers the leader's lease runs out; from then on it answers no read. */
    @Test
    void aLeaderWithoutFollowersLosesItsLeaseAndAnswersNoRead() throws Exception {
        startGroup("a", "b", "c");
        RaftClient c = client(true);
        assertTrue(c.io().send(command(true, "SET", "k", "v")).isSuccess());
        String leader = awaitLeader();
        awaitLeaseRun(c, leader, "$1\r\nv\r\n");
        for (String id : new ArrayList<>(nodes.keySet())) {
            if (!id.equals(leader)) {
                nodes.remove(id).close();
            }
        }
        RaftClient once = client(false);
        // while the lease lasts, reads may still be served (with the only value there is);
        // once a read fails, the lease is gone for good: no acknowledgement can renew it
        await("a refused read", () -> !succeeds(once, leader));
        long leased = sm(leader).leaseReadBatches();
        for (int i = 0; i < 3; i++) {
            assertFalse(succeeds(once, leader), "a leader without a majority answered a read");
        }
        assertEquals(leased, sm(leader).leaseReadBatches(), "no read served under an expired lease");
    }

    private boolean succeeds(RaftClient c, String peer) {
        try {
            RaftClientReply r = c.io().sendReadOnly(command(false, "GET", "k"), RaftPeerId.valueOf(peer));
            if (r.isSuccess()) {
                assertEquals("$1\r\nv\r\n", reply(r));
            }
            return r.isSuccess();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Ratis disables the lease when a transfer starts; after it, the old leader serves nothing
     * under its own lease: it refuses reads (NotLeader), and the group's reads see the writes
     * made on the new leader.
     */
    @Test
    void afterALeadershipTransferTheOldLeaderServesNothingUnderItsLease() throws Exception {
        startGroup("a", "b", "c");
        RaftClient c = client(true);
        assertTrue(c.io().send(command(true, "SET", "k", "before")).isSuccess());
        String old = awaitLeader();
        awaitLeaseRun(c, old, "$6\r\nbefore\r\n");
        String target = nodes.keySet().stream().filter(id -> !id.equals(old)).findFirst().orElseThrow();
        long leasedBefore = sm(old).leaseReadBatches();
        RaftClientReply transferred = c.admin().transferLeadership(RaftPeerId.valueOf(target), 30_000);
        assertTrue(transferred.isSuccess(), "transfer " + transferred);
        assertTrue(c.io().send(command(true, "SET", "k", "after")).isSuccess());
        RaftClient once = client(false);
        for (int i = 0; i < 20; i++) {
            assertThrows(Exception.class, () -> reply(once.io().sendReadOnly(command(false, "GET", "k"), RaftPeerId.valueOf(old))));
            assertEquals("$5\r\nafter\r\n", reply(c.io().sendReadOnly(command(false, "GET", "k"))));
        }
        assertEquals(leasedBefore, sm(old).leaseReadBatches(), "the old leader served reads under its lease");
        assertFalse(nodes.get(old).server().getDivision(group.getGroupId()).getInfo().isLeader());
    }
}
