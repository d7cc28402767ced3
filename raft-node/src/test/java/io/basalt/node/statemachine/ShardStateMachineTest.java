package io.basalt.node.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.basalt.node.engine.Keyspace;
import io.basalt.node.server.NodeClock;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.proto.internal.ExpireKeys;
import io.basalt.proto.internal.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;

/**
 * The Ratis adapter fed log entries the way Ratis hands them to a follower: what it applies,
 * with what time, and what it refuses to apply twice. (Entries through a real Raft group:
 * ShardGroupTest.)
 */
class ShardStateMachineTest {

    private final ShardStateMachine sm = new ShardStateMachine(new Keyspace(), new NodeClock());
    private long index;

    private static final org.apache.ratis.thirdparty.com.google.protobuf.ByteString CLIENT_A =
        org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFromUtf8("client-a-0123456");

    private static Command command(String... args) {
        Command.Builder b = Command.newBuilder();
        for (String a : args) {
            b.addArgs(ByteString.copyFromUtf8(a));
        }
        return b.build();
    }

    private static LogEntry batch(long timeMs, Command... commands) {
        return LogEntry.newBuilder().setLeaderTimeMs(timeMs).setBatch(CommandBatch.newBuilder().addAllCommands(List.of(commands))).build();
    }

    /** Applies an entry as the given client's call and returns the replies as text. */
    private List<String> apply(LogEntry entry, long callId) throws Exception {
        return apply(sm, entry, callId);
    }

    private List<String> apply(ShardStateMachine target, LogEntry entry, long callId) throws Exception {
        LogEntryProto proto = LogEntryProto.newBuilder().setTerm(1).setIndex(++index)
            .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
                .setClientId(CLIENT_A).setCallId(callId)
                .setLogData(UnsafeByteOperations.unsafeWrap(entry.toByteArray())))
            .build();
        TransactionContext trx = TransactionContext.newBuilder().setServerRole(RaftPeerRole.FOLLOWER)
            .setStateMachine(target).setLogEntry(proto).build();
        Message reply = target.applyTransaction(trx).get();
        List<String> out = new ArrayList<>();
        for (ByteString r : BatchReply.parseFrom(reply.getContent().toByteArray()).getRepliesList()) {
            out.add(r.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void appliesEveryCommandOfABatchInOrderWithItsOwnReply() throws Exception {
        List<String> replies = apply(batch(1_000, command("SET", "k", "1"), command("INCR", "k"), command("GET", "k"),
            command("NOSUCH")), 1);
        assertEquals("+OK\r\n", replies.get(0));
        assertEquals(":2\r\n", replies.get(1));
        assertEquals("$1\r\n2\r\n", replies.get(2));
        assertTrue(replies.get(3).startsWith("-ERR unknown command"), replies.get(3));
        assertEquals(index, sm.getLastAppliedTermIndex().getIndex());
    }

    @Test
    void aRepeatedCallIsAnsweredButNotAppliedAgain() throws Exception {
        LogEntry incr = batch(1_000, command("INCR", "counter"));
        assertEquals(List.of(":1\r\n"), apply(incr, 7));
        // the same call appended a second time (a retry that reached a new leader)
        assertEquals(List.of(":1\r\n"), apply(incr, 7), "the first execution's reply");
        assertEquals(List.of(":2\r\n"), apply(incr, 8), "a new call executes");
        assertEquals(List.of("$1\r\n2\r\n"), apply(batch(1_000, command("GET", "counter")), 9));
    }

    @Test
    void engineTimeNeverRunsBackwards() throws Exception {
        apply(batch(10_000, command("SET", "k", "v", "PX", "10000")), 1); // expires at 20,000
        assertEquals(List.of(":5000\r\n"), apply(batch(15_000, command("PTTL", "k")), 2));
        // an entry stamped earlier (a new leader whose clock is behind) runs at 15,000, not 5,000
        assertEquals(List.of(":5000\r\n"), apply(batch(5_000, command("PTTL", "k")), 3));
        assertEquals(15_000, sm.appliedTimeMs());
    }

    @Test
    void expiryEntryDeletesOnlyKeysStillExpired() throws Exception {
        apply(batch(1_000, command("SET", "gone", "v", "PX", "10"), command("SET", "kept", "v", "PX", "10")), 1);
        // "kept" is rewritten without expiry after the leader proposed it
        apply(batch(2_000, command("SET", "kept", "again")), 2);
        LogEntry expire = LogEntry.newBuilder().setLeaderTimeMs(3_000).setExpire(ExpireKeys.newBuilder()
            .addKeys(ByteString.copyFromUtf8("gone")).addKeys(ByteString.copyFromUtf8("kept"))).build();
        apply(expire, 3);
        assertEquals(List.of(":1\r\n"), apply(batch(3_000, command("DBSIZE")), 4));
        assertEquals(List.of("$5\r\nagain\r\n"), apply(batch(3_000, command("GET", "kept")), 5));
    }

    private java.util.concurrent.CompletableFuture<String> query(Command command) {
        Message request = Message.valueOf(UnsafeByteOperations.unsafeWrap(
            CommandBatch.newBuilder().addCommands(command).build().toByteArray()));
        return sm.query(request).thenApply(m -> {
            try {
                return BatchReply.parseFrom(m.getContent().toByteArray()).getReplies(0).toString(StandardCharsets.UTF_8);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void awaitIsHeldUntilAnEntryServesTheWaiter() throws Exception {
        long now = System.currentTimeMillis(); // the poll checks the lease against this node's clock
        String blocked = apply(batch(now, command("BLPOP", "k", "0")), 1).get(0);
        assertTrue(blocked.startsWith("-BASALTBLOCKED "), blocked);
        String token = blocked.split(" ")[1];
        java.util.concurrent.CompletableFuture<String> poll = query(command("basalt.await", "k", token));
        assertTrue(!poll.isDone() || poll.get().equals("-BASALTWAIT\r\n"), "held, or answered after its second");
        apply(batch(now, command("RPUSH", "k", "v")), 2);
        if (poll.isDone()) { // a very slow machine: the first poll timed out; the next one sees the serve
            poll = query(command("basalt.await", "k", token));
        }
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", poll.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", query(command("basalt.await", "k", token)).get(), "answered at once now");
    }

    @Test
    void awaitAnswersStillWaitingWhenNothingHappens() throws Exception {
        long now = System.currentTimeMillis();
        String token = apply(batch(now, command("BZPOPMIN", "z", "0")), 1).get(0).split(" ")[1];
        assertEquals("-BASALTWAIT\r\n", query(command("basalt.await", "z", token)).get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("-BASALTGONE\r\n", query(command("basalt.await", "z", "12345")).get(), "no such waiter: at once");
    }

    @Test
    void leaderTimeFieldAppendedToTheClientMessageWinsOverOneTheClientSet() throws Exception {
        LogEntry fromClient = batch(999_999_999, command("SET", "k", "v"));
        byte[] stored = fromClient.toByteString().concat(
            ByteString.copyFrom(ShardStateMachine.encodeLeaderTime(42).toByteArray())).toByteArray();
        assertEquals(42, LogEntry.parseFrom(stored).getLeaderTimeMs());
    }

    /** Memory mode: no snapshot is ever taken (not even after many entries), reported, or saved on demand. */
    @Test
    void withoutSnapshotsNothingIsTakenAndSaveIsRefused() throws Exception {
        ShardStateMachine memory = new ShardStateMachine(new Keyspace(), new NodeClock(), 1, false);
        for (int i = 0; i < 5; i++) {
            apply(memory, batch(1_000, command("SET", "k" + i, "v")), i + 1);
        }
        assertEquals(false, memory.snapshots().inProgress(), "the every-entry schedule is ignored");
        assertEquals(null, memory.getLatestSnapshot());
        assertEquals(null, memory.latestSnapshot());
        for (String c : List.of("BGSAVE", "SAVE")) {
            Message reply = memory.query(Message.valueOf(UnsafeByteOperations.unsafeWrap(
                CommandBatch.newBuilder().addCommands(command(c)).build().toByteArray()))).get();
            String text = BatchReply.parseFrom(reply.getContent().toByteArray()).getReplies(0)
                .toString(StandardCharsets.UTF_8);
            assertEquals("-" + PersistenceCommands.SNAPSHOTS_DISABLED + "\r\n", text, c);
        }
        assertEquals(List.of(":5\r\n"), apply(memory, batch(1_000, command("DBSIZE")), 6), "data applied as usual");
    }
}
