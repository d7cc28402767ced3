package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import java.util.Random;

/** SIGKILL to one node (random or the leader); healing starts it again on the same data. */
public final class KillNemesis implements Nemesis {

    private final Target target;

    public KillNemesis(Target target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "kill-" + target.label();
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        Target.Choice choice = target.pick(cluster, random);
        cluster.kill(choice.node());
        return new HealOnce("killed " + choice.described(), () -> {
            if (!cluster.isRunning(choice.node())) {
                cluster.restart(choice.node());
            }
        });
    }
}
