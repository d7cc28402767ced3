package io.basalt.router.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The batching policy alone, with a sender the test completes by hand (the Raft side is
 * exercised for real in raft-node's ShardGroupTest and the cli integration tests).
 */
class CommandBatcherTest {

    private final List<CommandBatch> sent = new ArrayList<>();
    private final List<CompletableFuture<List<byte[]>>> outstanding = new ArrayList<>();

    private CommandBatcher batcher(int inFlightMax, int commandsMax) {
        // completions inline: these tests complete futures on the test thread, holding no lock
        return new CommandBatcher(batch -> {
            sent.add(batch);
            CompletableFuture<List<byte[]>> f = new CompletableFuture<>();
            outstanding.add(f);
            return f;
        }, Runnable::run, 60_000, inFlightMax, commandsMax, 1 << 20);
    }

    private static Command cmd(String name) {
        return Command.newBuilder().addArgs(ByteString.copyFromUtf8(name)).build();
    }

    private void completeBatch(int index) {
        List<byte[]> replies = new ArrayList<>();
        for (Command c : sent.get(index).getCommandsList()) {
            replies.add(c.getArgs(0).toByteArray());
        }
        outstanding.get(index).complete(replies);
    }

    @Test
    void idleCommandLeavesAtOnce() {
        CommandBatcher b = batcher(2, 100);
        CompletableFuture<byte[]> r = b.submit(cmd("a"));
        assertEquals(1, sent.size(), "no waiting when nothing is in flight");
        completeBatch(0);
        assertEquals("a", new String(r.join()));
    }

    @Test
    void commandsWaitingBehindFullWindowLeaveTogether() {
        CommandBatcher b = batcher(1, 100);
        b.submit(cmd("first"));
        List<CompletableFuture<byte[]>> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            later.add(b.submit(cmd("c" + i)));
        }
        assertEquals(1, sent.size());
        completeBatch(0);
        assertEquals(2, sent.size());
        assertEquals(10, sent.get(1).getCommandsCount(), "the ten waiting commands form one batch");
        completeBatch(1);
        for (int i = 0; i < 10; i++) {
            assertEquals("c" + i, new String(later.get(i).join()), "replies matched to commands in order");
        }
    }

    @Test
    void batchesRespectCommandLimitButNeverSplitAnAtomicGroup() {
        CommandBatcher b = batcher(1, 3);
        b.submit(cmd("first"));
        List<Command> group = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            group.add(cmd("g" + i));
        }
        b.submitGroup(group, true);
        b.submit(cmd("x"));
        b.submit(cmd("y"));
        completeBatch(0);
        assertEquals(5, sent.get(1).getCommandsCount(), "an atomic group travels whole even past the limit");
        completeBatch(1);
        assertEquals(2, sent.get(2).getCommandsCount());
    }

    @Test
    void aNonAtomicGroupSplitsAtTheLimitInOrder() {
        CommandBatcher b = batcher(1, 3);
        b.submit(cmd("first"));
        List<Command> group = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            group.add(cmd("g" + i));
        }
        b.submitGroup(group, false);
        completeBatch(0);
        assertEquals(List.of("g0", "g1", "g2"), names(sent.get(1)));
        completeBatch(1);
        assertEquals(List.of("g3", "g4"), names(sent.get(2)));
    }

    private static List<String> names(CommandBatch batch) {
        List<String> out = new ArrayList<>();
        batch.getCommandsList().forEach(c -> out.add(c.getArgs(0).toStringUtf8()));
        return out;
    }

    /**
     * Regression: Ratis completes a write's future while holding its sliding-window monitor and
     * its send takes the same monitor. A sender modelled that way must not deadlock with a
     * submitter that holds the batcher's lock while sending.
     */
    @Test
    void completionUnderTheSendersMonitorDoesNotDeadlock() throws Exception {
        Object window = new Object();
        List<CompletableFuture<List<byte[]>>> futures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService completions = Executors.newSingleThreadExecutor();
        CommandBatcher b = new CommandBatcher(batch -> {
            synchronized (window) { // Ratis's send takes the window's monitor
                CompletableFuture<List<byte[]>> f = new CompletableFuture<>();
                futures.add(f);
                return f;
            }
        }, completions, 60_000, 2, 100, 1 << 20);
        try {
            CompletableFuture<byte[]> first = b.submit(cmd("a"));
            List<CompletableFuture<byte[]>> second = Collections.synchronizedList(new ArrayList<>());
            Thread submitter = new Thread(() -> second.add(b.submit(cmd("b"))), "submitter");
            Thread replier = new Thread(() -> {
                synchronized (window) {
                    submitter.start();
                    // the submitter now holds the batcher's lock and waits for the window
                    while (submitter.getState() != Thread.State.BLOCKED) {
                        Thread.onSpinWait();
                    }
                    futures.get(0).complete(List.of("a".getBytes())); // as Ratis: under the monitor
                }
            }, "replier");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                replier.start();
                replier.join();
                submitter.join();
                assertEquals("a", new String(first.get()));
                futures.get(1).complete(List.of("b".getBytes()));
                assertEquals("b", new String(second.get(0).get()));
            });
        } finally {
            completions.shutdownNow();
        }
    }

    @Test
    void failedBatchFailsEachOfItsCommands() {
        CommandBatcher b = batcher(1, 10);
        CompletableFuture<byte[]> r = b.submit(cmd("a"));
        outstanding.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertTrue(r.isCompletedExceptionally());
    }
}
