package io.basalt.router.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadIndexRoundsTest {

    /** Requests sent, each answered by hand. */
    private final List<CompletableFuture<Long>> asked = new ArrayList<>();
    private final ReadIndexRounds rounds = new ReadIndexRounds(() -> {
        CompletableFuture<Long> f = new CompletableFuture<>();
        asked.add(f);
        return f;
    });

    @Test
    void anIdleShardAsksAtOnce() {
        CompletableFuture<Long> index = rounds.join();
        assertEquals(1, asked.size());
        asked.get(0).complete(42L);
        assertEquals(42L, index.join());
    }

    @Test
    void readsArrivingDuringARequestShareTheNextOneNotTheRunningOne() {
        CompletableFuture<Long> first = rounds.join();
        CompletableFuture<Long> second = rounds.join();
        CompletableFuture<Long> third = rounds.join();
        assertEquals(1, asked.size(), "the later reads wait: the running request was sent before they arrived");
        assertNotSame(first, second);
        assertSame(second, third);
        asked.get(0).complete(10L);
        assertEquals(10L, first.join());
        assertFalse(second.isDone(), "the running request's answer may miss writes acknowledged after it was sent");
        assertEquals(2, asked.size(), "the next request leaves when the running one is answered");
        asked.get(1).complete(12L);
        assertEquals(12L, second.join());
        assertEquals(12L, third.join());
        assertEquals(2, rounds.rounds());
    }

    @Test
    void aFailedRequestFailsItsReadsAndTheNextOneStillLeaves() {
        CompletableFuture<Long> first = rounds.join();
        CompletableFuture<Long> second = rounds.join();
        asked.get(0).completeExceptionally(new IllegalStateException("not the leader"));
        assertTrue(first.isCompletedExceptionally());
        asked.get(1).complete(7L);
        assertEquals(7L, second.join());
        CompletableFuture<Long> later = rounds.join();
        assertEquals(3, asked.size(), "idle again: a new read asks at once");
        asked.get(2).complete(8L);
        assertEquals(8L, later.join());
    }

    @Test
    void aRequestThatThrowsFailsItsReads() {
        ReadIndexRounds throwing = new ReadIndexRounds(() -> {
            throw new IllegalStateException("no client");
        });
        assertTrue(throwing.join().isCompletedExceptionally());
        assertTrue(throwing.join().isCompletedExceptionally(), "not stuck after a failure");
    }
}
