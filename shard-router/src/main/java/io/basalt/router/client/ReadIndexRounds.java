package io.basalt.router.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Coalesces the read-index requests of one shard: at most one is in flight; reads arriving while
 * it runs share the next one, never the running one (it was asked before they arrived, so the
 * index it returns might miss a write acknowledged between its question and their arrival).
 * The same rule as the nodes' leadership confirmation rounds.
 */
final class ReadIndexRounds {

    private final Supplier<CompletableFuture<Long>> ask;
    /** Guarded by this: the round in flight, and the one the later arrivals wait for. */
    private CompletableFuture<Long> running;
    private CompletableFuture<Long> next;
    private long rounds;

    ReadIndexRounds(Supplier<CompletableFuture<Long>> ask) {
        this.ask = ask;
    }

    /** A read index obtained by a request sent after this call. */
    CompletableFuture<Long> join() {
        CompletableFuture<Long> start;
        synchronized (this) {
            if (running != null) {
                if (next == null) {
                    next = new CompletableFuture<>();
                }
                return next;
            }
            running = new CompletableFuture<>();
            start = running;
        }
        send(start);
        return start;
    }

    private void send(CompletableFuture<Long> round) {
        synchronized (this) {
            rounds++;
        }
        CompletableFuture<Long> asked;
        try {
            asked = ask.get();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        asked.whenComplete((index, error) -> finished(round, index, error));
    }

    private void finished(CompletableFuture<Long> round, Long index, Throwable error) {
        CompletableFuture<Long> following;
        synchronized (this) {
            following = next;
            next = null;
            running = following;
        }
        if (following != null) {
            send(following);
        }
        if (error != null) {
            round.completeExceptionally(error);
        } else {
            round.complete(index);
        }
    }

    /** Requests sent so far. */
    synchronized long rounds() {
        return rounds;
    }
}
