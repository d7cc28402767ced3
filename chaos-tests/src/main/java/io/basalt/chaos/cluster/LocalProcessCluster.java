package io.basalt.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nodes and gateway as processes on 127.0.0.1: they can be killed, paused and restarted, but the
 * network between them cannot be hurt (all share loopback), so {@link #network()} is empty.
 */
public final class LocalProcessCluster extends JarCluster {

    public LocalProcessCluster(ClusterOptions options) throws IOException {
        super(options);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    protected Map<String, InetSocketAddress> prepare(List<String> nodes, int[] ports) {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            addresses.put(nodes.get(i), new InetSocketAddress("127.0.0.1", ports[i]));
        }
        return addresses;
    }

    @Override
    public boolean canChangeMembership() {
        return true;
    }

    @Override
    protected InetSocketAddress addressForNewNode(String node) throws IOException {
        return new InetSocketAddress("127.0.0.1", FreePorts.loopback(1)[0]);
    }

    @Override
    public Optional<NetworkFaults> network() {
        return Optional.empty();
    }
}
