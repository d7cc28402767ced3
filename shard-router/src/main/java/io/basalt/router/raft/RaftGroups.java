package io.basalt.router.raft;

import io.basalt.router.slot.ShardInfo;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/** Conversions between Basalt's topology types and Ratis's, and Ratis settings both sides share. */
public final class RaftGroups {
    private RaftGroups() {}

    public static RaftGroupId groupId(ShardInfo shard) {
        return RaftGroupId.valueOf(UUID.fromString(shard.groupId()));
    }

    public static RaftGroup toRaftGroup(ShardInfo shard) {
        List<RaftPeer> peers = shard.replicas().stream()
            .map(r -> RaftPeer.newBuilder().setId(r.peerId()).setAddress(r.raftAddress()).build())
            .toList();
        return RaftGroup.valueOf(groupId(shard), peers);
    }

    /** Election timeouts, as server properties (clients ignore them). */
    public static void applyTimeouts(RaftProperties p, RaftTimeouts timeouts) {
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(timeouts.electionMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(timeouts.electionMax().toMillis()));
    }

    public static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }
}
