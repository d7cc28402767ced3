package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans replica and leader rebalancing over the metadata state: greedy, one replica at a time
 * from the most to the least loaded up node, never two replicas of a shard on one node and never
 * fewer distinct zones for a shard than before; then preferred leaders spread so that no node
 * prefers-leads more than one shard above another, where replicas allow.
 */
final class ReplicaBalance {
    private ReplicaBalance() {}

    record Move(int shard, String from, String to) {}

    static List<Move> plan(MetaState state) {
        List<List<String>> desired = new ArrayList<>();
        state.getShardsList().forEach(s -> desired.add(new ArrayList<>(s.getDesiredList())));
        Map<String, String> zone = new HashMap<>();
        List<String> up = new ArrayList<>();
        for (MetaNode n : state.getNodesList()) {
            zone.put(n.getId(), n.getZone());
            if (n.getState() == NodeState.NODE_UP) {
                up.add(n.getId());
            }
        }
        List<Move> moves = new ArrayList<>();
        for (int guard = 0; guard < 10_000 && up.size() > 1; guard++) {
            Map<String, Integer> load = new HashMap<>();
            up.forEach(n -> load.put(n, 0));
            desired.forEach(d -> d.forEach(n -> load.computeIfPresent(n, (k, v) -> v + 1)));
            List<String> byLoad = new ArrayList<>(up);
            byLoad.sort((a, b) -> load.get(a) != load.get(b).intValue() ? load.get(a) - load.get(b) : up.indexOf(a) - up.indexOf(b));
            Move found = null;
            search:
            for (int hi = byLoad.size() - 1; hi > 0 && found == null; hi--) {
                for (int lo = 0; lo < hi; lo++) {
                    String from = byLoad.get(hi);
                    String to = byLoad.get(lo);
                    if (load.get(from) - load.get(to) <= 1) {
                        break;
                    }
                    for (int s = 0; s < desired.size(); s++) {
                        List<String> d = desired.get(s);
                        if (d.contains(from) && !d.contains(to) && zonesAfter(d, from, to, zone) >= zones(d, zone)) {
                            found = new Move(s, from, to);
                            break search;
                        }
                    }
                }
            }
            if (found == null) {
                break;
            }
            List<String> d = desired.get(found.shard());
            d.set(d.indexOf(found.from()), found.to());
            moves.add(found);
        }
        return moves;
    }

    /** Each shard's desired replicas after the moves. */
    static List<List<String>> desiredAfter(MetaState state, List<Move> moves) {
        List<List<String>> desired = new ArrayList<>();
        state.getShardsList().forEach(s -> desired.add(new ArrayList<>(s.getDesiredList())));
        for (Move m : moves) {
            List<String> d = desired.get(m.shard());
            d.set(d.indexOf(m.from()), m.to());
        }
        return desired;
    }

    /** A preferred leader per shard, among its desired replicas, keeping current choices where balance allows. */
    static List<String> preferredLeaders(MetaState state) {
        List<String> leaders = new ArrayList<>();
        Map<String, Integer> count = new HashMap<>();
        for (MetaShard s : state.getShardsList()) {
            String l = s.getDesiredList().contains(s.getPreferredLeader()) ? s.getPreferredLeader() : s.getDesired(0);
            leaders.add(l);
            count.merge(l, 1, Integer::sum);
        }
        for (int guard = 0; guard < 10_000; guard++) {
            boolean moved = false;
            for (MetaShard s : state.getShardsList()) {
                String cur = leaders.get(s.getIndex());
                for (String cand : s.getDesiredList()) {
                    if (count.getOrDefault(cur, 0) - count.getOrDefault(cand, 0) >= 2) {
                        count.merge(cur, -1, Integer::sum);
                        count.merge(cand, 1, Integer::sum);
                        leaders.set(s.getIndex(), cand);
                        moved = true;
                        break;
                    }
                }
            }
            if (!moved) {
                break;
            }
        }
        return leaders;
    }

    private static int zones(List<String> nodes, Map<String, String> zone) {
        Set<String> z = new HashSet<>();
        nodes.forEach(n -> z.add(zone.get(n)));
        return z.size();
    }

    private static int zonesAfter(List<String> nodes, String from, String to, Map<String, String> zone) {
        List<String> next = new ArrayList<>(nodes);
        next.set(next.indexOf(from), to);
        return zones(next, zone);
    }
}
