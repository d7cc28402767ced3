package io.basalt.router.placement;

import java.util.Objects;

/**
 * A node that can host shard replicas, and the failure domain it sits in.
 *
 * @param id unique, stable node id
 * @param zone failure domain label (an availability zone, a rack); nodes of one zone are assumed
 *     to fail together, so placement keeps a shard's replicas in distinct zones when it can
 */
public record NodeSpec(String id, String zone) {
    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
    }
}
