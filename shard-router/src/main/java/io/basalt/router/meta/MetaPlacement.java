package io.basalt.router.meta;

import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Placement decisions over the metadata state, one replica at a time: the rule of
 * io.basalt.router.placement.Placer (a zone the shard does not use yet, then the node with the
 * fewest replicas, then the first in registration order), over the nodes that are up. Used by the
 * controller (a dead node's replicas) and the admin tool (remove-node, add-shard).
 */
public final class MetaPlacement {
    private MetaPlacement() {}

    /** A node to take one replica of {@code shard} in place of {@code leaving}, or null if none can. */
    public static String pick(MetaState state, MetaShard shard, Collection<String> leaving) {
        Map<String, String> zoneOf = new HashMap<>();
        state.getNodesList().forEach(n -> zoneOf.put(n.getId(), n.getZone()));
        Set<String> usedZones = new HashSet<>();
        for (String id : shard.getDesiredList()) {
            if (!leaving.contains(id)) {
                usedZones.add(zoneOf.get(id));
            }
        }
        Map<String, Integer> load = new HashMap<>();
        for (MetaShard s : state.getShardsList()) {
            s.getDesiredList().forEach(id -> load.merge(id, 1, Integer::sum));
        }
        String best = null;
        boolean bestNewZone = false;
        int bestLoad = Integer.MAX_VALUE;
        for (MetaNode n : state.getNodesList()) {
            if (n.getState() != NodeState.NODE_UP || shard.getDesiredList().contains(n.getId()) || leaving.contains(n.getId())) {
                continue;
            }
            boolean newZone = !usedZones.contains(n.getZone());
            int l = load.getOrDefault(n.getId(), 0);
            if (best == null || (newZone && !bestNewZone) || (newZone == bestNewZone && l < bestLoad)) {
                best = n.getId();
                bestNewZone = newZone;
                bestLoad = l;
            }
        }
        return best;
    }

    /**
     * Replicas for a new shard: {@code replicas} nodes picked one by one as above; the first is the
     * up node with the fewest preferred leaderships among them (the shard's preferred leader).
     * Fewer than asked if there are not enough nodes up.
     */
    public static java.util.List<String> newShard(MetaState state, int replicas) {
        MetaShard.Builder shard = MetaShard.newBuilder();
        java.util.List<String> chosen = new java.util.ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String next = pick(state, shard.build(), java.util.List.of());
            if (next == null) {
                break;
            }
            chosen.add(next);
            shard.addDesired(next);
        }
        Map<String, Integer> leads = new HashMap<>();
        state.getShardsList().forEach(s -> leads.merge(s.getPreferredLeader(), 1, Integer::sum));
        chosen.sort(java.util.Comparator.comparingInt(id -> leads.getOrDefault(id, 0)));
        return chosen;
    }
}
