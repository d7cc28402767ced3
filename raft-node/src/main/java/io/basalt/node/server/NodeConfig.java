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
 * @param address host:port of this node's Raft server when it is not one of the bootstrap peers
 *     (a node added to a running cluster), else null
 */
public record NodeConfig(String peerId, StaticTopology topology, Path dataDir, RaftTimeouts timeouts,
        StorageOptions storage, String address) {

    public NodeConfig(String peerId, StaticTopology topology, Path dataDir, RaftTimeouts timeouts) {
        this(peerId, topology, dataDir, timeouts, StorageOptions.DEFAULT);
    }

    public NodeConfig(String peerId, StaticTopology topology, Path dataDir, RaftTimeouts timeouts, StorageOptions storage) {
        this(peerId, topology, dataDir, timeouts, storage, null);
    }

    public NodeConfig {
        if (address == null && !topology.peers().containsKey(peerId)) {
            throw new IllegalArgumentException("peer id '" + peerId + "' is not among the peers " + topology.describe()
                + " (a node added to a running cluster needs its own --address)");
        }
        if (address != null && topology.peers().containsKey(peerId) && !topology.peers().get(peerId).equals(address)) {
            throw new IllegalArgumentException("peer '" + peerId + "' is at " + topology.peers().get(peerId)
                + " in --peers, not " + address);
        }
    }

    /** host:port of this node's Raft server. */
    public String raftAddress() {
        return address != null ? address : topology.peers().get(peerId);
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
