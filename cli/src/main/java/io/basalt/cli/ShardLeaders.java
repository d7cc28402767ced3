package io.basalt.cli;

import io.basalt.router.raft.RaftGroups;
import io.basalt.router.slot.ShardInfo;
import java.util.Optional;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;

/** Asks a shard's replicas which of them leads (Ratis group info), for operators and drills. */
public final class ShardLeaders {
    private ShardLeaders() {}

    /** The peer id of the shard's leader, or empty when no reachable replica says it leads. */
    public static Optional<String> leaderOf(ShardInfo shard) {
        RaftGroup group = RaftGroups.toRaftGroup(shard);
        for (RaftPeer peer : group.getPeers()) {
            try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(group).build()) {
                GroupInfoReply info = client.getGroupManagementApi(peer.getId()).info(group.getGroupId());
                if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    return Optional.of(peer.getId().toString());
                }
            } catch (Exception e) {
                // this replica is down or unreachable; ask the next one
            }
        }
        return Optional.empty();
    }
}
