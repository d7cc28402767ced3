package io.basalt.node.meta;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the node agent may do to the Raft server of its node: the groups it hosts. */
public interface GroupHost {

    /** A shard group this node hosts, as its agent reports it. */
    record Hosted(UUID groupId, boolean leader, long appliedIndex, long term) {}

    /** The shard groups hosted here now (not the metadata group). */
    List<Hosted> hosted();

    /**
     * Starts a replica of a group. With {@code members} empty it joins a running group: it waits,
     * without campaigning, until the group's leader adds it by a configuration change. With
     * members (node id to Raft address) it bootstraps a new group together with them.
     */
    void addGroup(UUID groupId, Map<String, String> members) throws IOException;

    /** Stops this node's replica of a group it is no longer a member of; its directory is kept, renamed. */
    void removeGroup(UUID groupId) throws IOException;
}
