package io.basalt.router.meta;

import io.basalt.router.slot.ShardInfo;
import io.basalt.router.topology.StaticTopology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the metadata group lives: a Raft group of a fixed id on the first {@code replicas} peers
 * of the bootstrap peer list (the designated nodes). Every process given the same --peers and
 * --meta-replicas computes the same group, as with the shards' genesis layout.
 */
public final class MetaGroup {

    /** The metadata group's Raft group id: name-based, identical everywhere. */
    public static final UUID GROUP_ID = UUID.nameUUIDFromBytes("basalt-meta".getBytes(StandardCharsets.UTF_8));
    public static final int REPLICAS_MAX = 7;

    private MetaGroup() {}

    /**
     * The metadata group's replicas: the first {@code replicas} peers (fewer if there are fewer
     * peers), in --peers order.
     */
    public static ShardInfo of(StaticTopology topology, int replicas) {
        if (replicas < 1 || replicas > REPLICAS_MAX) {
            throw new IllegalArgumentException("--meta-replicas must be 1-" + REPLICAS_MAX + ", not " + replicas);
        }
        List<ShardInfo.Replica> members = new ArrayList<>();
        for (Map.Entry<String, String> peer : topology.peers().entrySet()) {
            if (members.size() == replicas) {
                break;
            }
            members.add(new ShardInfo.Replica(peer.getKey(), peer.getValue()));
        }
        return new ShardInfo(GROUP_ID.toString(), members);
    }

    /** Whether {@code peerId} hosts a replica of the metadata group. */
    public static boolean hosts(StaticTopology topology, int replicas, String peerId) {
        return of(topology, replicas).replicas().stream().anyMatch(r -> r.peerId().equals(peerId));
    }

    /** The shard index of a group id, for shards of the genesis layout and shards added later (up to SHARDS_MAX). */
    public static int shardIndexOf(String groupId) {
        for (int i = 0; i < StaticTopology.SHARDS_MAX; i++) {
            if (StaticTopology.groupIdOf(i).toString().equals(groupId)) {
                return i;
            }
        }
        return -1;
    }
}
