package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Which node a single-node fault hits: one drawn at random, or the shard's current leader. */
public enum Target {
    RANDOM("random"),
    LEADER("leader");

    private final String label;

    Target(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A chosen node and how to describe the choice ("n2 (leader)", "n3"). */
    record Choice(String node, String note) {
        String described() {
            return note.isEmpty() ? node : node + " (" + note + ")";
        }
    }

    /**
     * Picks among the running nodes. With LEADER and no leader right now (an election is on),
     * falls back to a random running node and says so, rather than waiting or failing.
     */
    Choice pick(ClusterBackend cluster, Random random) {
        List<String> running = new ArrayList<>();
        for (String node : cluster.nodes()) {
            if (cluster.isRunning(node)) {
                running.add(node);
            }
        }
        if (running.isEmpty()) {
            throw new IllegalStateException("no running node to hit");
        }
        if (this == LEADER) {
            Optional<String> leader = cluster.leader();
            if (leader.isPresent() && running.contains(leader.get())) {
                return new Choice(leader.get(), "leader");
            }
            return new Choice(running.get(random.nextInt(running.size())), "no leader; random");
        }
        return new Choice(running.get(random.nextInt(running.size())), "");
    }
}
