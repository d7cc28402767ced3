package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NodeControl;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Skews one node's clock (the leader's half of the time, else a random node's) by ±100 ms to
 * ±60 s, through the node-local channel: Basalt's nodes take time from {@code NodeClock}, whose
 * offset this sets, so the machine's clock is left alone. The nodes must run with
 * {@code --allow-fault-injection}. Heal: offset 0 (a node restarted meanwhile is at 0 already).
 *
 * <p>What it probes: leaders stamp entries with their clock and applying takes max(stamp, last
 * time), so a leader ahead expires keys early for everyone and one behind changes nothing until
 * it catches up; reads judge expiry by the serving leader's clock.
 */
public final class ClockSkewNemesis implements Nemesis {

    private final NodeControl control = new NodeControl(Duration.ofSeconds(5));

    @Override
    public String name() {
        return "clock-skew";
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        List<String> running = cluster.nodes().stream().filter(cluster::isRunning).toList();
        if (running.isEmpty()) {
            throw new IllegalStateException("no running node to skew");
        }
        String node = random.nextBoolean() && cluster.leader().isPresent() && cluster.isRunning(cluster.leader().get())
            ? cluster.leader().get()
            : running.get(random.nextInt(running.size()));
        long magnitude = 100 + (long) (random.nextDouble() * (60_000 - 100));
        long offset = random.nextBoolean() ? magnitude : -magnitude;
        boolean wasLeader = cluster.leader().map(node::equals).orElse(false);
        control.setClockOffset(cluster.raftAddresses(), node, offset);
        String description = "skewed " + node + (wasLeader ? " (leader)" : "") + " clock by " + offset + " ms";
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() throws Exception {
                if (cluster.nodes().contains(node) && cluster.isRunning(node)) {
                    control.setClockOffset(cluster.raftAddresses(), node, 0);
                }
            }
        };
    }
}
