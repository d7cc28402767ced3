package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NetworkFaults;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/** Delays the packets one node (random or the leader) sends; needs the kernel's netem qdisc. */
public final class LatencyNemesis implements Nemesis {

    private final Target target;
    private final Duration delay;
    private final Duration jitter;

    /** 100 ms +- 50 ms: about a third of the default election timeout. */
    public LatencyNemesis(Target target) {
        this(target, Duration.ofMillis(100), Duration.ofMillis(50));
    }

    public LatencyNemesis(Target target, Duration delay, Duration jitter) {
        this.target = target;
        this.delay = delay;
        this.jitter = jitter;
    }

    @Override
    public String name() {
        return "latency-" + target.label();
    }

    @Override
    public Optional<String> unsupported(ClusterBackend cluster) {
        Optional<String> network = NetworkNemeses.unsupported("latency", cluster);
        if (network.isPresent()) {
            return network;
        }
        if (!cluster.network().get().supportsLatency()) {
            return Optional.of("latency needs the kernel's netem qdisc (tc qdisc ... netem), which this kernel lacks (no sch_netem)");
        }
        return Optional.empty();
    }

    @Override
    public Fault start(ClusterBackend cluster, Random random) throws Exception {
        Optional<String> why = unsupported(cluster);
        if (why.isPresent()) {
            throw new UnsupportedOperationException(why.get());
        }
        NetworkFaults network = cluster.network().get();
        Target.Choice choice = target.pick(cluster, random);
        network.latency(choice.node(), delay, jitter);
        return new HealOnce("delayed packets from " + choice.described() + " by " + delay.toMillis() + " +- "
            + jitter.toMillis() + " ms", network::heal);
    }
}
