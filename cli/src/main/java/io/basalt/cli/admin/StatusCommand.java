package io.basalt.cli.admin;

import io.basalt.proto.internal.GroupReport;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.NodeHealth;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin status}: nodes (state, zone, heartbeat age, replicas, leaderships) and
 * shards (members, desired replicas while they differ, leader, slots, each replica's lag behind
 * the leader in applied entries), from the metadata group and the shards.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the cluster's nodes and shards: leaders, slots, replication lag.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Override
    public Integer call() {
        GatewayAddress address = GatewayAddress.parse("status", target);
        if (address == null) {
            return 2;
        }
        try (MetaAdmin admin = new MetaAdmin(address, 10_000)) {
            print(admin, admin.status(), System.out);
            return 0;
        } catch (IOException e) {
            System.err.println("basalt admin status: " + e.getMessage());
            return 1;
        }
    }

    static void print(MetaAdmin admin, MetaReply status, PrintStream out) throws IOException {
        Map<String, NodeHealth> health = new HashMap<>();
        status.getHealthList().forEach(h -> health.put(h.getNodeId(), h));
        out.printf("metadata epoch %d, leader %s%n", status.getState().getEpoch(), status.getLeaderId());
        out.printf("%-8s %-9s %-8s %-22s %-22s %-10s %-8s %s%n", "NODE", "STATE", "ZONE", "RAFT", "GATEWAY", "HEARTBEAT",
            "REPLICAS", "LEADS");
        for (MetaNode n : status.getState().getNodesList()) {
            NodeHealth h = health.get(n.getId());
            long replicas = status.getState().getShardsList().stream().filter(s -> s.getMembersList().contains(n.getId())).count();
            long leads = h == null ? 0 : h.getGroupsList().stream().filter(GroupReport::getLeader).count();
            String beat = h == null || h.getMillisSinceHeartbeat() < 0 ? "never" : h.getMillisSinceHeartbeat() + "ms";
            out.printf("%-8s %-9s %-8s %-22s %-22s %-10s %-8d %d%n", n.getId(), n.getState().name().substring(5).toLowerCase(),
                n.getZone().isEmpty() ? "-" : n.getZone(), n.getRaftAddress(),
                n.getGatewayAddress().isEmpty() ? "-" : n.getGatewayAddress(), beat, replicas, leads);
        }
        out.printf("%-6s %-8s %-6s %-22s %s%n", "SHARD", "LEADER", "SLOTS", "RANGES", "REPLICAS (lag in entries)");
        for (MetaShard s : status.getState().getShardsList()) {
            String leader = leaderOf(status, s.getGroupId());
            long leaderApplied = applied(status, leader, s.getGroupId());
            StringBuilder replicas = new StringBuilder();
            for (String m : s.getMembersList()) {
                long a = applied(status, m, s.getGroupId());
                replicas.append(replicas.isEmpty() ? "" : " ").append(m);
                if (m.equals(leader)) {
                    replicas.append("*");
                } else {
                    replicas.append('(').append(a < 0 || leaderApplied < 0 ? "?" : Long.toString(Math.max(0, leaderApplied - a))).append(')');
                }
            }
            if (!new java.util.HashSet<>(s.getMembersList()).equals(new java.util.HashSet<>(s.getDesiredList()))) {
                replicas.append("  -> desired ").append(String.join(",", s.getDesiredList()));
            }
            if (!s.getCreated()) {
                replicas.append("  (starting)");
            }
            List<Long> ranges;
            try {
                ranges = admin.slotRanges(s.getIndex());
            } catch (IOException e) {
                ranges = List.of();
            }
            out.printf("%-6d %-8s %-6d %-22s %s%n", s.getIndex(), leader == null ? "-" : leader, MetaAdmin.slotCount(ranges),
                abbreviate(MetaAdmin.rangesText(ranges), 22), replicas);
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String leaderOf(MetaReply status, String groupId) {
        String leader = null;
        long term = -1;
        for (NodeHealth h : status.getHealthList()) {
            for (GroupReport g : h.getGroupsList()) {
                if (g.getGroupId().equals(groupId) && g.getLeader() && g.getTerm() > term) {
                    leader = h.getNodeId();
                    term = g.getTerm();
                }
            }
        }
        return leader;
    }

    private static long applied(MetaReply status, String node, String groupId) {
        if (node == null) {
            return -1;
        }
        for (NodeHealth h : status.getHealthList()) {
            if (h.getNodeId().equals(node)) {
                for (GroupReport g : h.getGroupsList()) {
                    if (g.getGroupId().equals(groupId)) {
                        return g.getAppliedIndex();
                    }
                }
            }
        }
        return -1;
    }
}
