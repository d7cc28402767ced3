package io.basalt.gateway.cluster;

import io.basalt.proto.internal.GroupReport;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.NodeHealth;
import io.basalt.proto.internal.NodeState;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.SlotMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "leaders" presentation ({@code --cluster-slots leaders}): each shard's slots are claimed by
 * the gateway beside the shard's current leader, so a cluster client sends each command to the
 * node that orders it, with no hop between gateway and leader; the gateways beside the shard's
 * followers are its replicas (READONLY reads there are follower reads). Gateways, leaders and
 * health come from the metadata group (nodes register their gateway's address and report their
 * leaderships), so every gateway computes the same claims from the same metadata reply.
 *
 * <p>Fallbacks keep every slot claimed by a live gateway: a shard whose leader is unknown, or whose
 * leader's node has no gateway (or one not heard from lately), is claimed by the gateway of its
 * first member that has one, else by this gateway, which serves any slot.
 */
public final class LeaderClaims {

    /** A node not heard from for this long has no gateway worth sending clients to. */
    static final long SILENT_MS = 10_000;

    private LeaderClaims() {}

    public static ClusterTopology of(SlotMap map, MetaReply meta, GatewayNode self) {
        if (map == null || meta == null) {
            return new ClusterTopology(List.of(new ClusterTopology.Range(0, HashSlot.SLOT_COUNT - 1, self, List.of())), self);
        }
        Map<String, GatewayNode> gatewayOf = new HashMap<>();
        Map<String, Long> silence = new HashMap<>();
        for (NodeHealth h : meta.getHealthList()) {
            silence.put(h.getNodeId(), h.getMillisSinceHeartbeat());
        }
        for (MetaNode n : meta.getState().getNodesList()) {
            Long quiet = silence.get(n.getId());
            if (n.getState() == NodeState.NODE_UP && !n.getGatewayAddress().isEmpty() && quiet != null && quiet >= 0
                    && quiet < SILENT_MS) {
                try {
                    gatewayOf.put(n.getId(), GatewayNode.parse(n.getGatewayAddress()));
                } catch (IllegalArgumentException e) {
                    // a node registered a malformed address: it gets no clients
                }
            }
        }
        Map<String, MetaShard> shardOfGroup = new HashMap<>();
        meta.getState().getShardsList().forEach(s -> shardOfGroup.put(s.getGroupId(), s));
        int shards = map.shards().size();
        GatewayNode[] master = new GatewayNode[shards];
        List<List<GatewayNode>> replicas = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            String group = map.shards().get(i).groupId();
            MetaShard shard = shardOfGroup.get(group);
            List<String> members = shard == null ? List.of() : shard.getMembersList();
            String leader = leaderOf(meta, group);
            GatewayNode m = leader == null ? null : gatewayOf.get(leader);
            for (int k = 0; m == null && k < members.size(); k++) {
                m = gatewayOf.get(members.get(k));
            }
            master[i] = m == null ? self : m;
            List<GatewayNode> rs = new ArrayList<>();
            for (String member : members) {
                GatewayNode g = gatewayOf.get(member);
                if (g != null && !g.equals(master[i]) && !rs.contains(g)) {
                    rs.add(g);
                }
            }
            replicas.add(rs);
        }
        List<ClusterTopology.Range> ranges = new ArrayList<>();
        int start = 0;
        for (int slot = 1; slot <= HashSlot.SLOT_COUNT; slot++) {
            if (slot == HashSlot.SLOT_COUNT || map.shardIndexOfSlot(slot) != map.shardIndexOfSlot(start)) {
                int s = map.shardIndexOfSlot(start);
                ranges.add(new ClusterTopology.Range(start, slot - 1, master[s], replicas.get(s)));
                start = slot;
            }
        }
        return new ClusterTopology(ranges, self);
    }

    /** The member reporting leadership of the group in the highest term, or null. */
    static String leaderOf(MetaReply meta, String groupId) {
        String leader = null;
        long term = -1;
        for (NodeHealth h : meta.getHealthList()) {
            if (h.getMillisSinceHeartbeat() < 0 || h.getMillisSinceHeartbeat() >= SILENT_MS) {
                continue;
            }
            for (GroupReport g : h.getGroupsList()) {
                if (g.getGroupId().equals(groupId) && g.getLeader() && g.getTerm() > term) {
                    leader = h.getNodeId();
                    term = g.getTerm();
                }
            }
        }
        return leader;
    }
}
