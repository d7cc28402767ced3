package io.basalt.gateway;

import io.basalt.router.command.CommandSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a RESP connection sends its shard commands. In production it is
 * {@link io.basalt.router.client.RoutingClient#executeGroup}; tests put a fake here to control
 * when and in what order replies complete.
 */
@FunctionalInterface
public interface ShardExecutor {

    /**
     * Executes consecutive commands of one connection, keeping their order: through the log
     * ({@code viaLog}), or as one linearizable read group. Returns one future per command, each
     * completing with the reply in Basalt's internal encoding ({@link io.basalt.router.reply.RespWriter}).
     */
    List<CompletableFuture<byte[]>> executeGroup(boolean viaLog, List<CommandSpec> specs, List<List<byte[]>> argvs,
                                                 int affinity);

    /**
     * As above; {@code replicaRead} marks a read group of a READONLY connection, which followers
     * may serve (production: RoutingClient's replica reads). Fakes ignore it.
     */
    default List<CompletableFuture<byte[]>> executeGroup(boolean viaLog, boolean replicaRead, List<CommandSpec> specs,
                                                         List<List<byte[]>> argvs, int affinity) {
        return executeGroup(viaLog, specs, argvs, affinity);
    }

    /**
     * Sends one read on its own, not batched with others: a blocked client's long poll, which
     * the shard may hold for a second. Production sends it outside the read batcher.
     */
    default CompletableFuture<byte[]> poll(CommandSpec spec, List<byte[]> argv, int affinity) {
        return executeGroup(false, List.of(spec), List.of(argv), affinity).get(0);
    }
}
