package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import java.util.Optional;

/** What the network nemeses share: they need a backend that can hurt the network. */
final class NetworkNemeses {
    private NetworkNemeses() {}

    static final String NEEDS_NETNS =
        "it needs network namespaces (run as root with ip netns and iptables: the netns backend)";

    static Optional<String> unsupported(String what, ClusterBackend cluster) {
        if (cluster.network().isEmpty()) {
            return Optional.of(what + ": " + NEEDS_NETNS + "; the " + cluster.name() + " backend cannot cut links between nodes");
        }
        return Optional.empty();
    }
}
