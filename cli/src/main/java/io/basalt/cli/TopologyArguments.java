package io.basalt.cli;

import io.basalt.router.topology.StaticTopology;
import picocli.CommandLine.Option;

/**
 * The cluster layout options {@code basalt node} and {@code basalt gateway} share, so both build
 * the same {@link StaticTopology} from the same flags (every process of a cluster must be given
 * the same --peers, --shards and --replicas).
 */
final class TopologyArguments {

    @Option(names = "--peers", required = true, description = "Every node: id=host:port,id=host:port,... (Raft addresses).")
    String peers;

    @Option(names = "--shards", defaultValue = "1", description = "Number of shards, 1-1024 (default ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--replicas", defaultValue = "0",
        description = "Replicas per shard, 1-7 and at most the number of peers; shard i lives on peers i..i+R-1 "
            + "(mod the number of peers). Default: every peer replicates every shard.")
    int replicas;

    @Option(names = "--meta-replicas", defaultValue = "0",
        description = "Replicas of the metadata group, hosted by the first N of --peers (1-7; 3 or 5 in production). "
            + "0 (the default) runs without one: the layout is fixed by these flags. With one, nodes register, "
            + "report health and host what it assigns; basalt admin add-node/remove-node/add-shard/rebalance/status use it.")
    int metaReplicas;

    StaticTopology topology() {
        return replicas == 0 ? StaticTopology.parse(peers, shards) : StaticTopology.parse(peers, shards, replicas);
    }
}
