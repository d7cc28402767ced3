package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import java.util.Random;

/**
 * SIGSTOP to one node (random or the leader): a process that is alive but silent, like a long GC
 * pause; healing sends SIGCONT and the node wakes up with stale beliefs (a paused leader still
 * thinks it leads).
 */
public final class PauseNemesis implements Nemesis {

    private final Target target;

    public PauseNemesis(Target target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "pause-" + target.label();
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        Target.Choice choice = target.pick(cluster, random);
        cluster.pause(choice.node());
        return new HealOnce("paused " + choice.described(), () -> {
            if (cluster.isRunning(choice.node())) {
                cluster.resume(choice.node());
            }
        });
    }
}
