package io.basalt.node.server;

import java.time.Duration;

/**
 * The node's part in the metadata group.
 *
 * @param replicas how many of the first --peers host the metadata group; 0 = no metadata group
 *     (a fixed layout, as before it existed)
 * @param zone this node's zone label, for placement (replicas of a shard go to distinct zones)
 * @param gatewayAddress host:port of the RESP gateway running beside this node, if any (cluster
 *     clients are sent there), else empty
 * @param deadAfter how long the metadata leader waits without a heartbeat before it declares the
 *     node dead and re-places its replicas
 */
public record MetaOptions(int replicas, String zone, String gatewayAddress, Duration deadAfter) {

    public static final MetaOptions NONE = new MetaOptions(0, "", "", Duration.ofSeconds(30));

    public boolean enabled() {
        return replicas > 0;
    }
}
