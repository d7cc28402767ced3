package io.basalt.node.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.proto.internal.AddShard;
import io.basalt.proto.internal.MarkCreated;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import io.basalt.proto.internal.SetDesired;
import io.basalt.proto.internal.SetMembers;
import io.basalt.proto.internal.SetNodeState;
import io.basalt.router.topology.StaticTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaRegistryTest {

    private static final StaticTopology LAYOUT = StaticTopology.parse(
        "n1=127.0.0.1:1,n2=127.0.0.1:2,n3=127.0.0.1:3,n4=127.0.0.1:4", 2, 3);

    @Test
    void genesisIsTheBootstrapLayout() {
        MetaState s = MetaRegistry.genesis(LAYOUT);
        assertEquals(1, s.getEpoch());
        assertEquals(4, s.getNodesCount());
        assertEquals(List.of("n1", "n2", "n3"), s.getShards(0).getMembersList());
        assertEquals(List.of("n2", "n3", "n4"), s.getShards(1).getDesiredList());
        assertEquals("n2", s.getShards(1).getPreferredLeader());
        assertTrue(s.getShards(0).getCreated());
        assertEquals(StaticTopology.groupIdOf(1).toString(), s.getShards(1).getGroupId());
    }

    @Test
    void registeringANodeAddsItAndRegisteringTheSameAgainChangesNothing() {
        MetaRegistry r = new MetaRegistry(MetaRegistry.genesis(LAYOUT));
        MetaNode n5 = MetaNode.newBuilder().setId("n5").setRaftAddress("127.0.0.1:5").setZone("z2").build();
        assertNull(r.apply(MetaRequest.newBuilder().setRegisterNode(n5).build()));
        long epoch = r.state().getEpoch();
        assertEquals(5, r.state().getNodesCount());
        assertEquals(NodeState.NODE_UP, r.state().getNodes(4).getState());
        assertNull(r.apply(MetaRequest.newBuilder().setRegisterNode(n5).build()));
        assertEquals(epoch, r.state().getEpoch(), "no change, no new epoch");
        assertNotNull(r.apply(MetaRequest.newBuilder().setRegisterNode(MetaNode.newBuilder().setId("n6")).build()),
            "a node needs a Raft address");
    }

    @Test
    void desiredReplicasAreCheckedAndConditionalOnTheEpoch() {
        MetaRegistry r = new MetaRegistry(MetaRegistry.genesis(LAYOUT));
        assertNotNull(r.apply(desired(0, List.of("n1", "n1", "n2"), 0)), "a node twice");
        assertNotNull(r.apply(desired(0, List.of("n1", "n9"), 0)), "unknown node");
        assertNotNull(r.apply(desired(7, List.of("n1"), 0)), "unknown shard");
        assertNotNull(r.apply(desired(0, List.of("n1", "n2", "n4"), 99)), "stale epoch");
        long epoch = r.state().getEpoch();
        assertNull(r.apply(desired(0, List.of("n1", "n2", "n4"), epoch)));
        assertEquals(List.of("n1", "n2", "n4"), r.state().getShards(0).getDesiredList());
        assertEquals(List.of("n1", "n2", "n3"), r.state().getShards(0).getMembersList(), "members change only when recorded");
        assertEquals(epoch + 1, r.state().getEpoch());
    }

    @Test
    void drainingAndDeadNodesTakeNoNewReplicasButKeepTheirs() {
        MetaRegistry r = new MetaRegistry(MetaRegistry.genesis(LAYOUT));
        assertNull(r.apply(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId("n4")
            .setState(NodeState.NODE_DRAINING)).build()));
        assertNotNull(r.apply(desired(0, List.of("n1", "n2", "n4"), 0)), "n4 is draining: no new replica");
        assertNull(r.apply(desired(1, List.of("n2", "n3", "n4"), 0)), "n4 already hosts shard 1");
        assertNull(r.apply(MetaRequest.newBuilder().setRegisterNode(MetaNode.newBuilder().setId("n4")
            .setRaftAddress("127.0.0.1:4")).build()));
        assertEquals(NodeState.NODE_DRAINING, r.state().getNodes(3).getState(), "re-registering does not undo draining");
    }

    @Test
    void aShardAddedAtRunTimeStartsUncreatedWithItsReplicasAsMembers() {
        MetaRegistry r = new MetaRegistry(MetaRegistry.genesis(LAYOUT));
        assertNull(r.apply(MetaRequest.newBuilder().setAddShard(AddShard.newBuilder()
            .addAllReplicas(List.of("n3", "n4", "n1")).setPreferredLeader("n4")).build()));
        var shard = r.state().getShards(2);
        assertEquals(2, shard.getIndex());
        assertEquals(StaticTopology.groupIdOf(2).toString(), shard.getGroupId());
        assertEquals(List.of("n3", "n4", "n1"), shard.getMembersList());
        assertEquals("n4", shard.getPreferredLeader());
        assertFalse(shard.getCreated());
        assertNull(r.apply(MetaRequest.newBuilder().setMarkCreated(MarkCreated.newBuilder().setShard(2)).build()));
        assertTrue(r.state().getShards(2).getCreated());
        assertNull(r.apply(MetaRequest.newBuilder().setSetMembers(SetMembers.newBuilder().setShard(2)
            .addAllMembers(List.of("n3", "n4", "n1", "n2"))).build()));
        assertEquals(4, r.state().getShards(2).getMembersCount());
    }

    @Test
    void drainingOrDeadNodesGiveTheirReplicasToNodesPlacementPicks() {
        MetaState zoned = MetaRegistry.genesis(LAYOUT).toBuilder()
            .setNodes(0, MetaRegistry.genesis(LAYOUT).getNodes(0).toBuilder().setZone("z1"))
            .setNodes(1, MetaRegistry.genesis(LAYOUT).getNodes(1).toBuilder().setZone("z2"))
            .setNodes(2, MetaRegistry.genesis(LAYOUT).getNodes(2).toBuilder().setZone("z3"))
            .setNodes(3, MetaRegistry.genesis(LAYOUT).getNodes(3).toBuilder().setZone("z1")).build();
        MetaRegistry r = new MetaRegistry(zoned);
        assertNull(r.apply(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId("n4")
            .setState(NodeState.NODE_DRAINING)).build()));
        // shard 1 (n2, n3, n4) loses n4 (z1) to n1, the other z1 node; members wait for the controller
        assertEquals(List.of("n2", "n3", "n1"), r.state().getShards(1).getDesiredList());
        assertEquals(List.of("n2", "n3", "n4"), r.state().getShards(1).getMembersList());
        assertNull(r.apply(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId("n1")
            .setState(NodeState.NODE_DEAD)).build()));
        // n1 dead, n4 draining: shard 0 (n1, n2, n3) has no up node left to take n1's replica
        assertEquals(List.of("n1", "n2", "n3"), r.state().getShards(0).getDesiredList());
    }

    @Test
    void aShardWithoutReplicasIsPlacedWhenApplied() {
        MetaRegistry r = new MetaRegistry(MetaRegistry.genesis(LAYOUT));
        assertNull(r.apply(MetaRequest.newBuilder().setAddShard(AddShard.newBuilder().setReplication(3)).build()));
        var shard = r.state().getShards(2);
        assertEquals(3, shard.getMembersCount());
        assertEquals(shard.getMembers(0), shard.getPreferredLeader());
        assertNotNull(r.apply(MetaRequest.newBuilder().setAddShard(AddShard.newBuilder().setReplication(5)).build()),
            "four nodes cannot take five replicas");
    }

    private static MetaRequest desired(int shard, List<String> nodes, long epoch) {
        return MetaRequest.newBuilder().setSetDesired(SetDesired.newBuilder().setShard(shard).addAllDesired(nodes)
            .setExpectedEpoch(epoch)).build();
    }
}
