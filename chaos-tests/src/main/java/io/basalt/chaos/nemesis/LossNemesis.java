package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NetworkFaults;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/** Drops a share of the packets one node (random or the leader) sends to its peers. */
public final class LossNemesis implements Nemesis {

    private final Target target;
    private final double minProbability;
    private final double maxProbability;

    /** Loss between 20% and 40%. */
    public LossNemesis(Target target) {
        this(target, 0.2, 0.4);
    }

    public LossNemesis(Target target, double minProbability, double maxProbability) {
        if (!(0 < minProbability && minProbability <= maxProbability && maxProbability <= 1)) {
            throw new IllegalArgumentException("need 0 < min <= max <= 1: " + minProbability + ", " + maxProbability);
        }
        this.target = target;
        this.minProbability = minProbability;
        this.maxProbability = maxProbability;
    }

    @Override
    public String name() {
        return "loss-" + target.label();
    }

    @Override
    public Optional<String> unsupported(ClusterBackend cluster) {
        return NetworkNemeses.unsupported("packet loss", cluster);
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        NetworkFaults network = cluster.network().orElseThrow(() -> new IllegalStateException(unsupported(cluster).orElse("")));
        Target.Choice choice = target.pick(cluster, random);
        // whole percents, so the description is the rule that was installed
        double p = Math.round((minProbability + random.nextDouble() * (maxProbability - minProbability)) * 100) / 100.0;
        network.loss(choice.node(), p);
        return new HealOnce(String.format(Locale.ROOT, "%.0f%% loss from %s", p * 100, choice.described()), network::heal);
    }
}
