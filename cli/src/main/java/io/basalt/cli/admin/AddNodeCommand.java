package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.NodeHealth;
import io.basalt.proto.internal.NodeState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin add-node --node ID}: a node joins by starting with {@code basalt node --id ID
 * --address HOST:PORT} and the cluster's bootstrap flags; it registers itself with the metadata
 * group. This command waits until it has registered and reports, then rebalances replicas,
 * leaders and (with --slots) slots onto it, showing progress (as {@code basalt admin rebalance}).
 */
@Command(name = "add-node", mixinStandardHelpOptions = true,
    description = "Wait for a started node to register, then rebalance replicas, leaders and slots onto it.")
public final class AddNodeCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--node", required = true, description = "The new node's id (started with basalt node --id ID --address ...).")
    String node;

    @Option(names = "--no-rebalance", description = "Only wait for the node to register.")
    boolean noRebalance;

    @Option(names = "--slots", defaultValue = "even", paramLabel = "even|none",
        description = "How the rebalance spreads slots over shards (default ${DEFAULT-VALUE}).")
    String slots;

    @Option(names = "--timeout-ms", defaultValue = "300000", description = "How long to wait for each phase.")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        GatewayAddress address = GatewayAddress.parse("add-node", target);
        if (address == null) {
            return 2;
        }
        try (MetaAdmin admin = new MetaAdmin(address, 30_000)) {
            System.out.println("waiting for node " + node + " to register and report");
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (!reporting(admin.status())) {
                if (System.nanoTime() > deadline) {
                    System.err.println("basalt admin add-node: node " + node + " did not register within " + timeoutMs / 1000
                        + " s (start it with basalt node --id " + node + " --address HOST:PORT and the cluster's --peers,"
                        + " --shards, --replicas and --meta-replicas)");
                    return 1;
                }
                Thread.sleep(250); // polling interval while waiting for an external process
            }
            System.out.println("node " + node + " is up");
        } catch (java.io.IOException e) {
            System.err.println("basalt admin add-node: " + e.getMessage());
            return 1;
        }
        if (noRebalance) {
            return 0;
        }
        RebalanceCommand rebalance = new RebalanceCommand();
        rebalance.target = target;
        rebalance.slots = slots;
        rebalance.timeoutMs = timeoutMs;
        return rebalance.call();
    }

    private boolean reporting(MetaReply status) {
        boolean up = status.getState().getNodesList().stream()
            .anyMatch(n -> n.getId().equals(node) && n.getState() == NodeState.NODE_UP);
        NodeHealth h = status.getHealthList().stream().filter(x -> x.getNodeId().equals(node)).findFirst().orElse(null);
        return up && h != null && h.getMillisSinceHeartbeat() >= 0 && h.getMillisSinceHeartbeat() < 5000;
    }
}
