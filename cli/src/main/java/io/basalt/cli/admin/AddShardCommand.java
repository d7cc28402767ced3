package io.basalt.cli.admin;

import io.basalt.proto.internal.AddShard;
import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin add-shard}: creates a shard (a new Raft group), placed by the metadata group
 * when it applies the request (distinct zones, least loaded nodes), waits until its group has a leader and gateways see
 * it. It owns no slots: {@code basalt admin rebalance} moves slots onto it.
 */
@Command(name = "add-shard", mixinStandardHelpOptions = true,
    description = "Create a new shard (owning no slots until a rebalance moves some to it).")
public final class AddShardCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--replicas", defaultValue = "3", description = "Replicas of the new shard (default ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--timeout-ms", defaultValue = "60000", description = "How long to wait for the shard to start.")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        GatewayAddress address = GatewayAddress.parse("add-shard", target);
        if (address == null) {
            return 2;
        }
        try (MetaAdmin admin = new MetaAdmin(address, 30_000)) {
            // the metadata group places it (zones, then load) when it applies the entry
            MetaReply after = admin.write(MetaRequest.newBuilder().setAddShard(AddShard.newBuilder()
                .setReplication(replicas)).build());
            int index = after.getState().getShardsCount() - 1;
            System.out.println("shard " + index + " placed on " + String.join(",", after.getState().getShards(index).getMembersList())
                + "; starting its group");
            new MetaProgress(admin, System.out).await("starting shard " + index,
                s -> s.getState().getShards(index).getCreated(), timeoutMs);
            admin.slotRangesWhenKnown(index, timeoutMs);
            System.out.println("shard " + index + " is running; it owns no slots yet (basalt admin rebalance moves some to it)");
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("basalt admin add-shard: " + e.getMessage());
            return 1;
        }
    }
}
