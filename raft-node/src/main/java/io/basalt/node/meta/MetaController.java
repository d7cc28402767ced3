package io.basalt.node.meta;

import io.basalt.proto.internal.GroupReport;
import io.basalt.proto.internal.MarkCreated;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import io.basalt.proto.internal.SetMembers;
import io.basalt.proto.internal.SetNodeState;
import io.basalt.router.meta.GroupAdmin;
import io.basalt.router.meta.MetaClient;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every metadata replica and acts only while its replica leads the metadata group: it
 * converges each shard's Raft membership to the desired replicas, declares silent nodes dead and
 * re-places their replicas, and moves leadership to each shard's preferred leader.
 *
 * <p>Every action is idempotent and safe to repeat or to interrupt: membership changes are
 * compare-and-set on the group's current configuration (a deposed controller cannot undo a newer
 * change), one replica at a time, adding before removing (a shard never has fewer replicas than
 * desired, and its majority is never put at risk by the change itself); the metadata records
 * members only after the change committed, and a controller that finds the recorded members out
 * of date (its change committed but it failed before recording) re-learns them from the group.
 */
public final class MetaController implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MetaController.class);
    /** How long after a leadership transfer of a shard before another is tried for it. */
    private static final long TRANSFER_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final MetaStateMachine sm;
    private final BooleanSupplier isLeader;
    private final MetaClient meta;
    private final GroupAdmin admin;
    private final Duration deadAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meta-controller");
        t.setDaemon(true);
        return t;
    });
    private final Map<Integer, Long> lastTransfer = new HashMap<>();
    private final Map<String, Long> firstSeen = new HashMap<>();

    public MetaController(MetaStateMachine sm, BooleanSupplier isLeader, MetaClient meta, GroupAdmin admin, Duration deadAfter) {
        this.sm = sm;
        this.isLeader = isLeader;
        this.meta = meta;
        this.admin = admin;
        this.deadAfter = deadAfter;
    }

    public void start(long periodMs) {
        timer.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!isLeader.getAsBoolean()) {
            return;
        }
        try {
            declareDead(sm.state());
            MetaState state = sm.state();
            for (MetaShard shard : state.getShardsList()) {
                if (!isLeader.getAsBoolean()) {
                    return;
                }
                step(state, shard);
            }
        } catch (Exception e) {
            LOG.warn("metadata controller round failed: {}", e.toString());
        }
    }

    /** Nodes silent for longer than dead-after (as this leader saw it) are dead; their replicas are re-placed. */
    private void declareDead(MetaState state) throws Exception {
        long now = System.nanoTime();
        if (now - sm.leaderSinceNanos() < deadAfter.toNanos()) {
            return; // a new leader has not heard long enough to judge anyone
        }
        for (MetaNode node : state.getNodesList()) {
            MetaStateMachine.Report r = sm.reports().get(node.getId());
            // silence counts from the later of: this leader taking over, this controller first
            // seeing the node (a node registers before its first heartbeat), its last report
            long since = Math.max(sm.leaderSinceNanos(), firstSeen.computeIfAbsent(node.getId(), id -> now));
            if (r != null) {
                since = Math.max(since, r.atNanos());
            }
            if (node.getState() == NodeState.NODE_DEAD && r != null && now - r.atNanos() < deadAfter.toNanos() / 2) {
                // back after being declared dead: its replicas were re-placed; it is an empty node now
                LOG.info("node {} reports again after being declared dead: up, with no replicas", node.getId());
                write(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId(node.getId())
                    .setState(NodeState.NODE_UP)).build());
                continue;
            }
            if (node.getState() != NodeState.NODE_UP && node.getState() != NodeState.NODE_DRAINING) {
                continue;
            }
            long silentNanos = now - since;
            if (silentNanos < deadAfter.toNanos()) {
                continue;
            }
            LOG.warn("node {} has not reported for {} ms: declaring it dead and re-placing its replicas", node.getId(),
                silentNanos / 1_000_000);
            // the entry itself re-places the node's replicas (MetaRegistry): placement is the log's
            write(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId(node.getId())
                .setState(NodeState.NODE_DEAD)).build());
        }
    }

    /** One step towards the shard's desired membership and preferred leader. */
    private void step(MetaState state, MetaShard shard) throws Exception {
        UUID group = UUID.fromString(shard.getGroupId());
        Map<String, String> addresses = new LinkedHashMap<>();
        state.getNodesList().forEach(n -> addresses.put(n.getId(), n.getRaftAddress()));
        String leader = leaderOf(shard.getGroupId());
        if (!shard.getCreated()) {
            if (leader != null) {
                write(MetaRequest.newBuilder().setMarkCreated(MarkCreated.newBuilder().setShard(shard.getIndex())).build());
            }
            return;
        }
        List<String> members = shard.getMembersList();
        List<String> toAdd = shard.getDesiredList().stream().filter(n -> !members.contains(n)).toList();
        List<String> toRemove = members.stream().filter(n -> !shard.getDesiredList().contains(n)).toList();
        if (!toAdd.isEmpty()) {
            String node = toAdd.get(0);
            if (!hosts(node, shard.getGroupId())) {
                return; // its agent has not started the replica yet
            }
            List<String> next = new ArrayList<>(members);
            next.add(node);
            change(shard, group, addresses, members, next);
            return;
        }
        if (!toRemove.isEmpty()) {
            String node = toRemove.get(0);
            if (node.equals(leader)) {
                String target = shard.getPreferredLeader();
                LOG.info("shard {}: moving leadership from {} to {} before removing it", shard.getIndex(), node, target);
                admin.transferLeadership(group, pick(addresses, members), target);
                return;
            }
            List<String> next = new ArrayList<>(members);
            next.remove(node);
            change(shard, group, addresses, members, next);
            return;
        }
        String preferred = shard.getPreferredLeader();
        if (leader != null && !preferred.isEmpty() && !preferred.equals(leader) && hosts(preferred, shard.getGroupId())
            && upToDate(preferred, leader, shard.getGroupId())) {
            Long last = lastTransfer.get(shard.getIndex());
            if (last == null || System.nanoTime() - last > TRANSFER_BACKOFF_NANOS) {
                lastTransfer.put(shard.getIndex(), System.nanoTime());
                LOG.info("shard {}: moving leadership from {} to its preferred leader {}", shard.getIndex(), leader, preferred);
                try {
                    admin.transferLeadership(group, pick(addresses, members), preferred);
                } catch (java.io.IOException e) {
                    LOG.info("shard {}: leadership transfer to {} failed: {}", shard.getIndex(), preferred, e.getMessage());
                }
            }
        }
    }

    private void change(MetaShard shard, UUID group, Map<String, String> addresses, List<String> members, List<String> next)
            throws Exception {
        LOG.info("shard {}: changing members {} -> {}", shard.getIndex(), members, next);
        try {
            admin.changeMembers(group, pick(addresses, members), pick(addresses, next));
        } catch (java.io.IOException e) {
            String leader = leaderOf(shard.getGroupId());
            List<String> actual = leader == null ? null : admin.members(group, leader, addresses.get(leader));
            if (actual != null && !actual.equals(members)) {
                // an earlier change committed but was not recorded (or the record is behind): learn it
                LOG.info("shard {}: recorded members {} are out of date; the group has {}", shard.getIndex(), members, actual);
                next = actual;
            } else {
                throw e;
            }
        }
        write(MetaRequest.newBuilder().setSetMembers(SetMembers.newBuilder().setShard(shard.getIndex()).addAllMembers(next)).build());
    }

    private String leaderOf(String groupId) {
        String leader = null;
        long term = -1;
        for (var e : sm.reports().entrySet()) {
            for (GroupReport g : e.getValue().heartbeat().getGroupsList()) {
                if (g.getGroupId().equals(groupId) && g.getLeader() && g.getTerm() > term) {
                    leader = e.getKey();
                    term = g.getTerm();
                }
            }
        }
        return leader;
    }

    private boolean hosts(String node, String groupId) {
        MetaStateMachine.Report r = sm.reports().get(node);
        return r != null && r.heartbeat().getGroupsList().stream().anyMatch(g -> g.getGroupId().equals(groupId));
    }

    /** Whether {@code node}'s replica has applied about as far as the leader's (a transfer to a lagging one would stall). */
    private boolean upToDate(String node, String leader, String groupId) {
        long mine = applied(node, groupId);
        long theirs = applied(leader, groupId);
        return mine >= 0 && theirs >= 0 && theirs - mine < 1000;
    }

    private long applied(String node, String groupId) {
        MetaStateMachine.Report r = sm.reports().get(node);
        if (r == null) {
            return -1;
        }
        return r.heartbeat().getGroupsList().stream().filter(g -> g.getGroupId().equals(groupId))
            .mapToLong(GroupReport::getAppliedIndex).findFirst().orElse(-1);
    }

    private static Map<String, String> pick(Map<String, String> addresses, List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, addresses.get(id)));
        return out;
    }

    private void write(MetaRequest request) throws Exception {
        MetaReply reply = meta.write(request).get(10, TimeUnit.SECONDS);
        if (!reply.getError().isEmpty()) {
            LOG.warn("metadata change {} refused: {}", request.getOpCase(), reply.getError());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
