package io.basalt.router.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every shard's replicas live and which replica is its preferred leader. Immutable; node
 * references are indexes into {@link #nodes()}, so plans are compared and counted cheaply.
 *
 * <p>The preferred leader is a hint the metadata group hands to Raft (leadership transfer), not
 * a guarantee: elections may move leadership; rebalancing moves it back.
 */
public final class PlacementPlan {

    private final List<NodeSpec> nodes;
    /** replicas.get(shard) = node indexes, in placement order. */
    private final List<int[]> replicas;
    private final int[] leaders;

    PlacementPlan(List<NodeSpec> nodes, List<int[]> replicas, int[] leaders) {
        this.nodes = List.copyOf(nodes);
        List<int[]> copy = new ArrayList<>(replicas.size());
        for (int[] r : replicas) {
            copy.add(r.clone());
        }
        this.replicas = Collections.unmodifiableList(copy);
        this.leaders = leaders.clone();
        if (leaders.length != replicas.size()) {
            throw new IllegalArgumentException("one leader per shard: " + leaders.length + " != " + replicas.size());
        }
        for (int s = 0; s < leaders.length; s++) {
            if (!contains(replicas.get(s), leaders[s])) {
                throw new IllegalArgumentException("shard " + s + ": leader is not one of its replicas");
            }
        }
    }

    public List<NodeSpec> nodes() { return nodes; }

    public int shardCount() { return replicas.size(); }

    /** Node indexes hosting the shard's replicas (a copy). */
    public int[] replicasOf(int shard) { return replicas.get(shard).clone(); }

    /** Node index of the shard's preferred leader. */
    public int leaderOf(int shard) { return leaders[shard]; }

    /** Replicas hosted per node, indexed like {@link #nodes()}. */
    public int[] replicaCounts() {
        int[] counts = new int[nodes.size()];
        for (int[] r : replicas) {
            for (int n : r) {
                counts[n]++;
            }
        }
        return counts;
    }

    /** Preferred leaderships per node, indexed like {@link #nodes()}. */
    public int[] leaderCounts() {
        int[] counts = new int[nodes.size()];
        for (int n : leaders) {
            counts[n]++;
        }
        return counts;
    }

    /** Distinct zones among a shard's replicas. */
    public int zonesOf(int shard) {
        Map<String, Boolean> zones = new HashMap<>();
        for (int n : replicas.get(shard)) {
            zones.put(nodes.get(n).zone(), Boolean.TRUE);
        }
        return zones.size();
    }

    static boolean contains(int[] array, int value) {
        return contains(array, value, array.length);
    }

    /** Whether {@code array[0..length)} holds {@code value}. */
    static boolean contains(int[] array, int value, int length) {
        for (int i = 0; i < length; i++) {
            if (array[i] == value) {
                return true;
            }
        }
        return false;
    }
}
