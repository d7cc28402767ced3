package io.basalt.router.topology;

import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster described on the command line: the Raft peers ({@code id=host:port,...}) and the
 * number of shards, each shard a group replicated on every peer. Group ids are derived from the
 * shard number, so every node and gateway given the same description agrees on them without a
 * metadata service. (The metadata group of cluster mode replaces this; until then a fixed
 * description is all the topology there is.)
 */
public final class StaticTopology {

    private final Map<String, String> peers;
    private final List<ShardInfo> shards;

    private StaticTopology(Map<String, String> peers, int shardCount) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one peer");
        }
        if (shardCount != 1) {
            throw new IllegalArgumentException("only one shard is supported until cluster mode lands, got " + shardCount);
        }
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        List<ShardInfo.Replica> replicas = new ArrayList<>();
        peers.forEach((id, address) -> replicas.add(new ShardInfo.Replica(id, address)));
        List<ShardInfo> list = new ArrayList<>();
        for (int i = 0; i < shardCount; i++) {
            list.add(new ShardInfo(groupIdOf(i).toString(), replicas));
        }
        this.shards = List.copyOf(list);
    }

    /**
     * Parses {@code "n1=127.0.0.1:9861,n2=127.0.0.1:9862"}; peer order is kept.
     */
    public static StaticTopology parse(String peerList, int shardCount) {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String item : peerList.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1 || trimmed.indexOf(':', eq) < 0) {
                throw new IllegalArgumentException("peer '" + trimmed + "' is not of the form id=host:port");
            }
            String id = trimmed.substring(0, eq);
            if (peers.put(id, trimmed.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("peer id '" + id + "' appears twice");
            }
        }
        return new StaticTopology(peers, shardCount);
    }

    /** The Raft group id of shard {@code n}: a name-based UUID, identical everywhere. */
    public static UUID groupIdOf(int shard) {
        return UUID.nameUUIDFromBytes(("basalt-shard-" + shard).getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, String> peers() { return peers; }

    public List<ShardInfo> shards() { return shards; }

    public SlotMap slotMap() {
        return SlotMap.singleShard(1, shards.get(0));
    }

    /** The peer list in the form {@link #parse} reads. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        shards.get(0).replicas().forEach(r -> b.append(b.isEmpty() ? "" : ",").append(r.peerId()).append('=').append(r.raftAddress()));
        return b.toString();
    }
}
