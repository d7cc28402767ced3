package io.basalt.router.meta;

import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.router.slot.ShardInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The metadata state's shard table as the routing client's shard list. */
public final class MetaShards {
    private MetaShards() {}

    /**
     * One ShardInfo per shard, in index order, its replicas the recorded members plus desired
     * replicas being added (a client that knows every replica finds the leader wherever it moves).
     */
    public static List<ShardInfo> of(MetaState state) {
        Map<String, String> address = new HashMap<>();
        for (MetaNode n : state.getNodesList()) {
            address.put(n.getId(), n.getRaftAddress());
        }
        List<ShardInfo> out = new ArrayList<>(state.getShardsCount());
        for (MetaShard s : state.getShardsList()) {
            List<ShardInfo.Replica> replicas = new ArrayList<>();
            for (String id : s.getMembersList()) {
                replicas.add(new ShardInfo.Replica(id, address.get(id)));
            }
            for (String id : s.getDesiredList()) {
                if (!s.getMembersList().contains(id)) {
                    replicas.add(new ShardInfo.Replica(id, address.get(id)));
                }
            }
            out.add(new ShardInfo(s.getGroupId(), replicas));
        }
        return out;
    }
}
