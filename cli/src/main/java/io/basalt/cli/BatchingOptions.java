package io.basalt.cli;

import io.basalt.router.client.RoutingConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The gateway's batching options, shared by {@code basalt gateway} and {@code basalt local}. */
final class BatchingOptions {

    @Option(names = "--raft-clients-per-shard", defaultValue = "2",
        description = "Gateway: Ratis clients per shard; connections spread over them (default ${DEFAULT-VALUE}).")
    int clientsPerShard;

    @Option(names = "--batches-in-flight", defaultValue = "1",
        description = "Gateway: batches each Ratis client keeps outstanding before commands wait for the next one (default ${DEFAULT-VALUE}).")
    int batchesInFlight;

    // Hidden: the chaos tests' proof that their checker is not vacuous. Never for real use.
    @Option(names = "--unsafe-stale-reads", hidden = true,
        description = "TEST ONLY: serve reads from any replica without ReadIndex (not linearizable).")
    boolean unsafeStaleReads;

    RoutingConfig routingConfig() {
        RoutingConfig d = RoutingConfig.DEFAULT;
        return new RoutingConfig(clientsPerShard, batchesInFlight, d.batchCommandsMax(), d.batchBytesMax(),
            d.commandBytesMax(), d.writeTimeout(), d.readTimeout(), d.retrySleep(), unsafeStaleReads);
    }

    /** The same options as command-line arguments, to pass on to a gateway process. */
    List<String> asArguments() {
        List<String> args = new ArrayList<>(List.of("--raft-clients-per-shard", Integer.toString(clientsPerShard),
            "--batches-in-flight", Integer.toString(batchesInFlight)));
        if (unsafeStaleReads) {
            args.add("--unsafe-stale-reads");
        }
        return args;
    }
}
