package io.basalt.router.meta;

import io.basalt.router.raft.NonBlockingReconnectRpc;
import io.basalt.router.raft.RaftLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis admin calls on one shard's group, as the metadata controller makes them: a configuration
 * change that only applies if the group still has the configuration the caller believes it has
 * (compare-and-set, so a deposed controller can never undo a newer change), and leadership
 * transfer. A fresh client per call, over the addresses known at that moment: these calls are
 * rare (operator actions and failures), and a fresh client never carries a stale leader.
 */
public final class GroupAdmin {

    private final Duration timeout;

    public GroupAdmin(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Changes the group's voters from {@code current} to {@code next} (joint consensus; new
     * members catch up before the change commits). Both maps are node id to Raft address.
     */
    public void changeMembers(UUID groupId, Map<String, String> current, Map<String, String> next) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(current);
        all.putAll(next);
        try (RaftClient c = client(groupId, all)) {
            RaftClientReply r = c.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(peers(current)).setServersInNewConf(peers(next))
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build());
            if (!r.isSuccess()) {
                throw new IOException("configuration change " + current.keySet() + " -> " + next.keySet() + " failed: "
                    + r.getException());
            }
        }
    }

    /** Moves the group's leadership to {@code target}, waiting up to the timeout for it to lead. */
    public void transferLeadership(UUID groupId, Map<String, String> members, String target) throws IOException {
        try (RaftClient c = client(groupId, members)) {
            RaftClientReply r = c.admin().transferLeadership(RaftPeerId.valueOf(target), timeout.toMillis());
            if (!r.isSuccess()) {
                throw new IOException("leadership transfer to " + target + " failed: " + r.getException());
            }
        }
    }

    /** The voters of the group's configuration as {@code nodeId}'s replica knows it, or null if it has none. */
    public List<String> members(UUID groupId, String nodeId, String address) throws IOException {
        try (RaftClient c = client(groupId, Map.of(nodeId, address))) {
            org.apache.ratis.protocol.GroupInfoReply r = c.getGroupManagementApi(RaftPeerId.valueOf(nodeId))
                .info(RaftGroupId.valueOf(groupId));
            return r.getConf().map(conf -> conf.getPeersList().stream().map(p -> p.getId().toStringUtf8()).toList())
                .orElse(null);
        }
    }

    private RaftClient client(UUID groupId, Map<String, String> nodes) {
        RaftProperties p = new RaftProperties();
        RaftLimits.apply(p);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return NonBlockingReconnectRpc.newClientBuilder(p)
            .setRaftGroup(RaftGroup.valueOf(RaftGroupId.valueOf(groupId), peers(nodes)))
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
            .build();
    }

    private static List<RaftPeer> peers(Map<String, String> nodes) {
        return nodes.entrySet().stream()
            .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build())
            .toList();
    }
}
