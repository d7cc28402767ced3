package io.basalt.router.client;

import com.google.protobuf.UnsafeByteOperations;
import io.basalt.proto.internal.Command;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import io.basalt.router.raft.RaftLimits;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to the shard that owns their keys and returns each command's reply, encoded as
 * the engine wrote it. Used by every front end of the gateway (RESP, gRPC).
 *
 * <p>Failures become replies, never exceptions: a read that found no leader in time gets
 * {@link ErrorReplies#CLUSTERDOWN}; a write that did not complete in time gets
 * {@link ErrorReplies#UNKNOWN_OUTCOME}, because it may have been applied and must not be sent
 * again behind the client's back.
 */
public final class RoutingClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

    private final RoutingConfig config;
    private final RaftProperties properties = new RaftProperties();
    private final Map<String, ShardClient> shards = new ConcurrentHashMap<>();
    private volatile SlotMap slotMap;

    public RoutingClient(SlotMap slotMap, RoutingConfig config) {
        this.slotMap = slotMap;
        this.config = config;
        RaftLimits.apply(properties);
    }

    public SlotMap slotMap() {
        return slotMap;
    }

    /**
     * Executes a command whose spec says it runs on a shard. Keyed commands go to the shard of
     * their first key; keyless ones (DBSIZE, SCAN, ...) to the first shard, the only one until
     * cluster mode.
     *
     * @param affinity a stable number per client connection; commands with the same affinity
     *     are applied in the order they were submitted
     */
    public CompletableFuture<byte[]> execute(CommandSpec spec, List<byte[]> argv, int affinity) {
        return executeGroup(spec.isWrite(), List.of(spec), List.of(argv), affinity).get(0);
    }

    /**
     * Executes consecutive commands of one connection, all writes or all reads, keeping their
     * order. The reads of a group are executed together at one point of the shard's history.
     */
    public List<CompletableFuture<byte[]>> executeGroup(boolean write, List<CommandSpec> specs, List<List<byte[]>> argvs,
                                                        int affinity) {
        // One shard owns every slot until cluster mode; then callers split runs by shard.
        return executeOn(shardOf(specs.get(0), argvs.get(0)), write, specs, argvs, affinity);
    }

    /** Executes one command on a given shard, as a write (through the log) or a linearizable read. */
    public CompletableFuture<byte[]> execute(ShardInfo shard, boolean write, CommandSpec spec, List<byte[]> argv, int affinity) {
        return executeOn(shard, write, List.of(spec), List.of(argv), affinity).get(0);
    }

    /**
     * Sends a read on its own (not batched) to the shard of its first key: for reads that may be
     * held on the shard, such as a blocked client's long poll. A failure is a
     * {@link ErrorReplies#CLUSTERDOWN} reply.
     */
    public CompletableFuture<byte[]> readAlone(CommandSpec spec, List<byte[]> argv, int affinity) {
        ShardInfo shard = shardOf(spec, argv);
        ShardClient client = shards.computeIfAbsent(shard.groupId(),
            id -> new ShardClient(RaftGroups.toRaftGroup(shard), properties, config));
        Command.Builder command = Command.newBuilder();
        argv.forEach(a -> command.addArgs(UnsafeByteOperations.unsafeWrap(a)));
        return client.readAlone(affinity, command.build()).exceptionally(error -> failureReply(false, error));
    }

    private List<CompletableFuture<byte[]>> executeOn(ShardInfo shard, boolean viaLog, List<CommandSpec> specs,
                                                      List<List<byte[]>> argvs, int affinity) {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(argvs.size());
        List<Command> commands = new ArrayList<>(argvs.size());
        List<Integer> sent = new ArrayList<>(argvs.size());
        for (int i = 0; i < argvs.size(); i++) {
            Command.Builder command = Command.newBuilder();
            for (byte[] arg : argvs.get(i)) {
                command.addArgs(UnsafeByteOperations.unsafeWrap(arg));
            }
            Command built = command.build();
            if (built.getSerializedSize() > config.commandBytesMax()) {
                replies.add(CompletableFuture.completedFuture(new RespWriter(128)
                    .error(String.format(ErrorReplies.COMMAND_TOO_LARGE, config.commandBytesMax())).toByteArray()));
            } else {
                replies.add(null);
                commands.add(built);
                sent.add(i);
            }
        }
        if (commands.isEmpty()) {
            return replies;
        }
        ShardClient client = shards.computeIfAbsent(shard.groupId(),
            id -> new ShardClient(RaftGroups.toRaftGroup(shard), properties, config));
        // Only a ReadIndex read group must stay whole (one state for all of them); log commands
        // are kept in order by the Ratis client and may span batches.
        List<CompletableFuture<byte[]>> submitted = client.submit(viaLog, !viaLog, affinity, commands);
        for (int j = 0; j < submitted.size(); j++) {
            boolean mayHaveApplied = viaLog && specs.get(sent.get(j)).isWrite();
            replies.set(sent.get(j), submitted.get(j).exceptionally(error -> failureReply(mayHaveApplied, error)));
        }
        return replies;
    }

    private ShardInfo shardOf(CommandSpec spec, List<byte[]> argv) {
        int[] keys = spec.keyPositions(argv);
        SlotMap map = slotMap;
        if (keys.length == 0) {
            int slot = slotArgument(spec, argv);
            return slot >= 0 ? map.shardOfSlot(slot) : map.shards().get(0);
        }
        return map.shardOfKey(argv.get(keys[0]));
    }

    /**
     * CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT name a slot instead of a key: they go to the shard
     * owning it. -1 for other commands and for a bad slot, which any shard refuses with Redis's error.
     */
    private static int slotArgument(CommandSpec spec, List<byte[]> argv) {
        if (!spec.name().equals("cluster|countkeysinslot") && !spec.name().equals("cluster|getkeysinslot")) {
            return -1;
        }
        Long slot = io.basalt.router.text.RedisIntegers.parse(argv.get(2));
        return slot == null || slot < 0 || slot >= io.basalt.router.slot.HashSlot.SLOT_COUNT ? -1 : (int) (long) slot;
    }

    /**
     * The reply for a command that got no answer. A shard that refused the entry (the state
     * machine rejected it before it was appended) gives a definite error; otherwise a write may
     * have been applied and says so, and a read says the shard is unavailable.
     */
    private static byte[] failureReply(boolean mayHaveApplied, Throwable error) {
        LOG.debug("{} failed: {}", mayHaveApplied ? "write" : "read", error.toString());
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StateMachineException) {
                return new RespWriter(160).error("ERR the shard refused the command: " + t.getMessage()).toByteArray();
            }
        }
        return new RespWriter(160).error(mayHaveApplied ? ErrorReplies.UNKNOWN_OUTCOME : ErrorReplies.CLUSTERDOWN).toByteArray();
    }

    /** Average commands per batch so far over every shard (for INFO and benchmarks), or 0. */
    public double averageBatchSize() {
        long batches = 0;
        long commands = 0;
        for (ShardClient c : shards.values()) {
            long[] s = c.batchStats();
            batches += s[0];
            commands += s[1];
        }
        return batches == 0 ? 0 : (double) commands / batches;
    }

    @Override
    public void close() throws IOException {
        for (ShardClient c : shards.values()) {
            c.close();
        }
        shards.clear();
    }
}
