package io.basalt.router.client;

import com.google.protobuf.UnsafeByteOperations;
import io.basalt.proto.internal.Command;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to the shards that own their keys and returns each command's reply, encoded as
 * the engine wrote it. Used by every front end of the gateway (RESP, gRPC).
 *
 * <p><b>Many shards.</b> A connection's consecutive commands (a group) are split into one run per
 * shard; each run keeps the connection's order and goes out at once, so the shards work on it
 * concurrently, and each command still gets its own future, so the connection writes replies in
 * request order. A run stays on the connection's pool member of its shard (affinity), so each
 * shard applies the connection's commands in the order sent. Splittable multi-key commands and
 * keyspace-wide keyless ones become one part per shard and their replies are merged
 * ({@link ShardPlan}). With one shard, groups go out whole, exactly as before there were several.
 *
 * <p><b>Stale maps.</b> A shard refuses a command for a slot it does not own with
 * {@code -BASALTMOVED <slot>}, without executing it. The command is then re-routed with a
 * refreshed map ({@link SlotMapSource}) and sent again, at most {@link #MOVED_RETRIES} times; after
 * that the client gets {@link #movedAnswer} ({@code -MOVED slot host:port} naming this gateway in
 * cluster mode, {@code -CLUSTERDOWN The cluster is down} otherwise). Only that reply is retried:
 * a command that got no answer is never resent (below).
 *
 * <p>Failures become replies, never exceptions: a read that found no leader in time gets
 * {@link ErrorReplies#CLUSTERDOWN}; a write that did not complete in time gets
 * {@link ErrorReplies#UNKNOWN_OUTCOME}, because it may have been applied and must not be sent
 * again behind the client's back.
 */
public final class RoutingClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

    /** Times a command refused with BASALTMOVED is re-routed and resent before the client is told. */
    public static final int MOVED_RETRIES = 3;
    /**
     * How long a command for a slot being moved is retried (a frozen slot's -TRYAGAIN, or
     * BASALTMOVED when the map follows the shards' ownership) before the client gets the reply.
     */
    static final long OWNER_WAIT_NANOS = 2_000_000_000L;
    private static final long OWNER_WAIT_STEP_MAX_MS = 50;
    /** Deadline marker of a command sent to a named shard: never retried. */
    private static final long NO_RETRY = Long.MIN_VALUE;

    private final RoutingConfig config;
    private final SlotMapSource source;
    private final ShardTransport transport;
    private volatile SlotMap slotMap;
    private final RefusalOrder order = new RefusalOrder();
    private volatile IntFunction<String> movedAnswer = slot -> ErrorReplies.CLUSTER_IS_DOWN;
    /** How READONLY connections' reads are served by followers (a gateway setting, read per group). */
    private volatile java.util.function.Supplier<ReplicaReadMode> replicaReads = () -> ReplicaReadMode.LINEARIZABLE;

    public RoutingClient(SlotMap slotMap, RoutingConfig config) {
        this(SlotMapSource.fixed(slotMap), config);
    }

    public RoutingClient(SlotMapSource source, RoutingConfig config) {
        this(source, new RatisShardTransport(config), config);
    }

    /** A routing client over any transport: tests pass a fake one. */
    public RoutingClient(SlotMapSource source, ShardTransport transport, RoutingConfig config) {
        this.source = source;
        this.transport = transport;
        this.config = config;
        this.slotMap = source.current();
    }

    public SlotMap slotMap() {
        return map();
    }

    /**
     * The map to route by: the source's newest (its own timer or the metadata group may have moved
     * on: a shard added, a slot moved) or the one a BASALTMOVED refresh brought, whichever is newer.
     */
    private SlotMap map() {
        SlotMap mine = slotMap;
        SlotMap theirs = source.current();
        if (theirs != mine && theirs.epoch() > mine.epoch()) {
            slotMap = theirs;
            return theirs;
        }
        return mine;
    }

    /**
     * What a client is told when a shard still refuses a slot after the retries, given the slot
     * (the text of an error reply, without '-'). Cluster mode answers MOVED to this gateway, so
     * a cluster client refreshes its view and comes back.
     */
    public void answerMovedWith(IntFunction<String> answer) {
        this.movedAnswer = answer;
    }

    /** Where the replica-read mode comes from (the gateway's {@code replica-reads} setting). */
    public void replicaReadsFrom(java.util.function.Supplier<ReplicaReadMode> mode) {
        this.replicaReads = mode;
    }

    /** The replica-read mode in force. */
    public ReplicaReadMode replicaReads() {
        return replicaReads.get();
    }

    /**
     * Follower-read figures over every shard: {served by a follower, fallen back to the leader,
     * read-index requests, staleness bound in ms (-1 before the first sample)}.
     */
    public long[] replicaReadStats() {
        return transport.replicaStats();
    }

    /**
     * Executes a command whose spec says it runs on a shard.
     *
     * @param affinity a stable number per client connection; commands with the same affinity
     *     are applied in the order they were submitted, on each shard
     */
    public CompletableFuture<byte[]> execute(CommandSpec spec, List<byte[]> argv, int affinity) {
        return executeGroup(spec.isWrite(), List.of(spec), List.of(argv), affinity).get(0);
    }

    /**
     * Executes consecutive commands of one connection, keeping their order on each shard: through
     * the log, or as reads executed together at one point of each shard's history.
     */
    public List<CompletableFuture<byte[]>> executeGroup(boolean viaLog, List<CommandSpec> specs, List<List<byte[]>> argvs,
                                                        int affinity) {
        return connectionGroup(viaLog, false, specs, argvs, affinity);
    }

    /**
     * As {@link #executeGroup(boolean, List, List, int)}; {@code replicaRead} (a read group of a
     * READONLY connection) lets followers serve it, in the mode of {@link #replicaReadsFrom}.
     * Retries after BASALTMOVED go to the leader.
     */
    public List<CompletableFuture<byte[]>> executeGroup(boolean viaLog, boolean replicaRead, List<CommandSpec> specs,
                                                        List<List<byte[]>> argvs, int affinity) {
        return connectionGroup(viaLog, replicaRead && !viaLog, specs, argvs, affinity);
    }

    /**
     * A connection's group: numbered in the connection's order, and sent now, or after the
     * connection's refused commands were retried ({@link RefusalOrder}).
     */
    private List<CompletableFuture<byte[]>> connectionGroup(boolean viaLog, boolean replicaRead, List<CommandSpec> specs,
                                                            List<List<byte[]>> argvs, int affinity) {
        long seq = order.nextSeqs(specs.size());
        if (!order.held(affinity)) { // the common case: nothing of this connection is being retried
            return executeGroup(map(), viaLog, replicaRead, specs, argvs, affinity, 0, 0L, seq);
        }
        List<CompletableFuture<byte[]>> later = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            later.add(new CompletableFuture<>());
        }
        boolean deferred = order.deferred(affinity, () -> {
            List<CompletableFuture<byte[]>> sent;
            try {
                sent = executeGroup(map(), viaLog, replicaRead, specs, argvs, affinity, 0, 0L, seq);
            } catch (RuntimeException e) {
                LOG.error("sending a held-back group of {} commands failed", specs.size(), e);
                later.forEach(f -> f.completeExceptionally(e));
                return;
            }
            for (int i = 0; i < sent.size(); i++) {
                CompletableFuture<byte[]> target = later.get(i);
                sent.get(i).whenComplete((r, e) -> {
                    if (e != null) {
                        target.completeExceptionally(e);
                    } else {
                        target.complete(r);
                    }
                });
            }
        });
        return deferred ? later : executeGroup(map(), viaLog, replicaRead, specs, argvs, affinity, 0, 0L, seq);
    }

    /** Executes one command on a given shard, as a write (through the log) or a linearizable read. Never re-routed. */
    public CompletableFuture<byte[]> execute(ShardInfo shard, boolean write, CommandSpec spec, List<byte[]> argv, int affinity) {
        return executeOn(shard, write, false, List.of(spec), List.of(argv), affinity, MOVED_RETRIES, NO_RETRY, null).get(0);
    }

    /**
     * Sends a read on its own (not batched) to the shard of its first key: for reads that may be
     * held on the shard, such as a blocked client's long poll. A failure is a
     * {@link ErrorReplies#CLUSTERDOWN} reply.
     */
    public CompletableFuture<byte[]> readAlone(CommandSpec spec, List<byte[]> argv, int affinity) {
        SlotMap map = map();
        ShardPlan plan = ShardPlan.of(map, spec, argv);
        int shard = plan.parts().isEmpty() ? 0 : plan.parts().get(0).shard();
        return transport.readAlone(map.shards().get(shard), affinity, command(argv))
            .handle((reply, error) -> {
                if (error != null) {
                    return failureReply(false, error);
                }
                int slot = Moved.slot(reply);
                return slot < 0 ? reply : new RespWriter(64).error(movedAnswer.apply(slot)).toByteArray();
            });
    }

    /** @param seq the first command's sequence number in its connection, or -1 (a retry: not tracked) */
    private List<CompletableFuture<byte[]>> executeGroup(SlotMap map, boolean viaLog, boolean replicaRead,
                                                         List<CommandSpec> specs, List<List<byte[]>> argvs, int affinity,
                                                         int attempt, long deadline, long seq) {
        List<ShardInfo> shards = map.shards();
        if (shards.size() == 1 && !addressesShards(specs)) {
            // one shard owns every slot: the group goes whole, nothing to split or merge
            return executeOn(shards.get(0), viaLog, replicaRead, specs, argvs, affinity, attempt, deadline, seqs(seq, 0, specs.size()));
        }
        int count = specs.size();
        ShardPlan[] plans = new ShardPlan[count];
        // per shard, the parts bound for it in the connection's order: {command, part} pairs
        List<List<int[]>> perShard = new ArrayList<>(shards.size());
        for (int s = 0; s < shards.size(); s++) {
            perShard.add(null);
        }
        for (int i = 0; i < count; i++) {
            plans[i] = ShardPlan.of(map, specs.get(i), argvs.get(i));
            List<ShardPlan.Part> parts = plans[i].parts();
            for (int j = 0; j < parts.size(); j++) {
                int s = parts.get(j).shard();
                if (perShard.get(s) == null) {
                    perShard.set(s, new ArrayList<>());
                }
                perShard.get(s).add(new int[] {i, j});
            }
        }
        List<List<CompletableFuture<byte[]>>> partReplies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            partReplies.add(new ArrayList<>(java.util.Collections.nCopies(plans[i].parts().size(), null)));
        }
        for (int s = 0; s < shards.size(); s++) {
            List<int[]> refs = perShard.get(s);
            if (refs == null) {
                continue;
            }
            List<CommandSpec> runSpecs = new ArrayList<>(refs.size());
            List<List<byte[]>> runArgvs = new ArrayList<>(refs.size());
            long[] runSeqs = seq < 0 ? null : new long[refs.size()];
            for (int k = 0; k < refs.size(); k++) {
                int[] ref = refs.get(k);
                ShardPlan.Part part = plans[ref[0]].parts().get(ref[1]);
                runSpecs.add(part.spec());
                runArgvs.add(part.argv());
                if (runSeqs != null) {
                    runSeqs[k] = seq + ref[0];
                }
            }
            List<CompletableFuture<byte[]>> sent = executeOn(shards.get(s), viaLog, replicaRead, runSpecs, runArgvs, affinity,
                attempt, deadline, runSeqs);
            for (int k = 0; k < refs.size(); k++) {
                partReplies.get(refs.get(k)[0]).set(refs.get(k)[1], sent.get(k));
            }
        }
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replies.add(merged(plans[i], partReplies.get(i)));
        }
        return replies;
    }

    private static long[] seqs(long first, int from, int count) {
        if (first < 0) {
            return null;
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = first + from + i;
        }
        return out;
    }

    /** Whether a command names its shard itself (the backup tool's): planned even with one shard. */
    private static boolean addressesShards(List<CommandSpec> specs) {
        for (CommandSpec spec : specs) {
            if (spec.has(CommandSpec.Flag.INTERNAL) && spec.has(CommandSpec.Flag.ADMIN)
                && (spec.site() == CommandSpec.Site.REPLICA || spec.name().startsWith(io.basalt.router.command.specs.InternalCommandSpecs.SLOTS))) {
                return true;
            }
        }
        return false;
    }

    /** The command's reply from its parts' futures (which never fail: failures are replies). */
    private static CompletableFuture<byte[]> merged(ShardPlan plan, List<CompletableFuture<byte[]>> parts) {
        if (parts.isEmpty()) {
            return CompletableFuture.completedFuture(plan.fixed());
        }
        if (plan.merge() == null) {
            return parts.get(0);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<byte[]> replies = new ArrayList<>(parts.size());
            parts.forEach(f -> replies.add(f.join()));
            try {
                return plan.merge().apply(replies);
            } catch (RuntimeException e) {
                LOG.error("merging the replies of {} shards failed", parts.size(), e);
                return new RespWriter(64).error("ERR internal error").toByteArray();
            }
        });
    }

    /** Sends commands of one connection to one shard, in order; {@code attempt} counts BASALTMOVED retries. */
    private List<CompletableFuture<byte[]>> executeOn(ShardInfo shard, boolean viaLog, boolean replicaRead,
                                                      List<CommandSpec> specs, List<List<byte[]>> argvs, int affinity,
                                                      int attempt, long deadline, long[] seqs) {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(argvs.size());
        List<Command> commands = new ArrayList<>(argvs.size());
        List<Integer> sent = new ArrayList<>(argvs.size());
        for (int i = 0; i < argvs.size(); i++) {
            Command built = command(argvs.get(i));
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
        // Only a ReadIndex read group must stay whole (one state for all of them); log commands
        // are kept in order by the Ratis client and may span batches.
        List<CompletableFuture<byte[]>> submitted = replicaRead
            ? transport.submitReplicaRead(shard, replicaReads.get(), affinity, commands)
            : transport.submit(shard, viaLog, !viaLog, affinity, commands);
        for (int j = 0; j < submitted.size(); j++) {
            int i = sent.get(j);
            replies.set(i, settle(submitted.get(j), viaLog, specs.get(i), argvs.get(i), affinity, attempt, deadline,
                seqs == null ? -1 : seqs[i]));
        }
        return replies;
    }

    /**
     * The reply of one sent command: failures become replies; BASALTMOVED and a frozen slot's
     * TRYAGAIN (not executed) are re-routed and sent again while attempts remain, behind the
     * connection's earlier refusals ({@link RefusalOrder}); a read sent after a refused command of
     * its slot is run again behind it. A failure is never resent: a write that got no answer may
     * have been applied.
     *
     * @param seq the command's number in its connection, or -1 when not tracked (a retry)
     */
    private CompletableFuture<byte[]> settle(CompletableFuture<byte[]> submitted, boolean viaLog, CommandSpec spec,
                                             List<byte[]> argv, int affinity, int attempt, long deadline, long seq) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        submitted.whenComplete((reply, error) -> {
            if (error != null) {
                out.complete(failureReply(viaLog && spec.isWrite(), error));
                return;
            }
            int slot = Moved.slot(reply);
            boolean frozen = slot < 0 && deadline != NO_RETRY && Moved.isFrozen(reply);
            if (slot < 0 && !frozen) {
                if (seq >= 0 && !spec.isWrite() && order.mustRerun(affinity, seq, spec, argv)) {
                    order.refused(affinity, seq, -1, () -> executeGroup(map(), viaLog, false, List.of(spec), List.of(argv),
                        affinity, 1, 0L, -1).get(0)).whenComplete((r, e) -> out.complete(e == null ? r : failureReply(false, e)));
                    return;
                }
                out.complete(reply);
                return;
            }
            if (deadline == NO_RETRY) {
                out.complete(new RespWriter(64).error(movedAnswer.apply(slot)).toByteArray());
                return;
            }
            CompletableFuture<byte[]> retried = seq >= 0 && attempt == 0
                ? order.refused(affinity, seq, slot >= 0 ? slot : firstKeySlot(spec, argv),
                    () -> retryLoop(reply, slot, frozen, viaLog, spec, argv, affinity, attempt, deadline))
                : retryLoop(reply, slot, frozen, viaLog, spec, argv, affinity, attempt, deadline);
            retried.whenComplete((r, e) -> out.complete(e == null ? r : failureReply(viaLog && spec.isWrite(), e)));
        });
        return out;
    }

    /**
     * Retries a refused command until it is answered. A slot being moved: the source refuses
     * writes while frozen, then nobody owns the slot for one commit, then the target does. Wait
     * for that, within a bound counted from now.
     */
    private CompletableFuture<byte[]> retryLoop(byte[] reply, int slot, boolean frozen, boolean viaLog, CommandSpec spec,
                                                List<byte[]> argv, int affinity, int attempt, long deadline) {
        boolean waits = frozen || source.followsOwnership();
        long due = deadline != 0 ? deadline : System.nanoTime() + OWNER_WAIT_NANOS;
        if (waits ? System.nanoTime() - due >= 0 : attempt >= MOVED_RETRIES) {
            LOG.debug("slot {} still refused after {} attempts", slot, attempt + 1);
            return CompletableFuture.completedFuture(frozen ? reply : new RespWriter(64).error(movedAnswer.apply(slot)).toByteArray());
        }
        long delayMs = waits ? Math.min(OWNER_WAIT_STEP_MAX_MS, 2L << Math.min(attempt, 10)) : 0;
        long nextDeadline = waits ? due : 0;
        return delayMs == 0 ? retry(viaLog, spec, argv, affinity, attempt + 1, nextDeadline)
            : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delayMs, java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> retry(viaLog, spec, argv, affinity, attempt + 1, nextDeadline));
    }

    private static int firstKeySlot(CommandSpec spec, List<byte[]> argv) {
        int[] keys = spec.keyPositions(argv);
        return keys.length == 0 ? -1 : io.basalt.router.slot.HashSlot.of(argv.get(keys[0]));
    }

    /**
     * Sends a refused command again with the newest map. The connection's other commands wait
     * for it ({@link RefusalOrder}).
     */
    private CompletableFuture<byte[]> retry(boolean viaLog, CommandSpec spec, List<byte[]> argv, int affinity, int attempt,
                                            long deadline) {
        SlotMap stale = slotMap;
        return source.refresh(stale).thenCompose(fresh -> {
            SlotMap map = fresh;
            synchronized (this) {
                if (fresh.epoch() >= slotMap.epoch()) {
                    slotMap = fresh;
                } else {
                    map = slotMap; // another refresh got further meanwhile
                }
            }
            return executeGroup(map, viaLog, false, List.of(spec), List.of(argv), affinity, attempt, deadline, -1).get(0);
        });
    }

    private static Command command(List<byte[]> argv) {
        Command.Builder command = Command.newBuilder();
        for (byte[] arg : argv) {
            command.addArgs(UnsafeByteOperations.unsafeWrap(arg));
        }
        return command.build();
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
        long[] s = transport.batchStats();
        return s[0] == 0 ? 0 : (double) s[1] / s[0];
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
