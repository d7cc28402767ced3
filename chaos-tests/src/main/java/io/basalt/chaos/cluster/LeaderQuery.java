package io.basalt.chaos.cluster;

import io.basalt.router.raft.RaftGroups;
import io.basalt.router.topology.StaticTopology;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Asks every node of the shard for its Ratis group info and names the leader. Unlike cli's
 * ShardLeaders (first replica that says "leader"), it asks all of them and takes the highest
 * term: a leader cut off from its followers can still call itself leader for a moment after the
 * majority elected another one. Each call is bounded, so a paused node costs one timeout.
 */
final class LeaderQuery {
    private LeaderQuery() {}

    static Optional<String> leaderOf(String peerList) {
        RaftGroup group = RaftGroups.toRaftGroup(StaticTopology.parse(peerList, 1).shards().get(0));
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(1500, TimeUnit.MILLISECONDS));
        String best = null;
        long bestTerm = -1;
        for (RaftPeer peer : group.getPeers()) {
            try (RaftClient client = RaftClient.newBuilder().setProperties(properties).setRaftGroup(group)
                    .setRetryPolicy(RetryPolicies.noRetry()).build()) {
                GroupInfoReply info = client.getGroupManagementApi(peer.getId()).info(group.getGroupId());
                if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    long term = info.getRoleInfoProto().getLeaderInfo().getTerm();
                    if (term > bestTerm) {
                        bestTerm = term;
                        best = peer.getId().toString();
                    }
                }
            } catch (Exception e) {
                // down, paused or unreachable: it is not the leader we can report
            }
        }
        return Optional.ofNullable(best);
    }
}
