package io.basalt.node.meta;

import io.basalt.proto.internal.AddShard;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import io.basalt.proto.internal.SetDesired;
import io.basalt.router.meta.MetaPlacement;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.topology.StaticTopology;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata group's replicated state and the rules for changing it: pure, so every replica
 * applying the same entries reaches the same state, and unit tests need no Raft.
 *
 * <p>The genesis state is derived from the bootstrap layout (every process is given the same
 * --peers, --shards and --replicas): the peers as nodes, the shards with their replicas. Zones and
 * gateway addresses arrive when nodes register.
 */
public final class MetaRegistry {

    private MetaState state;

    public MetaRegistry(MetaState initial) {
        this.state = initial;
    }

    /** The state the bootstrap layout describes, at epoch 1. */
    public static MetaState genesis(StaticTopology topology) {
        MetaState.Builder b = MetaState.newBuilder().setEpoch(1);
        for (Map.Entry<String, String> peer : topology.peers().entrySet()) {
            b.addNodes(MetaNode.newBuilder().setId(peer.getKey()).setRaftAddress(peer.getValue()).setState(NodeState.NODE_UP));
        }
        for (int i = 0; i < topology.shards().size(); i++) {
            List<String> replicas = topology.shards().get(i).replicas().stream().map(ShardInfo.Replica::peerId).toList();
            b.addShards(MetaShard.newBuilder().setIndex(i).setGroupId(topology.shards().get(i).groupId())
                .addAllMembers(replicas).addAllDesired(replicas).setPreferredLeader(replicas.get(0)).setCreated(true));
        }
        return b.build();
    }

    public synchronized MetaState state() {
        return state;
    }

    /**
     * Applies a write. Returns null on success, else why it was refused (the state is then
     * unchanged; a refusal is deterministic, so every replica refuses alike).
     */
    public synchronized String apply(MetaRequest request) {
        return switch (request.getOpCase()) {
            case REGISTER_NODE -> register(request.getRegisterNode());
            case SET_DESIRED -> setDesired(request.getSetDesired());
            case SET_MEMBERS -> {
                int shard = request.getSetMembers().getShard();
                if (shard < 0 || shard >= state.getShardsCount()) {
                    yield "no shard " + shard;
                }
                String bad = checkNodes(request.getSetMembers().getMembersList(), null);
                if (bad != null) {
                    yield bad;
                }
                MetaShard s = state.getShards(shard).toBuilder().clearMembers()
                    .addAllMembers(request.getSetMembers().getMembersList()).build();
                yield commit(state.toBuilder().setShards(shard, s));
            }
            case SET_NODE_STATE -> setNodeState(request.getSetNodeState().getNodeId(), request.getSetNodeState().getState());
            case ADD_SHARD -> addShard(request.getAddShard());
            case MARK_CREATED -> {
                int shard = request.getMarkCreated().getShard();
                if (shard < 0 || shard >= state.getShardsCount()) {
                    yield "no shard " + shard;
                }
                yield commit(state.toBuilder().setShards(shard, state.getShards(shard).toBuilder().setCreated(true)));
            }
            default -> "not a metadata write: " + request.getOpCase();
        };
    }

    private String register(MetaNode node) {
        if (node.getId().isEmpty() || node.getRaftAddress().isEmpty()) {
            return "a node registers with an id and a Raft address";
        }
        int at = nodeIndex(node.getId());
        // a node that comes back after being declared dead or removed is up again (its old
        // replicas were re-placed; it gets new ones from rebalancing); draining stays draining
        NodeState next = at >= 0 && state.getNodes(at).getState() == NodeState.NODE_DRAINING
            ? NodeState.NODE_DRAINING : NodeState.NODE_UP;
        MetaNode updated = node.toBuilder().setState(next).build();
        if (at >= 0 && state.getNodes(at).equals(updated)) {
            return null;
        }
        MetaState.Builder b = state.toBuilder();
        if (at >= 0) {
            b.setNodes(at, updated);
        } else {
            b.addNodes(updated);
        }
        return commit(b);
    }

    private String setDesired(SetDesired change) {
        if (change.getExpectedEpoch() != 0 && change.getExpectedEpoch() != state.getEpoch()) {
            return "epoch is " + state.getEpoch() + ", not " + change.getExpectedEpoch();
        }
        int shard = change.getShard();
        if (shard < 0 || shard >= state.getShardsCount()) {
            return "no shard " + shard;
        }
        String bad = checkNodes(change.getDesiredList(), state.getShards(shard).getMembersList());
        if (bad != null) {
            return bad;
        }
        if (!change.getPreferredLeader().isEmpty() && !change.getDesiredList().contains(change.getPreferredLeader())) {
            return "preferred leader " + change.getPreferredLeader() + " is not a desired replica";
        }
        MetaShard s = state.getShards(shard).toBuilder().clearDesired().addAllDesired(change.getDesiredList())
            .setPreferredLeader(change.getPreferredLeader().isEmpty() ? change.getDesired(0) : change.getPreferredLeader())
            .build();
        return commit(state.toBuilder().setShards(shard, s));
    }

    /**
     * A node that starts draining or is declared dead gives up its desired replicas, each to the
     * node placement picks (a shard for which no node qualifies keeps it, and shows it in status);
     * the controller then adds each replacement before it removes the node.
     */
    private String setNodeState(String id, NodeState next) {
        int at = nodeIndex(id);
        if (at < 0) {
            return "no node " + id;
        }
        MetaState.Builder b = state.toBuilder().setNodes(at, state.getNodes(at).toBuilder().setState(next));
        if (next == NodeState.NODE_DRAINING || next == NodeState.NODE_DEAD) {
            for (int i = 0; i < b.getShardsCount(); i++) {
                MetaShard shard = b.getShards(i);
                if (!shard.getDesiredList().contains(id)) {
                    continue;
                }
                String to = MetaPlacement.pick(b.build(), shard, List.of(id));
                if (to == null) {
                    continue;
                }
                List<String> desired = new java.util.ArrayList<>(shard.getDesiredList());
                desired.set(desired.indexOf(id), to);
                String leader = shard.getPreferredLeader().equals(id) ? to : shard.getPreferredLeader();
                b.setShards(i, shard.toBuilder().clearDesired().addAllDesired(desired).setPreferredLeader(leader));
            }
        }
        return commit(b);
    }

    private String addShard(AddShard add) {
        if (state.getShardsCount() >= StaticTopology.SHARDS_MAX) {
            return "at most " + StaticTopology.SHARDS_MAX + " shards";
        }
        if (add.getReplicasCount() == 0) {
            // placed here, when the entry is applied: the same on every replica of this group
            List<String> placed = MetaPlacement.newShard(state, add.getReplication());
            if (placed.size() < Math.max(1, add.getReplication())) {
                return "only " + placed.size() + " node(s) can take a replica, " + add.getReplication() + " asked";
            }
            add = add.toBuilder().addAllReplicas(placed).setPreferredLeader(placed.get(0)).build();
        }
        String bad = checkNodes(add.getReplicasList(), List.of());
        if (bad != null) {
            return bad;
        }
        int index = state.getShardsCount();
        String leader = add.getPreferredLeader().isEmpty() ? add.getReplicas(0) : add.getPreferredLeader();
        return commit(state.toBuilder().addShards(MetaShard.newBuilder().setIndex(index)
            .setGroupId(StaticTopology.groupIdOf(index).toString()).addAllMembers(add.getReplicasList())
            .addAllDesired(add.getReplicasList()).setPreferredLeader(leader).setCreated(false)));
    }

    /**
     * Null if the ids name distinct known nodes; when placing (current members given), nodes that
     * are not already members must be up: draining, dead and removed nodes take no new replicas.
     */
    private String checkNodes(List<String> ids, List<String> currentMembers) {
        if (ids.isEmpty() || ids.size() > StaticTopology.REPLICAS_MAX) {
            return "a shard has 1-" + StaticTopology.REPLICAS_MAX + " replicas, not " + ids.size();
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                return "node " + id + " named twice";
            }
            int at = nodeIndex(id);
            if (at < 0) {
                return "no node " + id;
            }
            NodeState s = state.getNodes(at).getState();
            if (currentMembers != null && s != NodeState.NODE_UP && !currentMembers.contains(id)) {
                return "node " + id + " is " + s.name().substring(5).toLowerCase() + " and takes no new replicas";
            }
        }
        return null;
    }

    private int nodeIndex(String id) {
        for (int i = 0; i < state.getNodesCount(); i++) {
            if (state.getNodes(i).getId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private String commit(MetaState.Builder next) {
        state = next.setEpoch(state.getEpoch() + 1).build();
        return null;
    }
}
