package io.basalt.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.proto.internal.GroupReport;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeHealth;
import io.basalt.router.slot.SlotMap;
import io.basalt.router.topology.StaticTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderClaimsTest {

    private static final StaticTopology LAYOUT = StaticTopology.parse("n1=h:1,n2=h:2,n3=h:3", 2, 3);
    private static final GatewayNode SELF = new GatewayNode("127.0.0.1", 7001);

    private static MetaReply meta(String leader0, String leader1, long n2Silence) {
        MetaState.Builder s = MetaState.newBuilder().setEpoch(3);
        for (int i = 1; i <= 3; i++) {
            s.addNodes(MetaNode.newBuilder().setId("n" + i).setRaftAddress("h:" + i).setGatewayAddress("127.0.0.1:700" + i));
        }
        for (int i = 0; i < 2; i++) {
            s.addShards(MetaShard.newBuilder().setIndex(i).setGroupId(StaticTopology.groupIdOf(i).toString())
                .addAllMembers(List.of("n1", "n2", "n3")).addAllDesired(List.of("n1", "n2", "n3")).setCreated(true));
        }
        MetaReply.Builder r = MetaReply.newBuilder().setState(s);
        for (int i = 1; i <= 3; i++) {
            String id = "n" + i;
            NodeHealth.Builder h = NodeHealth.newBuilder().setNodeId(id).setMillisSinceHeartbeat(id.equals("n2") ? n2Silence : 100);
            h.addGroups(GroupReport.newBuilder().setGroupId(StaticTopology.groupIdOf(0).toString()).setLeader(id.equals(leader0)).setTerm(2));
            h.addGroups(GroupReport.newBuilder().setGroupId(StaticTopology.groupIdOf(1).toString()).setLeader(id.equals(leader1)).setTerm(2));
            r.addHealth(h);
        }
        return r.build();
    }

    @Test
    void eachShardsSlotsArePresentedAtItsLeadersGatewayWithTheOthersAsReplicas() {
        SlotMap map = LAYOUT.slotMap();
        ClusterTopology t = LeaderClaims.of(map, meta("n1", "n2", 100), SELF);
        assertEquals(2, t.ranges().size());
        assertEquals(new GatewayNode("127.0.0.1", 7001), t.ranges().get(0).master());
        assertEquals(new GatewayNode("127.0.0.1", 7002), t.ranges().get(1).master());
        assertEquals(List.of(new GatewayNode("127.0.0.1", 7002), new GatewayNode("127.0.0.1", 7003)), t.ranges().get(0).replicas());
        assertEquals(0, t.ranges().get(0).start());
        assertEquals(8191, t.ranges().get(0).end());
        assertEquals(new GatewayNode("127.0.0.1", 7002), t.masterOf(8192));
        assertEquals(new GatewayNode("127.0.0.1", 7001), t.masterOf(0));
    }

    @Test
    void aSilentLeadersGatewayIsPassedOverForTheFirstMemberWithALiveOne() {
        ClusterTopology t = LeaderClaims.of(LAYOUT.slotMap(), meta("n1", "n2", 30_000), SELF);
        assertEquals(new GatewayNode("127.0.0.1", 7001), t.ranges().get(1).master(), "n2 silent: shard 1 goes to n1's gateway");
        assertEquals(List.of(new GatewayNode("127.0.0.1", 7003)), t.ranges().get(1).replicas());
    }

    @Test
    void inLeadersModeOtherGatewaysSlotsAreMovedButReplicaReadsAreServedWhereThisGatewayIsAReplica() {
        // this gateway is n3's (7003): a replica of both shards, master of none
        GatewayNode n3 = new GatewayNode("127.0.0.1", 7003);
        MetaReply meta = meta("n1", "n2", 100);
        ClusterView view = new ClusterView(new ClusterSettings(true, n3, List.of(), true), n3, LAYOUT::slotMap, () -> meta);
        assertEquals(new GatewayNode("127.0.0.1", 7001), view.redirect(0, false));
        assertEquals(new GatewayNode("127.0.0.1", 7002), view.redirect(16383, false));
        assertEquals(null, view.redirect(0, true), "a READONLY read is served by a replica gateway");
        ClusterView master = new ClusterView(new ClusterSettings(true, SELF, List.of(), true), SELF, LAYOUT::slotMap, () -> meta);
        assertEquals(null, master.redirect(5, false), "its own slots are served");
        ClusterView all = new ClusterView(new ClusterSettings(true, n3, List.of(), false), n3, LAYOUT::slotMap, () -> meta);
        assertEquals(null, all.redirect(0, false), "in 'all' mode every slot is served");
    }

    @Test
    void withoutMetadataThisGatewayClaimsEverything() {
        ClusterTopology t = LeaderClaims.of(LAYOUT.slotMap(), null, SELF);
        assertEquals(1, t.ranges().size());
        assertEquals(SELF, t.masterOf(16383));
    }
}
