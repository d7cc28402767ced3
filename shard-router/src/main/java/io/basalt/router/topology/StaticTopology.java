package io.basalt.router.topology;

import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster described on the command line: the Raft peers ({@code id=host:port,...}), the number
 * of shards and the replicas per shard. Every node and gateway given the same description derives
 * the same layout, so no metadata service is needed (the metadata group replaces this later; the
 * {@link SlotMap} and {@link ShardInfo} types stay):
 *
 * <ul>
 *   <li>shard {@code i} (0-based) is the Raft group {@link #groupIdOf groupIdOf(i)};</li>
 *   <li>its replicas are the peers {@code (i + j) mod M}, {@code j < R}, in peer order (M peers,
 *       R replicas per shard), so replicas and first-listed replicas spread round the peers;</li>
 *   <li>it owns the contiguous slots {@code [i*16384/N, (i+1)*16384/N)} of N shards: every slot
 *       exactly once, range sizes differing by at most one;</li>
 *   <li>the slot map's epoch is 1.</li>
 * </ul>
 *
 * <p>{@link #parse(String, int)} (no replica count) puts every shard on every peer: the layout of
 * a single-shard cluster before cluster mode, kept as it was (one shard, replicated on all given
 * peers, whatever their number).
 */
public final class StaticTopology {

    public static final int SHARDS_MAX = 1024;
    public static final int REPLICAS_MAX = 7;
    /** Epoch of a slot map derived from a static description: the first and only one. */
    public static final long EPOCH = 1;

    private final Map<String, String> peers;
    private final List<ShardInfo> shards;
    private final int replicasPerShard;

    private StaticTopology(Map<String, String> peers, int shardCount, int replicasPerShard) {
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        this.replicasPerShard = replicasPerShard;
        List<ShardInfo.Replica> all = new ArrayList<>();
        peers.forEach((id, address) -> all.add(new ShardInfo.Replica(id, address)));
        int m = all.size();
        List<ShardInfo> list = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) {
            List<ShardInfo.Replica> replicas = new ArrayList<>(replicasPerShard);
            for (int j = 0; j < replicasPerShard; j++) {
                replicas.add(all.get((i + j) % m));
            }
            list.add(new ShardInfo(groupIdOf(i).toString(), replicas));
        }
        this.shards = List.copyOf(list);
    }

    /**
     * Parses {@code "n1=127.0.0.1:9861,n2=127.0.0.1:9862"} (peer order is kept) with every shard
     * replicated on every peer.
     */
    public static StaticTopology parse(String peerList, int shardCount) {
        Map<String, String> peers = parsePeers(peerList);
        checkShards(shardCount);
        return new StaticTopology(peers, shardCount, peers.size());
    }

    /**
     * Parses the peer list and lays out {@code shardCount} shards of {@code replicasPerShard}
     * replicas each (see the class comment).
     *
     * @throws IllegalArgumentException for a malformed peer list, shards outside 1..1024, replicas
     *     outside 1..7 or more replicas than peers
     */
    public static StaticTopology parse(String peerList, int shardCount, int replicasPerShard) {
        Map<String, String> peers = parsePeers(peerList);
        checkShards(shardCount);
        if (replicasPerShard < 1 || replicasPerShard > REPLICAS_MAX) {
            throw new IllegalArgumentException("replicas per shard must be between 1 and " + REPLICAS_MAX + ", got "
                + replicasPerShard);
        }
        if (replicasPerShard > peers.size()) {
            throw new IllegalArgumentException(replicasPerShard + " replicas per shard need at least as many nodes; only "
                + peers.size() + " peer(s) given");
        }
        return new StaticTopology(peers, shardCount, replicasPerShard);
    }

    private static void checkShards(int shardCount) {
        if (shardCount < 1 || shardCount > SHARDS_MAX) {
            throw new IllegalArgumentException("shards must be between 1 and " + SHARDS_MAX + ", got " + shardCount);
        }
    }

    private static Map<String, String> parsePeers(String peerList) {
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
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one peer");
        }
        return peers;
    }

    /** The Raft group id of shard {@code n}: a name-based UUID, identical everywhere. */
    public static UUID groupIdOf(int shard) {
        return UUID.nameUUIDFromBytes(("basalt-shard-" + shard).getBytes(StandardCharsets.UTF_8));
    }

    /** First slot of shard {@code shard} of {@code shardCount}: {@code shard * 16384 / shardCount}. */
    public static int firstSlot(int shard, int shardCount) {
        return (int) ((long) shard * HashSlot.SLOT_COUNT / shardCount);
    }

    public Map<String, String> peers() { return peers; }

    public List<ShardInfo> shards() { return shards; }

    public int replicasPerShard() { return replicasPerShard; }

    /** First slot shard {@code shard} owns. */
    public int firstSlot(int shard) {
        return firstSlot(shard, shards.size());
    }

    /** Last slot (inclusive) shard {@code shard} owns. */
    public int lastSlot(int shard) {
        return firstSlot(shard + 1, shards.size()) - 1;
    }

    /** The slots shard {@code shard} owns by this layout: what its group starts with. */
    public BitSet slotsOf(int shard) {
        BitSet slots = new BitSet(HashSlot.SLOT_COUNT);
        slots.set(firstSlot(shard), lastSlot(shard) + 1);
        return slots;
    }

    /** The index of the shard whose group id this is, or -1 for a group this layout does not have. */
    public int shardIndexOf(String groupId) {
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).groupId().equals(groupId)) {
                return i;
            }
        }
        return -1;
    }

    /** Indexes of the shards with a replica on {@code peerId}, ascending. */
    public List<Integer> shardsOf(String peerId) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            for (ShardInfo.Replica r : shards.get(i).replicas()) {
                if (r.peerId().equals(peerId)) {
                    out.add(i);
                    break;
                }
            }
        }
        return out;
    }

    public SlotMap slotMap() {
        int[] shardOfSlot = new int[HashSlot.SLOT_COUNT];
        for (int i = 0; i < shards.size(); i++) {
            java.util.Arrays.fill(shardOfSlot, firstSlot(i), lastSlot(i) + 1, i);
        }
        return new SlotMap(EPOCH, shardOfSlot, shards);
    }

    /** The peer list in the form {@link #parse} reads. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        peers.forEach((id, address) -> b.append(b.isEmpty() ? "" : ",").append(id).append('=').append(address));
        return b.toString();
    }
}
