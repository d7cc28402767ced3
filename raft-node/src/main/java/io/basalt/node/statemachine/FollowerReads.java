package io.basalt.node.statemachine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.StateMachineException;

/**
 * The reads of READONLY connections that reach this replica (Ratis stale reads with a minimum
 * index, docs/consistency.md "Follower reads"), and the counters {@code basalt.node.info} shows.
 *
 * <p>Ratis lets such a read in once this replica's commit index reached the minimum; it runs once
 * that index is applied too, so it sees every write the gateway asked for. Bounded: a replica
 * that cannot apply in time fails the read (a StateMachineException, which Ratis sends back as
 * an error reply) and the gateway reads elsewhere.
 */
final class FollowerReads {

    /** How long a read waits for its minimum index to be applied. */
    static final long APPLY_WAIT_MS = 1000;
    /** Runs reads released by an apply, off the apply thread (which holds the engine lock). */
    private static final Executor RELEASED = ForkJoinPool.commonPool();

    private final AppliedIndexWaiters waiters = new AppliedIndexWaiters();
    private final AtomicLong followerBatches = new AtomicLong();
    private final AtomicLong readIndexRequests = new AtomicLong();

    /**
     * Runs {@code read} once {@code applied} reached {@code minIndex}.
     *
     * @param asFollower whether this replica is not the leader (counted: the proof, in tests,
     *     that followers served the reads)
     */
    CompletableFuture<Message> read(long minIndex, boolean asFollower, LongSupplier applied, Supplier<Message> read) {
        if (asFollower) {
            followerBatches.incrementAndGet();
        }
        CompletableFuture<Void> ready = waiters.await(minIndex);
        if (ready.isDone()) {
            return CompletableFuture.completedFuture(read.get());
        }
        return ready.orTimeout(APPLY_WAIT_MS, TimeUnit.MILLISECONDS).handleAsync((v, e) -> {
            if (e != null) {
                throw new CompletionException(new StateMachineException(
                    "applied index " + applied.getAsLong() + " did not reach " + minIndex + " in time"));
            }
            return read.get();
        }, RELEASED);
    }

    /** The applied index moved (an entry applied, a snapshot loaded). */
    void applied(long index) {
        waiters.advance(index);
    }

    void readIndexAsked() {
        readIndexRequests.incrementAndGet();
    }

    long followerBatches() {
        return followerBatches.get();
    }

    long readIndexRequests() {
        return readIndexRequests.get();
    }
}
