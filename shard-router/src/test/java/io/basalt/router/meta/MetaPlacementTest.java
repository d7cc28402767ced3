package io.basalt.router.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaPlacementTest {

    private static MetaState state(NodeState n4State) {
        MetaState.Builder b = MetaState.newBuilder().setEpoch(1);
        String[][] nodes = {{"n1", "z1"}, {"n2", "z2"}, {"n3", "z3"}, {"n4", "z1"}, {"n5", "z2"}};
        for (String[] n : nodes) {
            b.addNodes(MetaNode.newBuilder().setId(n[0]).setRaftAddress("h:" + n[0]).setZone(n[1])
                .setState(n[0].equals("n4") ? n4State : NodeState.NODE_UP));
        }
        b.addShards(MetaShard.newBuilder().setIndex(0).addAllMembers(List.of("n1", "n2", "n3"))
            .addAllDesired(List.of("n1", "n2", "n3")).setPreferredLeader("n1").setCreated(true));
        b.addShards(MetaShard.newBuilder().setIndex(1).addAllMembers(List.of("n2", "n3", "n4"))
            .addAllDesired(List.of("n2", "n3", "n4")).setPreferredLeader("n2").setCreated(true));
        return b.build();
    }

    @Test
    void aLeavingReplicaGoesToTheZoneItLeavesThenToTheLeastLoadedNode() {
        MetaState s = state(NodeState.NODE_UP);
        // shard 1 loses n4 (z1): n1 is the only other z1 node
        assertEquals("n1", MetaPlacement.pick(s, s.getShards(1), List.of("n4")));
        // shard 0 loses n2 (z2): n5 (z2, no replicas) rather than n2's zone-mates with more load
        assertEquals("n5", MetaPlacement.pick(s, s.getShards(0), List.of("n2")));
    }

    @Test
    void onlyUpNodesTakeReplicas() {
        MetaState s = state(NodeState.NODE_DEAD);
        // shard 0 loses n1 (z1): n4 is the other z1 node but dead; a node of a used zone is next
        String picked = MetaPlacement.pick(s, s.getShards(0), List.of("n1"));
        assertEquals("n5", picked);
        MetaState.Builder onlyThree = s.toBuilder();
        onlyThree.setNodes(4, s.getNodes(4).toBuilder().setState(NodeState.NODE_REMOVED));
        assertNull(MetaPlacement.pick(onlyThree.build(), s.getShards(0), List.of("n1")), "no up node left outside the shard");
    }

    @Test
    void aNewShardSpansZonesAndPrefersANodeLeadingNothingAsLeader() {
        List<String> replicas = MetaPlacement.newShard(state(NodeState.NODE_UP), 3);
        assertEquals(3, replicas.size());
        assertEquals(3, replicas.stream().map(id -> switch (id) {
            case "n1", "n4" -> "z1";
            case "n2", "n5" -> "z2";
            default -> "z3";
        }).distinct().count());
        assertEquals(true, !replicas.get(0).equals("n1") && !replicas.get(0).equals("n2"), "leader leads nothing yet: " + replicas);
    }
}
