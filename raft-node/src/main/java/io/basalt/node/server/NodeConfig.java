package io.basalt.node.server;

import io.basalt.router.raft.RaftTimeouts;
import io.basalt.router.topology.StaticTopology;
import java.nio.file.Path;

/**
 * What a storage node needs to start.
 *
 * @param peerId this node's id in the topology (its Raft peer id)
 * @param topology every peer and shard of the cluster
 * @param dataDir where Raft logs (and later snapshots) live; one subdirectory per group
 * @param timeouts election timeouts; every node of a cluster should use the same
 * @param storage durability, snapshot and log settings
 */
public record NodeConfig(String peerId, StaticTopology topology, Path dataDir, RaftTimeouts timeouts,
        StorageOptions storage) {

    public NodeConfig(String peerId, StaticTopology topology, Path dataDir, RaftTimeouts timeouts) {
        this(peerId, topology, dataDir, timeouts, StorageOptions.DEFAULT);
    }

    public NodeConfig {
        if (!topology.peers().containsKey(peerId)) {
            throw new IllegalArgumentException("peer id '" + peerId + "' is not among the peers " + topology.describe());
        }
    }

    /** host:port of this node's Raft server. */
    public String raftAddress() {
        return topology.peers().get(peerId);
    }

    public String raftHost() {
        String address = raftAddress();
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int raftPort() {
        String address = raftAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
