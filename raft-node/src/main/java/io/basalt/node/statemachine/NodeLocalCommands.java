package io.basalt.node.statemachine;

import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The node-local channel: commands sent to one named replica (a Ratis stale read aimed at that
 * server, never through the log or the leader) and answered by it about itself. Used by the
 * chaos harness and drills ({@code basalt.node.info}, {@code basalt.node.clock-offset}) and by
 * the replicas themselves ({@code basalt.node.term} for {@link LeadershipConfirmation}), and by
 * gateways serving READONLY connections from followers ({@code basalt.node.read-index} on the
 * leader, {@code basalt.node.applied-index}).
 *
 * <p>A batch on this channel holds exactly one command. Errors of the first two are RESP error
 * replies; a read index that cannot be given fails the request (the gateway then reads from the
 * leader).
 */
final class NodeLocalCommands {

    static final List<String> NAMES = List.of(InternalCommandSpecs.NODE_INFO, InternalCommandSpecs.NODE_CLOCK_OFFSET,
        InternalCommandSpecs.NODE_TERM, InternalCommandSpecs.NODE_READ_INDEX, InternalCommandSpecs.NODE_APPLIED_INDEX);

    /** Largest clock offset a drill may set: a day, far beyond any skew worth testing. */
    static final long MAX_OFFSET_MS = 86_400_000L;

    static final String FAULTS_DISABLED =
        "ERR fault injection is disabled on this node: start it with --allow-fault-injection to set its clock offset";

    private final ShardStateMachine sm;

    NodeLocalCommands(ShardStateMachine sm) {
        this.sm = sm;
    }

    /** Whether the batch is a node-local command (its first command's name starts "basalt.node."). */
    static boolean handles(CommandBatch batch) {
        return batch.getCommandsCount() == 1 && batch.getCommands(0).getArgsCount() > 0
            && NAMES.contains(name(batch.getCommands(0)));
    }

    private static String name(Command c) {
        return c.getArgs(0).toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    CompletableFuture<Message> answer(CommandBatch batch) {
        Command c = batch.getCommands(0);
        String name = name(c);
        if (name.equals(InternalCommandSpecs.NODE_READ_INDEX)) {
            return readIndex();
        }
        RespWriter out = new RespWriter(128);
        if (name.equals(InternalCommandSpecs.NODE_APPLIED_INDEX)) {
            out.integer(sm.appliedIndex());
        } else if (name.equals(InternalCommandSpecs.NODE_INFO)) {
            info(c, out);
        } else if (name.equals(InternalCommandSpecs.NODE_CLOCK_OFFSET)) {
            clockOffset(c, out);
        } else {
            term(c, out);
        }
        return CompletableFuture.completedFuture(reply(out.toByteArray()));
    }

    private void info(Command c, RespWriter out) {
        if (c.getArgsCount() != 1) {
            out.error("ERR wrong number of arguments for '" + InternalCommandSpecs.NODE_INFO + "' command");
            return;
        }
        RaftServer.Division d = sm.division();
        DivisionInfo info = d == null ? null : d.getInfo();
        String leader = info == null || info.getLeaderId() == null ? "" : info.getLeaderId().toString();
        out.array(30);
        field(out, "id", d == null ? "" : d.getId().toString());
        field(out, "pid", Long.toString(ProcessHandle.current().pid()));
        field(out, "group", String.valueOf(sm.getGroupId()));
        field(out, "role", info == null ? "" : info.getCurrentRole().name().toLowerCase(Locale.ROOT));
        field(out, "term", info == null ? "0" : Long.toString(info.getCurrentTerm()));
        field(out, "leader", leader);
        field(out, "applied-index", Long.toString(sm.appliedIndex()));
        field(out, "clock-offset-ms", Long.toString(sm.clock().offsetMs()));
        field(out, "read-confirmation", sm.options().readConfirmation() ? "on" : "off");
        field(out, "confirmation-rounds", Long.toString(sm.confirmationRounds()));
        field(out, "read-lease", sm.options().readLease() ? "on" : "off");
        field(out, "lease-read-batches", Long.toString(sm.leaseReadBatches()));
        field(out, "round-read-batches", Long.toString(sm.roundReadBatches()));
        field(out, "follower-read-batches", Long.toString(sm.followerReadBatches()));
        field(out, "read-index-requests", Long.toString(sm.readIndexRequests()));
    }

    private static void field(RespWriter out, String name, String value) {
        out.bulk(name);
        out.bulk(value);
    }

    private void clockOffset(Command c, RespWriter out) {
        if (c.getArgsCount() != 2) {
            out.error("ERR wrong number of arguments for '" + InternalCommandSpecs.NODE_CLOCK_OFFSET + "' command");
            return;
        }
        if (!sm.options().allowFaultInjection()) {
            out.error(FAULTS_DISABLED);
            return;
        }
        long offset;
        try {
            offset = Long.parseLong(c.getArgs(1).toString(StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            out.error("ERR value is not an integer or out of range");
            return;
        }
        if (Math.abs(offset) > MAX_OFFSET_MS) {
            out.error("ERR clock offset must be within +-" + MAX_OFFSET_MS + " ms");
            return;
        }
        sm.clock().setOffsetMs(offset);
        out.simple("OK");
    }

    /** "+term leader" ("-" for no leader): what LeadershipConfirmation asks every member. */
    private void term(Command c, RespWriter out) {
        RaftServer.Division d = sm.division();
        if (d == null) {
            out.error("ERR not started");
            return;
        }
        // one read of each: the term is read first, so the leader seen belongs to it or a later term
        long term = d.getInfo().getCurrentTerm();
        Object leader = d.getInfo().getLeaderId();
        out.simple(term + " " + (leader == null ? "-" : leader.toString()));
    }

    static LeadershipConfirmation.PeerView parseTerm(byte[] resp) {
        String s = new String(resp, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("+") || !s.endsWith("\r\n")) {
            throw new IllegalArgumentException("not a term reply: " + s);
        }
        String[] parts = s.substring(1, s.length() - 2).split(" ", 2);
        return new LeadershipConfirmation.PeerView(Long.parseLong(parts[0]), parts[1].equals("-") ? null : parts[1]);
    }

    /** The leader's confirmed applied index, as an integer reply; fails on any other replica. */
    private CompletableFuture<Message> readIndex() {
        // Failures must be StateMachineExceptions here: Ratis turns only those into an error
        // reply on the stale-read path (anything else breaks the sender's stream).
        return sm.confirmedReadIndex().handle((index, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                throw new java.util.concurrent.CompletionException(new StateMachineException(
                    "no read index: " + cause.getMessage()));
            }
            return reply(new RespWriter(32).integer(index).toByteArray());
        });
    }

    static Message reply(byte[] resp) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(BatchReply.newBuilder()
            .addReplies(com.google.protobuf.ByteString.copyFrom(resp)).build().toByteArray()));
    }
}
