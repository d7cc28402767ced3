package io.basalt.router.client;

import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.proto.internal.LogEntry;
import io.basalt.router.raft.NonBlockingReconnectRpc;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connection to one shard: a pool of members, each a Ratis client with a write
 * batcher and a read batcher.
 *
 * <p>Why a pool: one Ratis client orders all its writes through one sliding window and caps near
 * 2.5k entries/s (notes/ratis-3.3-facts.md); several clients in parallel roughly double that.
 * Why affinity: a connection always uses the same member, so its writes stay in order (Ratis
 * orders the requests of one client), while different connections spread over the pool.
 *
 * <p>Writes go through the log; reads use Ratis's linearizable read (ReadIndex on the leader,
 * then the state machine's query), one read round for a whole batch. Each Ratis client follows
 * leader changes itself: a NotLeaderException names the new leader and the request is resent
 * there at once; see {@link RetryPolicy} for what is retried and for how long.
 *
 * <p>When a write gives up (its retries ran out), Ratis fails the client's ordered window for
 * good: every later write on that client would fail at once. The member is then replaced by a
 * fresh one; its outstanding writes have all failed already, so no ordering is lost.
 */
final class ShardClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardClient.class);

    private final RaftGroup group;
    private final RaftProperties properties;
    private final RoutingConfig config;
    /** Where batch completions run: off Ratis's threads (see CommandBatcher). */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shard-replies");
        t.setDaemon(true);
        return t;
    });
    /** Which replica the next unsafe (test-only) stale read goes to. */
    private final AtomicInteger unsafeReadTurn = new AtomicInteger();
    /** Guarded by this when replaced; read without the lock (a stale member is harmless). */
    private final Member[] members;
    private final ReplicaReader replicas;
    /** The mode of the latest replica read submitted (a gateway setting, changed rarely). */
    private volatile ReplicaReadMode replicaMode = ReplicaReadMode.LINEARIZABLE;

    private final class Member {
        final RaftClient client;
        final CommandBatcher writer;
        final CommandBatcher reader;
        /** Reads of READONLY connections, served by followers (ReplicaReader). */
        final CommandBatcher replicaReader;

        Member() {
            client = NonBlockingReconnectRpc.newClientBuilder(properties)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicy.forGateway(config))
                .build();
            // the Ratis client gives up at the configured timeout; these fire only if it does not
            writer = new CommandBatcher(this::write, completions, config.writeTimeout().toMillis() + 2000,
                config.inFlightBatchesMax(), config.batchCommandsMax(), config.batchBytesMax());
            reader = new CommandBatcher(this::read, completions, config.readTimeout().toMillis() + 2000,
                config.inFlightBatchesMax(), config.batchCommandsMax(), config.batchBytesMax());
            replicaReader = new CommandBatcher(batch -> replicas.read(batch, replicaMode, this::read), completions,
                config.readTimeout().toMillis() + ReplicaReader.FOLLOWER_WAIT_MS + 2000,
                config.inFlightBatchesMax(), config.batchCommandsMax(), config.batchBytesMax());
        }

        private CompletableFuture<List<byte[]>> write(CommandBatch batch) {
            // The client message is a LogEntry without the leader's time; the leader appends it.
            byte[] message = LogEntry.newBuilder().setBatch(batch).build().toByteArray();
            return client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        replace(this, error);
                    }
                })
                .thenApply(reply -> {
                    if (reply.isSuccess()) {
                        // acknowledged at this index: a later replica read of any connection includes it
                        replicas.observed(reply.getLogIndex());
                    }
                    return replies(reply);
                });
        }

        private CompletableFuture<List<byte[]>> read(CommandBatch batch) {
            Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray()));
            if (config.unsafeStaleReads()) {
                return unsafeStaleRead(message);
            }
            return client.async().sendReadOnlyUnordered(message).thenApply(ShardClient::replies);
        }
    }

    /**
     * TEST ONLY: a read served by whatever replica comes next, however far behind it is. A fresh
     * client per read, on its own thread: a stale read travels in a client's ordered window to
     * that server, which a single failure (a partitioned replica) would close for good, and the
     * chaos test that uses this mode needs many reads to reach every replica.
     */
    private CompletableFuture<List<byte[]>> unsafeStaleRead(Message message) {
        List<RaftPeer> peers = List.copyOf(group.getPeers());
        RaftPeer peer = peers.get(Math.floorMod(unsafeReadTurn.getAndIncrement(), peers.size()));
        return CompletableFuture.supplyAsync(() -> {
            RaftProperties p = new RaftProperties();
            org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p,
                org.apache.ratis.util.TimeDuration.valueOf(1, java.util.concurrent.TimeUnit.SECONDS));
            try (RaftClient once = NonBlockingReconnectRpc.newClientBuilder(p).setRaftGroup(group)
                    .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.noRetry()).build()) {
                return replies(once.io().sendStaleRead(message, 0, peer.getId()));
            } catch (IOException e) {
                throw new ShardException(e);
            }
        }, UNSAFE_READS);
    }

    private static final ExecutorService UNSAFE_READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "unsafe-stale-read");
        t.setDaemon(true);
        return t;
    });

    ShardClient(RaftGroup group, RaftProperties properties, RoutingConfig config) {
        this.group = group;
        this.properties = properties;
        this.config = config;
        // followers answer within the read deadline or the leader serves the read instead
        this.replicas = new ReplicaReader(group, this::presumedLeader, Math.min(config.readTimeout().toMillis(), 1000));
        this.members = new Member[config.clientsPerShard()];
        for (int i = 0; i < members.length; i++) {
            members[i] = new Member();
        }
    }

    /**
     * Commands of one connection, in order; {@code atomic} keeps them in one batch (see
     * CommandBatcher#submitGroup).
     */
    List<CompletableFuture<byte[]>> submit(boolean write, boolean atomic, int affinity, List<Command> commands) {
        Member member;
        synchronized (this) {
            member = members[Math.floorMod(affinity, members.length)];
        }
        return (write ? member.writer : member.reader).submitGroup(commands, atomic);
    }

    /** Reads of one READONLY connection, in order, served by a follower when one can (ReplicaReader). */
    List<CompletableFuture<byte[]>> submitReplicaRead(ReplicaReadMode mode, int affinity, List<Command> commands) {
        Member member;
        synchronized (this) {
            member = members[Math.floorMod(affinity, members.length)];
        }
        replicaMode = mode;
        return member.replicaReader.submitGroup(commands, true);
    }

    /** Whom the Ratis clients take for the leader (they learn it from every reply); may be null. */
    private org.apache.ratis.protocol.RaftPeerId presumedLeader() {
        Member m = members[0];
        return m == null ? null : m.client.getLeaderId();
    }

    /** {served by a follower, fallen back to the leader, read-index requests, staleness bound ms or -1}. */
    long[] replicaStats() {
        return new long[] {replicas.served(), replicas.fallbacks(), replicas.readIndexRounds(), replicas.stalenessBoundMs()};
    }

    /**
     * A read sent on its own, outside the read batcher: a blocked client's long poll, which may
     * take a second on the shard and must not hold up the batched reads behind it.
     */
    CompletableFuture<byte[]> readAlone(int affinity, Command command) {
        Member member;
        synchronized (this) {
            member = members[Math.floorMod(affinity, members.length)];
        }
        CommandBatch batch = CommandBatch.newBuilder().addCommands(command).build();
        return member.client.async().sendReadOnlyUnordered(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray())))
            .thenApply(r -> replies(r).get(0));
    }

    private void replace(Member failed, Throwable cause) {
        synchronized (this) {
            for (int i = 0; i < members.length; i++) {
                if (members[i] == failed) {
                    members[i] = new Member();
                    LOG.warn("Ratis client {} of group {} gave up a write ({}); replaced by a new client",
                        failed.client.getId(), group.getGroupId(), cause.toString());
                }
            }
        }
        CompletableFuture.runAsync(() -> {
            try {
                failed.client.close();
            } catch (IOException e) {
                LOG.debug("closing a replaced Ratis client failed", e);
            }
        });
    }

    static List<byte[]> replies(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new ShardException(reply.getException());
        }
        try {
            BatchReply batch = BatchReply.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
            List<byte[]> out = new ArrayList<>(batch.getRepliesCount());
            batch.getRepliesList().forEach(r -> out.add(r.toByteArray()));
            return out;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ShardException(e);
        }
    }

    /** Batches and commands sent so far, summed over the pool: the average batch size. */
    synchronized long[] batchStats() {
        long batches = 0;
        long commands = 0;
        for (Member m : members) {
            batches += m.writer.batchesSent() + m.reader.batchesSent() + m.replicaReader.batchesSent();
            commands += m.writer.commandsSent() + m.reader.commandsSent() + m.replicaReader.commandsSent();
        }
        return new long[] {batches, commands};
    }

    @Override
    public synchronized void close() throws IOException {
        replicas.close();
        for (Member m : members) {
            m.client.close();
        }
        completions.shutdown();
    }

    /** A shard answered with an exception, or with bytes that are not a BatchReply. */
    static final class ShardException extends RuntimeException {
        ShardException(Throwable cause) {
            super(cause == null ? "shard request failed" : cause.toString(), cause);
        }
    }
}
