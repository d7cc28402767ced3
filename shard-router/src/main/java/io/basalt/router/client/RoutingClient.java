package io.basalt.router.client;

import com.google.protobuf.UnsafeByteOperations;
import io.basalt.proto.internal.Command;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
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
        return executeOn(shardOf(specs.get(0), argvs.get(0)), write, argvs, affinity);
    }

    /** Executes one command on a given shard, as a write (through the log) or a linearizable read. */
    public CompletableFuture<byte[]> execute(ShardInfo shard, boolean write, List<byte[]> argv, int affinity) {
        return executeOn(shard, write, List.of(argv), affinity).get(0);
    }

    private List<CompletableFuture<byte[]>> executeOn(ShardInfo shard, boolean write, List<List<byte[]>> argvs, int affinity) {
        List<Command> commands = new ArrayList<>(argvs.size());
        for (List<byte[]> argv : argvs) {
            Command.Builder command = Command.newBuilder();
            for (byte[] arg : argv) {
                command.addArgs(UnsafeByteOperations.unsafeWrap(arg));
            }
            commands.add(command.build());
        }
        ShardClient client = shards.computeIfAbsent(shard.groupId(),
            id -> new ShardClient(RaftGroups.toRaftGroup(shard), properties, config));
        long deadlineMs = (write ? config.writeTimeout() : config.readTimeout()).toMillis() + 2000;
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(commands.size());
        for (CompletableFuture<byte[]> reply : client.submit(write, affinity, commands)) {
            replies.add(reply.orTimeout(deadlineMs, TimeUnit.MILLISECONDS).exceptionally(error -> failureReply(write, error)));
        }
        return replies;
    }

    private ShardInfo shardOf(CommandSpec spec, List<byte[]> argv) {
        int[] keys = spec.keyPositions(argv.size());
        SlotMap map = slotMap;
        return keys.length == 0 ? map.shards().get(0) : map.shardOfKey(argv.get(keys[0]));
    }

    private static byte[] failureReply(boolean write, Throwable error) {
        LOG.debug("{} failed: {}", write ? "write" : "read", error.toString());
        return new RespWriter(160).error(write ? ErrorReplies.UNKNOWN_OUTCOME : ErrorReplies.CLUSTERDOWN).toByteArray();
    }

    /** The slot a key hashes to; exposed for CLUSTER KEYSLOT and tests. */
    public static int slotOf(byte[] key) {
        return HashSlot.of(key);
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
