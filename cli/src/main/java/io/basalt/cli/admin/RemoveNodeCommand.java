package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.NodeState;
import io.basalt.proto.internal.SetNodeState;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin remove-node --node ID}: moves every replica off the node first (the metadata
 * group marks it draining and gives each of its replicas to the node placement picks, added before the old one is removed, so every shard keeps its full
 * replication throughout), then marks it removed. The node process can be stopped afterwards.
 */
@Command(name = "remove-node", mixinStandardHelpOptions = true,
    description = "Move a node's replicas to other nodes, then remove it from the cluster.")
public final class RemoveNodeCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--node", required = true, description = "The node to remove.")
    String node;

    @Option(names = "--timeout-ms", defaultValue = "300000", description = "How long to wait for the replicas to move.")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        GatewayAddress address = GatewayAddress.parse("remove-node", target);
        if (address == null) {
            return 2;
        }
        try (MetaAdmin admin = new MetaAdmin(address, 30_000)) {
            MetaReply status = admin.status();
            if (status.getMetaMembersList().contains(node)) {
                System.err.println("basalt admin remove-node: " + node + " hosts a replica of the metadata group ("
                    + String.join(",", status.getMetaMembersList()) + "); those nodes cannot be removed");
                return 1;
            }
            if (status.getState().getNodesList().stream().noneMatch(n -> n.getId().equals(node))) {
                System.err.println("basalt admin remove-node: no node " + node);
                return 1;
            }
            MetaState before = status.getState();
            // draining re-places the node's replicas as the metadata group applies it
            MetaState state = admin.write(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId(node)
                .setState(NodeState.NODE_DRAINING)).build()).getState();
            int moves = 0;
            for (MetaShard shard : state.getShardsList()) {
                if (shard.getDesiredList().contains(node)) {
                    System.err.println("basalt admin remove-node: no node can take shard " + shard.getIndex()
                        + "'s replica; the node stays draining (add a node, then rerun)");
                    return 1;
                }
                List<String> was = before.getShards(shard.getIndex()).getDesiredList();
                if (was.contains(node)) {
                    String to = shard.getDesiredList().stream().filter(n -> !was.contains(n)).findFirst().orElse("?");
                    System.out.println("shard " + shard.getIndex() + ": replica " + node + " -> " + to);
                    moves++;
                }
            }
            new MetaProgress(admin, System.out).await("moving replicas off " + node,
                s -> MetaAdmin.converged(s) && s.getState().getShardsList().stream()
                    .noneMatch(sh -> sh.getMembersList().contains(node)), timeoutMs);
            admin.write(MetaRequest.newBuilder().setSetNodeState(SetNodeState.newBuilder().setNodeId(node)
                .setState(NodeState.NODE_REMOVED)).build());
            System.out.println("node " + node + " removed (" + moves + " replica(s) moved); every shard has its full replication;"
                + " the node process may be stopped");
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("basalt admin remove-node: " + e.getMessage());
            return 1;
        }
    }
}
