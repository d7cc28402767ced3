package io.basalt.gateway.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a gateway presents itself to cluster-aware clients.
 *
 * <p><b>Enabled</b> (Redis Cluster semantics): CLUSTER, READONLY, READWRITE and ASKING are
 * answered, HELLO says mode "cluster", CONFIG GET cluster-enabled says yes, and commands whose keys
 * must share a slot get CROSSSLOT. <b>Disabled</b> (the default, as a managed cache's "cluster
 * mode disabled"): the gateway is a standalone Redis; those commands get Redis's "cluster
 * support disabled" error and multi-key commands take keys of any slots. Disabled is the default
 * because it is today's behaviour, and an application that works against one Redis keeps working:
 * enabling cluster mode is the operator's decision, as choosing the cluster-mode-enabled
 * configuration is on a managed service, and every client must then respect slots.
 *
 * @param enabled whether cluster mode is on
 * @param announce the address this gateway gives clients, or null for its RESP listener's
 * @param others the other gateways, as clients should reach them; order kept, duplicates dropped
 * @param leaders {@code --cluster-slots leaders}: each shard's slots are claimed by the gateway beside
 *     its leader (from the metadata group; see {@link LeaderClaims}) and other slots are answered
 *     with MOVED; false: this gateway claims every slot
 */
public record ClusterSettings(boolean enabled, GatewayNode announce, List<GatewayNode> others, boolean leaders) {

    public static final ClusterSettings DISABLED = new ClusterSettings(false, null, List.of());

    public ClusterSettings(boolean enabled, GatewayNode announce, List<GatewayNode> others) {
        this(enabled, announce, others, false);
    }

    public ClusterSettings {
        Set<GatewayNode> unique = new LinkedHashSet<>(others);
        if (announce != null) {
            unique.remove(announce);
        }
        others = List.copyOf(new ArrayList<>(unique));
    }

    /**
     * Parses {@code --cluster-gateways}: {@code host:port} or {@code name=host:port} items separated
     * by commas (the name is for the operator's reading; the node id comes from the address).
     */
    public static List<GatewayNode> parseGateways(String list) {
        List<GatewayNode> nodes = new ArrayList<>();
        if (list == null) {
            return nodes;
        }
        for (String item : list.split(",")) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            nodes.add(GatewayNode.parse(eq >= 0 ? t.substring(eq + 1) : t));
        }
        return nodes;
    }
}
