package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NetworkFaults;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Cuts links between nodes (the gateway keeps reaching all of them). Kinds, after Jepsen's:
 * <ul>
 *   <li>isolate-leader: the leader alone against the rest; the rest must elect another;
 *   <li>halves: a random minority against the majority;
 *   <li>bridge: two halves that cannot talk, except through one node that sees both (5 nodes; with
 *       fewer there is no such shape, so one random node is isolated instead);
 *   <li>ring: each node hears only its two neighbours on a random ring (5+ nodes; with 3 every
 *       pair is adjacent, so nothing is cut).
 * </ul>
 */
public final class PartitionNemesis implements Nemesis {

    /** The shape of the partition. */
    public enum Kind {
        ISOLATE_LEADER("isolate-leader"),
        HALVES("halves"),
        BRIDGE("bridge"),
        RING("ring");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public PartitionNemesis(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return "partition-" + kind.label();
    }

    @Override
    public Optional<String> unsupported(ClusterBackend cluster) {
        return NetworkNemeses.unsupported("partitions", cluster);
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        NetworkFaults network = cluster.network().orElseThrow(() -> new IllegalStateException(unsupported(cluster).orElse("")));
        List<String> nodes = new ArrayList<>(cluster.nodes());
        String description = switch (kind) {
            case ISOLATE_LEADER -> {
                Target.Choice alone = Target.LEADER.pick(cluster, random);
                isolate(network, nodes, alone.node());
                yield "isolated " + alone.described();
            }
            case HALVES -> {
                Collections.shuffle(nodes, random);
                Set<String> minority = new LinkedHashSet<>(nodes.subList(0, nodes.size() / 2));
                Set<String> majority = new LinkedHashSet<>(nodes.subList(nodes.size() / 2, nodes.size()));
                network.partition(List.of(minority, majority));
                yield "partitioned " + minority + " | " + majority;
            }
            case BRIDGE -> bridge(network, nodes, random);
            case RING -> ring(network, nodes, random);
        };
        return new HealOnce(description, network::heal);
    }

    private static void isolate(NetworkFaults network, List<String> nodes, String alone) throws Exception {
        Set<String> rest = new LinkedHashSet<>(nodes);
        rest.remove(alone);
        network.partition(List.of(Set.of(alone), rest));
    }

    private static String bridge(NetworkFaults network, List<String> nodes, Random random) throws Exception {
        if (nodes.size() < 5) {
            String alone = nodes.get(random.nextInt(nodes.size()));
            isolate(network, nodes, alone);
            return "isolated " + alone + " (a bridge needs 5 nodes)";
        }
        Collections.shuffle(nodes, random);
        int half = (nodes.size() - 1) / 2;
        List<String> left = nodes.subList(0, half);
        String bridge = nodes.get(half);
        List<String> right = nodes.subList(half + 1, nodes.size());
        List<List<String>> cuts = new ArrayList<>();
        for (String a : left) {
            for (String b : right) {
                cuts.add(List.of(a, b));
            }
        }
        network.cut(cuts);
        return "bridged " + left + " <- " + bridge + " -> " + right;
    }

    private static String ring(NetworkFaults network, List<String> nodes, Random random) throws Exception {
        Collections.shuffle(nodes, random);
        int n = nodes.size();
        List<List<String>> cuts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean neighbours = j - i == 1 || (i == 0 && j == n - 1);
                if (!neighbours) {
                    cuts.add(List.of(nodes.get(i), nodes.get(j)));
                }
            }
        }
        network.cut(cuts);
        return cuts.isEmpty() ? "ring " + nodes + " (every pair adjacent: nothing cut)" : "ring " + nodes;
    }
}
