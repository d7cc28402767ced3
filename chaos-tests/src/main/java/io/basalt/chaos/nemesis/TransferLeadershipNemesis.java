package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NodeControl;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Moves the shard's leadership to a random running follower with Ratis's admin
 * transferLeadership: a clean, fast leader change (the old leader stops taking writes, the
 * target catches up and campaigns at once), which exercises the gateway's re-routing and the
 * in-flight writes of the old term. Heal: nothing; the new leader stays.
 */
public final class TransferLeadershipNemesis implements Nemesis {

    private final NodeControl control = new NodeControl(Duration.ofSeconds(5));

    @Override
    public String name() {
        return "transfer-leadership";
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        String leader = cluster.leader().orElseThrow(() -> new IllegalStateException("no leader to move"));
        List<String> followers = cluster.nodes().stream().filter(n -> !n.equals(leader) && cluster.isRunning(n)).toList();
        if (followers.isEmpty()) {
            throw new IllegalStateException("no running follower to take over from " + leader);
        }
        String target = followers.get(random.nextInt(followers.size()));
        control.transferLeadership(cluster.raftAddresses(), target);
        String description = "moved leadership from " + leader + " to " + target;
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() {
                // a leader change needs no undoing
            }
        };
    }
}
