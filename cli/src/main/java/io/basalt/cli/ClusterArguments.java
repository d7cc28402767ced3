package io.basalt.cli;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.cluster.GatewayNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a gateway presents itself to cluster-aware clients; shared by {@code basalt gateway} and
 * {@code basalt local}. See io.basalt.gateway.cluster.ClusterSettings for what each mode means.
 */
final class ClusterArguments {

    enum Mode { enabled, disabled }

    @Option(names = "--cluster-mode", defaultValue = "disabled",
        description = "Gateway: 'enabled' answers CLUSTER SLOTS/NODES/SHARDS... so cluster clients (JedisCluster, "
            + "Lettuce cluster, redis-cli -c) work, and refuses multi-key commands across slots with CROSSSLOT; "
            + "'disabled' behaves as one Redis server (default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--cluster-announce", paramLabel = "host:port",
        description = "Gateway: the address cluster clients are told to use for this gateway (default: its RESP listener).")
    String announce;

    @Option(names = "--cluster-gateways", paramLabel = "name=host:port,...",
        description = "Gateway: the other gateways, listed to cluster clients as replicas of this one (default: none).")
    String gateways;

    enum Slots { all, leaders }

    @Option(names = "--cluster-slots", defaultValue = "all", paramLabel = "all|leaders",
        description = "Gateway, cluster mode: 'all' claims every slot (any gateway serves any key; for proxies and "
            + "load balancers); 'leaders' (needs --meta-replicas, and nodes started with --gateway-address) presents "
            + "each shard's slots at the gateway beside its leader and answers MOVED for the others, so cluster "
            + "clients send each command straight to its leader's node (default ${DEFAULT-VALUE}).")
    Slots slots;

    @Option(names = "--replica-reads", defaultValue = "linearizable", paramLabel = "stale|linearizable",
        description = "Gateway: how reads of READONLY connections (cluster mode) are served by followers: 'stale' "
            + "(a connection reads its own writes; others' may be missed for about 100 ms, INFO replication says how "
            + "long) or 'linearizable' (a read index confirmed by the leader; default ${DEFAULT-VALUE}). "
            + "CONFIG SET replica-reads changes it.")
    String replicaReads;

    /** --replica-reads, checked. */
    io.basalt.router.client.ReplicaReadMode replicaReadMode() {
        io.basalt.router.client.ReplicaReadMode m = io.basalt.router.client.ReplicaReadMode.parse(replicaReads);
        if (m == null) {
            throw new IllegalArgumentException("--replica-reads must be stale or linearizable, not " + replicaReads);
        }
        return m;
    }

    ClusterSettings settings() {
        return new ClusterSettings(mode == Mode.enabled, announce == null ? null : GatewayNode.parse(announce),
            ClusterSettings.parseGateways(gateways), slots == Slots.leaders);
    }

    /** The same options as command-line arguments, to pass on to a gateway process. */
    List<String> asArguments() {
        List<String> args = new ArrayList<>(List.of("--cluster-mode", mode.name(), "--replica-reads", replicaReadMode().value(),
            "--cluster-slots", slots.name()));
        if (announce != null) {
            args.add("--cluster-announce");
            args.add(announce);
        }
        if (gateways != null) {
            args.add("--cluster-gateways");
            args.add(gateways);
        }
        return args;
    }
}
