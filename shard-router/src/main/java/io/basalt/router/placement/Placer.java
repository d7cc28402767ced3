package io.basalt.router.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where shard replicas live: a pure, deterministic function of its inputs (node list in
 * the given order, shard count, replication factor), so the metadata group's leader and a test
 * compute the same plan, and a new leader recomputes what its predecessor would have.
 *
 * <p><b>Replicas.</b> Shards are placed one after another; each replica goes to the node that
 * (1) is not already hosting the shard, (2) sits in the zone the shard uses least so far (distinct
 * zones whenever there are at least as many zones as replicas), (3) hosts the fewest replicas,
 * (4) comes first in the node list. Because every shard takes one replica per zone (when zones ≥
 * replicas), picking the least loaded node of a zone keeps nodes of one zone within one replica
 * of each other; zones of unequal size differ by what their sizes force.
 *
 * <p><b>Leaders.</b> Each shard first prefers its replica with the fewest leaderships so far;
 * then a repair pass moves a shard's leadership to another of its replicas while that lowers the
 * leader's count by at least two relative to the other (each move lowers the sum of squared
 * counts, so the pass ends). A node's leaderships are where its writes are ordered, so an
 * unbalanced leader map is a hot node even when replicas are balanced.
 *
 * <p><b>Failures.</b> {@link #replaceDead} moves every replica of dead nodes to live ones, one
 * replica per shard per step: a Raft membership change commits only with a live majority, so a
 * shard that has lost its majority is reported, never "repaired" by dropping replicas.
 *
 * <p>Cost: O(shards × replicas × nodes) for a placement (2,000 shards × 3 × 500 nodes is a few
 * million comparisons); it runs when the topology changes, never per command.
 */
public final class Placer {

    private Placer() {}

    /** One replica moved off a dead node. */
    public record Move(int shard, int fromNode, int toNode) {}

    /**
     * The result of replacing dead nodes' replicas.
     *
     * @param plan the new plan (dead nodes host nothing)
     * @param moves one per replica that was on a dead node, at most one per shard per dead node
     * @param lostMajority shards that had fewer live replicas than a majority: left as they
     *     were, because no membership change can commit without a majority (operator action)
     */
    public record Replacement(PlacementPlan plan, List<Move> moves, List<Integer> lostMajority) {}

    /** Places {@code shardCount} shards of {@code replicationFactor} replicas on {@code nodes}. */
    public static PlacementPlan place(List<NodeSpec> nodes, int shardCount, int replicationFactor) {
        if (replicationFactor < 1 || replicationFactor > nodes.size()) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " needs 1.." + nodes.size() + " nodes");
        }
        checkUniqueIds(nodes);
        int[] zoneOf = zoneIndexes(nodes);
        int[] load = new int[nodes.size()];
        List<int[]> replicas = new ArrayList<>(shardCount);
        for (int s = 0; s < shardCount; s++) {
            int[] chosen = new int[replicationFactor];
            for (int r = 0; r < replicationFactor; r++) {
                chosen[r] = pick(zoneOf, load, chosen, r, Set.of());
                load[chosen[r]]++;
            }
            replicas.add(chosen);
        }
        int[] leaders = chooseLeaders(nodes.size(), replicas, Set.of());
        return new PlacementPlan(nodes, replicas, leaders);
    }

    /** Re-places every replica hosted by a node in {@code deadNodes} (indexes into the plan's nodes). */
    public static Replacement replaceDead(PlacementPlan plan, Set<Integer> deadNodes) {
        List<NodeSpec> nodes = plan.nodes();
        int[] zoneOf = zoneIndexes(nodes);
        int[] load = plan.replicaCounts();
        List<int[]> replicas = new ArrayList<>(plan.shardCount());
        List<Move> moves = new ArrayList<>();
        List<Integer> lost = new ArrayList<>();
        for (int s = 0; s < plan.shardCount(); s++) {
            int[] r = plan.replicasOf(s);
            int live = 0;
            for (int n : r) {
                live += deadNodes.contains(n) ? 0 : 1;
            }
            if (live == r.length) {
                replicas.add(r);
                continue;
            }
            if (live < r.length / 2 + 1) {
                lost.add(s);
                replicas.add(r);
                continue;
            }
            // Score zones by the live replicas only: the replacement refills the zone the dead
            // replica left (when a live node there can take it), keeping the shard's spread.
            int[] kept = new int[live];
            int k = 0;
            for (int n : r) {
                if (!deadNodes.contains(n)) {
                    kept[k++] = n;
                }
            }
            int[] next = java.util.Arrays.copyOf(kept, r.length);
            for (int i = 0; i < r.length; i++) {
                if (deadNodes.contains(r[i])) {
                    int to = pick(zoneOf, load, next, k, deadNodes);
                    next[k++] = to;
                    load[r[i]]--;
                    load[to]++;
                    moves.add(new Move(s, r[i], to));
                }
            }
            replicas.add(next);
        }
        int[] leaders = chooseLeaders(nodes.size(), replicas, deadNodes);
        return new Replacement(new PlacementPlan(nodes, replicas, leaders), moves, lost);
    }

    /**
     * The best node for the next replica of a shard that already has {@code chosen[0..count)}:
     * least used zone of the shard, then fewest replicas, then first in the list.
     */
    private static int pick(int[] zoneOf, int[] load, int[] chosen, int count, Set<Integer> excluded) {
        Map<Integer, Integer> zoneUse = new HashMap<>();
        for (int i = 0; i < count; i++) {
            zoneUse.merge(zoneOf[chosen[i]], 1, Integer::sum);
        }
        int best = -1;
        int bestZoneUse = Integer.MAX_VALUE;
        int bestLoad = Integer.MAX_VALUE;
        for (int n = 0; n < load.length; n++) {
            if (excluded.contains(n) || PlacementPlan.contains(chosen, n, count)) {
                continue;
            }
            int zu = zoneUse.getOrDefault(zoneOf[n], 0);
            if (zu < bestZoneUse || (zu == bestZoneUse && load[n] < bestLoad)) {
                best = n;
                bestZoneUse = zu;
                bestLoad = load[n];
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no live node left to host a replica");
        }
        return best;
    }

    /** Greedy preferred leaders, then the repair pass described in the class comment. */
    static int[] chooseLeaders(int nodeCount, List<int[]> replicas, Set<Integer> deadNodes) {
        int[] count = new int[nodeCount];
        int[] leaders = new int[replicas.size()];
        for (int s = 0; s < replicas.size(); s++) {
            int best = -1;
            for (int n : replicas.get(s)) {
                if (!deadNodes.contains(n) && (best < 0 || count[n] < count[best])) {
                    best = n;
                }
            }
            leaders[s] = best < 0 ? replicas.get(s)[0] : best;
            count[leaders[s]]++;
        }
        boolean moved = true;
        // Each move lowers the sum of squared counts by at least 2, so this loop is bounded by it.
        while (moved) {
            moved = false;
            for (int s = 0; s < replicas.size(); s++) {
                for (int n : replicas.get(s)) {
                    if (!deadNodes.contains(n) && count[leaders[s]] - count[n] >= 2) {
                        count[leaders[s]]--;
                        count[n]++;
                        leaders[s] = n;
                        moved = true;
                    }
                }
            }
        }
        return leaders;
    }

    private static int[] zoneIndexes(List<NodeSpec> nodes) {
        Map<String, Integer> zones = new HashMap<>();
        int[] zoneOf = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            zoneOf[i] = zones.computeIfAbsent(nodes.get(i).zone(), z -> zones.size());
        }
        return zoneOf;
    }

    private static void checkUniqueIds(List<NodeSpec> nodes) {
        Map<String, Integer> seen = new HashMap<>();
        for (NodeSpec n : nodes) {
            if (seen.put(n.id(), 1) != null) {
                throw new IllegalArgumentException("node id appears twice: " + n.id());
            }
        }
    }
}
