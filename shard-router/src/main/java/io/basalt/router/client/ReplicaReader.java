package io.basalt.router.client;

import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.command.specs.InternalCommandSpecs;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Reads of READONLY connections served by a follower of one shard (docs/consistency.md,
 * "Follower reads").
 *
 * <p>Each read batch carries a minimum log index the follower must have applied before it runs
 * (Ratis's stale read refuses it while the follower's commit index is below; the state machine
 * then waits for the apply). Stale mode: the highest index this gateway knows committed: write
 * replies it relayed, and a sample of the leader's applied index every {@link #SAMPLE_MS} ms.
 * Linearizable mode: a read index the leader gives after confirming its leadership, one request
 * shared by the reads that arrived before it was sent ({@link ReadIndexRounds}).
 *
 * <p>Followers are taken in turn. A follower still behind is asked again, briefly; one that fails
 * is skipped; when no follower answers by {@link #FOLLOWER_WAIT_MS}, or no read index can be had
 * (the leader moved, no leader), the batch goes to the leader as an ordinary linearizable read.
 */
final class ReplicaReader implements Closeable {

    static final long SAMPLE_MS = 100;
    /** How long follower attempts may take before the leader serves the batch. */
    static final long FOLLOWER_WAIT_MS = 500;
    /** A member that failed a request is left out of the rotation for this long (a dead node is not redialled per read). */
    private static final long FAILED_SKIP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replica-reads");
        t.setDaemon(true);
        return t;
    });

    private static final Message READ_INDEX = nodeLocal(InternalCommandSpecs.NODE_READ_INDEX);
    private static final Message APPLIED_INDEX = nodeLocal(InternalCommandSpecs.NODE_APPLIED_INDEX);

    private final RaftGroup group;
    /** Who the gateway's Ratis clients take for the leader right now (may be stale or null). */
    private final Supplier<RaftPeerId> leader;
    private final PeerClients peers;
    private final ReadIndexRounds rounds = new ReadIndexRounds(this::askReadIndex);
    private final AtomicLong knownIndex = new AtomicLong();
    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    /** When the newest sample that succeeded was sent; 0 before the first. */
    private volatile long sampleSentNanos;
    private ScheduledFuture<?> sampler;

    ReplicaReader(RaftGroup group, Supplier<RaftPeerId> leader, long requestTimeoutMs) {
        this.group = group;
        this.leader = leader;
        this.peers = new PeerClients(group, requestTimeoutMs);
    }

    /** A log index this gateway saw committed on the shard (a write's reply). */
    void observed(long index) {
        knownIndex.accumulateAndGet(index, Math::max);
    }

    /**
     * Serves a read batch from a follower, or from the leader through {@code leaderRead} when no
     * follower can. Replies in the internal encoding, one per command.
     */
    CompletableFuture<List<byte[]>> read(CommandBatch batch, ReplicaReadMode mode,
                                         Function<CommandBatch, CompletableFuture<List<byte[]>>> leaderRead) {
        List<RaftPeerId> followers = followers();
        if (followers.isEmpty()) {
            return leaderRead.apply(batch);
        }
        CompletableFuture<Long> minIndex;
        if (mode == ReplicaReadMode.STALE) {
            startSampler();
            minIndex = CompletableFuture.completedFuture(knownIndex.get());
        } else {
            minIndex = rounds.join();
        }
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FOLLOWER_WAIT_MS);
        int first = Math.floorMod(turn.getAndIncrement(), followers.size());
        return minIndex
            .thenCompose(index -> attempt(message, index, followers, first, 0, 0, deadline))
            .handle((replies, error) -> {
                if (error == null) {
                    served.incrementAndGet();
                    return CompletableFuture.completedFuture(replies);
                }
                fallbacks.incrementAndGet();
                return leaderRead.apply(batch);
            })
            .thenCompose(Function.identity());
    }

    /** The members other than the presumed leader; those that failed a request lately only if none else. */
    private List<RaftPeerId> followers() {
        RaftPeerId presumedLeader = leader.get();
        List<RaftPeerId> healthy = new ArrayList<>();
        List<RaftPeerId> failing = new ArrayList<>();
        for (RaftPeer p : group.getPeers()) {
            if (!p.getId().equals(presumedLeader)) {
                (peers.failedWithin(p.getId(), FAILED_SKIP_NANOS) ? failing : healthy).add(p.getId());
            }
        }
        return healthy.isEmpty() ? failing : healthy;
    }

    /**
     * One follower attempt. A follower behind {@code minIndex} (a StateMachineException reply:
     * Ratis's StaleReadException, or the apply wait ran out) is asked again after a short pause
     * until the deadline; a failed request moves on to the next follower, and once every follower
     * failed the leader serves the batch.
     */
    private CompletableFuture<List<byte[]>> attempt(Message message, long minIndex, List<RaftPeerId> followers,
                                                    int at, int tries, int failures, long deadline) {
        if (System.nanoTime() - deadline >= 0 || failures >= followers.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no follower answered in time"));
        }
        RaftPeerId follower = followers.get(Math.floorMod(at, followers.size()));
        return peers.staleRead(follower, message, minIndex).handle((reply, error) -> {
            if (error == null && reply.isSuccess()) {
                return CompletableFuture.completedFuture(ShardClient.replies(reply));
            }
            boolean behind = error == null ? reply.getException() instanceof StateMachineException : PeerClients.refused(error);
            if (!behind) {
                return attempt(message, minIndex, followers, at + 1, tries + 1, failures + 1, deadline);
            }
            long pauseMs = Math.min(16, 1L << Math.min(tries, 4));
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pauseMs, TimeUnit.MILLISECONDS))
                .thenCompose(v -> attempt(message, minIndex, followers, at, tries + 1, failures, deadline));
        }).thenCompose(Function.identity());
    }

    /** Asks the presumed leader for a confirmed read index. */
    private CompletableFuture<Long> askReadIndex() {
        return askLeader(READ_INDEX);
    }

    private CompletableFuture<Long> askLeader(Message question) {
        RaftPeerId presumedLeader = leader.get();
        if (presumedLeader == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no known leader"));
        }
        // min index -1: answered whatever the leader's commit index
        return peers.staleRead(presumedLeader, question, -1).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new IllegalStateException(String.valueOf(reply.getException()));
            }
            return parseInteger(ShardClient.replies(reply).get(0));
        });
    }

    private synchronized void startSampler() {
        if (sampler == null) {
            sampler = TIMERS.scheduleWithFixedDelay(this::sample, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The leader's applied index covers every write acknowledged before the question was sent.
     * Runs from the first stale read on, idle or not (ten tiny requests a second per shard), so the
     * first read after a quiet spell is as fresh as any.
     */
    private void sample() {
        long sent = System.nanoTime();
        askLeader(APPLIED_INDEX).whenComplete((index, error) -> {
            if (error == null) {
                observed(index);
                if (sent - sampleSentNanos > 0 || sampleSentNanos == 0) {
                    sampleSentNanos = sent;
                }
            }
        });
    }

    /**
     * How old, at most, the writes are that a stale read may miss (acknowledged to other
     * connections): the age of the newest sample, plus nothing for this gateway's own writes.
     * -1 while no sample succeeded.
     */
    long stalenessBoundMs() {
        long sent = sampleSentNanos;
        return sent == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    }

    long served() {
        return served.get();
    }

    long fallbacks() {
        return fallbacks.get();
    }

    long readIndexRounds() {
        return rounds.rounds();
    }

    static long parseInteger(byte[] resp) {
        String s = new String(resp, StandardCharsets.ISO_8859_1);
        if (!s.startsWith(":") || !s.endsWith("\r\n")) {
            throw new IllegalStateException("not an integer reply: " + s.strip());
        }
        return Long.parseLong(s.substring(1, s.length() - 2));
    }

    private static Message nodeLocal(String name) {
        byte[] batch = CommandBatch.newBuilder().addCommands(Command.newBuilder()
            .addArgs(com.google.protobuf.ByteString.copyFromUtf8(name))).build().toByteArray();
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(batch));
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.cancel(false);
        }
        peers.close();
    }
}
