package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NodeControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Replaces a replica: starts a fresh node that joins the group ({@code basalt node --join}, via
 * {@link ClusterBackend#addNode()}), changes the configuration to the old members minus a random
 * one plus the new node (Ratis setConfiguration: joint consensus; the new node first catches up
 * from the leader's log or a snapshot), then stops the removed node. The leader may be the one
 * replaced: it hands over after the change commits. Heal: nothing; the cluster keeps three
 * members, the new one among them (putting the old one back would be a second replacement).
 */
public final class MembershipNemesis implements Nemesis {

    private final NodeControl control = new NodeControl(Duration.ofSeconds(30));

    @Override
    public String name() {
        return "replace-replica";
    }

    @Override
    public Optional<String> unsupported(ClusterBackend cluster) {
        return cluster.canChangeMembership() ? Optional.empty()
            : Optional.of(cluster.name() + " backend cannot add and remove nodes");
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        List<String> members = new ArrayList<>(cluster.nodes());
        String old = members.get(random.nextInt(members.size()));
        String fresh = cluster.addNode();
        List<String> next = new ArrayList<>(members);
        next.remove(old);
        next.add(fresh);
        control.setConfiguration(cluster.raftAddresses(), next);
        cluster.removeNode(old);
        String description = "replaced " + old + " by " + fresh + " (members now " + String.join(",", next) + ")";
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() {
                // the new configuration is a healthy one; nothing to undo
            }
        };
    }
}
