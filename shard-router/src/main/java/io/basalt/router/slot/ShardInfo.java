package io.basalt.router.slot;

import java.util.List;

/**
 * A shard: one Raft group and the addresses of its replicas' Raft servers.
 *
 * @param groupId the Raft group id, a UUID in text form
 * @param replicas the replicas, in a stable order
 */
public record ShardInfo(String groupId, List<Replica> replicas) {

    public ShardInfo {
        replicas = List.copyOf(replicas);
    }

    /** One replica of a shard: the Raft peer id and its Raft (gRPC) address, host:port. */
    public record Replica(String peerId, String raftAddress) {}
}
