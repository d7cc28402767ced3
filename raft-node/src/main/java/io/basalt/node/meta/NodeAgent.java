package io.basalt.node.meta;

import io.basalt.proto.internal.GroupReport;
import io.basalt.proto.internal.Heartbeat;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.router.meta.MetaClient;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every node: registers the node with the metadata group, reports its groups every
 * second (a heartbeat: which it hosts, leads, and how far each has applied), and makes the
 * node host exactly the shard replicas the metadata group lists for it.
 *
 * <p>Reconciling: a shard that lists this node as desired but not yet as a member gets a replica
 * that joins (it waits for the shard's leader to add it; the controller does that once this
 * heartbeat shows the replica exists). A shard created at run time lists its first replicas as
 * members before its group exists: they bootstrap it together. A group this node hosts whose
 * shard lists it neither as member nor as desired is stopped: the controller records members only
 * after the configuration change that removed this node committed.
 */
public final class NodeAgent implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final MetaNode self;
    private final MetaClient meta;
    private final GroupHost host;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-agent");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean registered;
    private volatile MetaState lastState;

    public NodeAgent(MetaNode self, MetaClient meta, GroupHost host) {
        this.self = self;
        this.meta = meta;
        this.host = host;
    }

    public void start(long periodMs) {
        timer.scheduleWithFixedDelay(this::tick, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The newest metadata state this agent has seen, or null. */
    public MetaState lastState() {
        return lastState;
    }

    private void tick() {
        try {
            if (!registered) {
                MetaReply reply = meta.write(MetaRequest.newBuilder().setRegisterNode(self).build()).get(10, TimeUnit.SECONDS);
                if (!reply.getError().isEmpty()) {
                    LOG.warn("the metadata group refused to register node {}: {}", self.getId(), reply.getError());
                    return;
                }
                registered = true;
                LOG.info("node {} registered with the metadata group (epoch {})", self.getId(), reply.getState().getEpoch());
            }
            Heartbeat.Builder hb = Heartbeat.newBuilder().setNodeId(self.getId());
            for (GroupHost.Hosted g : host.hosted()) {
                hb.addGroups(GroupReport.newBuilder().setGroupId(g.groupId().toString()).setLeader(g.leader())
                    .setAppliedIndex(g.appliedIndex()).setTerm(g.term()));
            }
            MetaReply reply = meta.read(MetaRequest.newBuilder().setHeartbeat(hb).build()).get(10, TimeUnit.SECONDS);
            MetaState state = reply.getState();
            lastState = state;
            if (state.getNodesList().stream().noneMatch(n -> n.getId().equals(self.getId()))) {
                registered = false; // a metadata group that lost its memory (memory durability): register again
                return;
            }
            reconcile(state);
        } catch (Exception e) {
            LOG.debug("node agent round failed: {}", e.toString());
        }
    }

    private void reconcile(MetaState state) throws IOException {
        Set<UUID> local = new HashSet<>();
        for (GroupHost.Hosted g : host.hosted()) {
            local.add(g.groupId());
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        state.getNodesList().forEach(n -> addresses.put(n.getId(), n.getRaftAddress()));
        for (MetaShard shard : state.getShardsList()) {
            UUID group = UUID.fromString(shard.getGroupId());
            boolean member = shard.getMembersList().contains(self.getId());
            boolean desired = shard.getDesiredList().contains(self.getId());
            if ((member || desired) && !local.contains(group)) {
                Map<String, String> bootstrap = new LinkedHashMap<>();
                if (!shard.getCreated() && member) {
                    shard.getMembersList().forEach(m -> bootstrap.put(m, addresses.get(m)));
                }
                LOG.info("node {}: starting a replica of shard {} ({})", self.getId(), shard.getIndex(),
                    bootstrap.isEmpty() ? "joining the running group" : "bootstrapping with " + bootstrap.keySet());
                host.addGroup(group, bootstrap);
            } else if (!member && !desired && local.contains(group)) {
                LOG.info("node {}: shard {} no longer has a replica here; stopping it", self.getId(), shard.getIndex());
                host.removeGroup(group);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
