package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaBalanceTest {

    @Test
    void aNewNodeTakesReplicasUntilLoadsAreWithinOneAndZonesStayDistinct() {
        MetaState.Builder s = MetaState.newBuilder().setEpoch(1);
        String[] zones = {"z1", "z2", "z3", "z1", "z2", "z3"};
        for (int i = 1; i <= 6; i++) {
            s.addNodes(MetaNode.newBuilder().setId("n" + i).setRaftAddress("h:" + i).setZone(zones[i - 1])
                .setState(NodeState.NODE_UP));
        }
        // 4 shards on n1..n3 only (one per zone); n4..n6 are new, one per zone
        for (int sh = 0; sh < 4; sh++) {
            List<String> r = List.of("n1", "n2", "n3");
            s.addShards(MetaShard.newBuilder().setIndex(sh).addAllMembers(r).addAllDesired(r).setPreferredLeader("n1")
                .setCreated(true));
        }
        MetaState state = s.build();
        List<ReplicaBalance.Move> moves = ReplicaBalance.plan(state);
        List<List<String>> after = ReplicaBalance.desiredAfter(state, moves);
        Map<String, Integer> load = new HashMap<>();
        for (List<String> d : after) {
            assertEquals(3, new HashSet<>(d).size(), "three distinct replicas: " + d);
            Map<String, String> zoneOf = Map.of("n1", "z1", "n2", "z2", "n3", "z3", "n4", "z1", "n5", "z2", "n6", "z3");
            assertEquals(3, d.stream().map(zoneOf::get).distinct().count(), "three zones: " + d);
            d.forEach(n -> load.merge(n, 1, Integer::sum));
        }
        int max = load.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = state.getNodesList().stream().mapToInt(n -> load.getOrDefault(n.getId(), 0)).min().orElse(0);
        assertTrue(max - min <= 1, "loads within one: " + load);
        assertEquals(6, moves.size(), "12 replicas over 6 nodes: 6 move");
        List<String> leaders = ReplicaBalance.preferredLeaders(MetaState.newBuilder(state).clearShards()
            .addAllShards(java.util.stream.IntStream.range(0, 4).mapToObj(i -> state.getShards(i).toBuilder()
                .clearDesired().addAllDesired(after.get(i)).build()).toList()).build());
        Map<String, Integer> leads = new HashMap<>();
        leaders.forEach(l -> leads.merge(l, 1, Integer::sum));
        assertTrue(leads.values().stream().allMatch(c -> c <= 2), "leaders spread: " + leaders);
    }
}
