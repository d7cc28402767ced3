package io.basalt.node.meta;

import io.basalt.proto.internal.Heartbeat;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeHealth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The metadata group's state machine: applies {@link MetaRegistry} changes from the log and
 * answers reads from the applied state. Heartbeats are reads, not entries: node health is the
 * leader's soft state (a map of when each node last reported, and what), so a thousand nodes
 * reporting every second cost no log writes; a new leader starts with no reports and waits a
 * full dead-after period before it declares anyone dead (see MetaController).
 *
 * <p>No snapshots: the log holds only registrations and replica changes (a handful of entries per
 * operator action or failure), and replaying it from genesis on restart takes milliseconds.
 */
public final class MetaStateMachine extends BaseStateMachine {

    /** What one node last reported, and when (this JVM's monotonic clock). */
    record Report(long atNanos, Heartbeat heartbeat) {}

    private final MetaRegistry registry;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private volatile long leaderSinceNanos = System.nanoTime();

    private final List<String> metaMembers;

    public MetaStateMachine(MetaState genesis, List<String> metaMembers) {
        this.registry = new MetaRegistry(genesis);
        this.metaMembers = List.copyOf(metaMembers);
    }

    public MetaState state() {
        return registry.state();
    }

    /** The latest report of each node since this replica last became leader. */
    Map<String, Report> reports() {
        return reports;
    }

    long leaderSinceNanos() {
        return leaderSinceNanos;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        MetaReply.Builder reply = MetaReply.newBuilder();
        try {
            MetaRequest request = MetaRequest.parseFrom(entry.getStateMachineLogEntry().getLogData().toByteArray());
            String error = registry.apply(request);
            if (error != null) {
                reply.setError(error);
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            reply.setError("not a metadata request: " + e.getMessage());
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(message(reply.setState(registry.state()).build()));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        MetaRequest r;
        try {
            r = MetaRequest.parseFrom(request.getContent().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a metadata request", e));
        }
        MetaReply.Builder reply = MetaReply.newBuilder().setState(registry.state()).addAllMetaMembers(metaMembers);
        if (r.hasHeartbeat()) {
            reports.put(r.getHeartbeat().getNodeId(), new Report(System.nanoTime(), r.getHeartbeat()));
        } else if (r.getGetStatus()) {
            long now = System.nanoTime();
            for (var node : registry.state().getNodesList()) {
                Report rep = reports.get(node.getId());
                reply.addHealth(NodeHealth.newBuilder().setNodeId(node.getId())
                    .setMillisSinceHeartbeat(rep == null ? -1 : (now - rep.atNanos()) / 1_000_000)
                    .addAllGroups(rep == null ? List.of() : rep.heartbeat().getGroupsList()));
            }
        } else {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a metadata read: " + r.getOpCase()));
        }
        RaftPeerId self = getId();
        if (self != null) {
            reply.setLeaderId(self.toString());
        }
        return CompletableFuture.completedFuture(message(reply.build()));
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (groupMemberId.getPeerId().equals(newLeaderId)) {
            // reports gathered while a follower (none arrive) or during an earlier term are not
            // this leader's observations; it judges health only from what it hears itself
            reports.clear();
            leaderSinceNanos = System.nanoTime();
        }
    }

    private static Message message(MetaReply reply) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(reply.toByteArray()));
    }
}
