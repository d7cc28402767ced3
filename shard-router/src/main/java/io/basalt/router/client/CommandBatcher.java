package io.basalt.router.client;

import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Coalesces commands bound for one Raft client into batches: one Raft entry (or one ReadIndex
 * round) for many commands.
 *
 * <p>No timer. A command is sent at once when fewer than {@code inFlightMax} batches are
 * outstanding, so an idle system adds no latency; otherwise it waits and joins the next batch,
 * which leaves as soon as any outstanding batch completes. Under load batches therefore grow to
 * roughly (commands waiting) / inFlightMax, up to {@code commandsMax} or {@code bytesMax}: the
 * group-commit principle, applied to the whole Raft round trip.
 *
 * <p>Batches leave in submission order, and {@link Sender} is called under the lock so that the
 * order reaches the Raft client too; with Ratis's ordered async API this keeps the commands of
 * one connection (always routed to the same batcher) applied in the order sent.
 *
 * <p>Completions run on {@code completions}, never on the thread that completed the sender's
 * future. Ratis completes a write's future inside its sliding window's monitor, and its send
 * takes that same monitor while this batcher holds its own lock: handling the completion on
 * Ratis's thread would take the two locks in the other order and deadlock.
 */
final class CommandBatcher {

    /** Sends one batch; the future yields one encoded reply per command, in order. */
    interface Sender extends Function<CommandBatch, CompletableFuture<List<byte[]>>> {}

    /** A waiting command; {@code groupEnd} is false inside a group that must not be split. */
    private record Pending(Command command, int bytes, CompletableFuture<byte[]> reply, boolean groupEnd) {}

    private final Sender sender;
    private final Executor completions;
    /** A safety net behind the Ratis client's own deadline: one timer per batch, not per command. */
    private final long batchTimeoutMs;
    private final int inFlightMax;
    private final int commandsMax;
    private final int bytesMax;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;
    private long batchesSent;
    private long commandsSent;

    CommandBatcher(Sender sender, Executor completions, long batchTimeoutMs, int inFlightMax, int commandsMax, int bytesMax) {
        if (inFlightMax < 1 || commandsMax < 1 || bytesMax < 1 || batchTimeoutMs < 1) {
            throw new IllegalArgumentException("batcher limits must be positive");
        }
        this.sender = sender;
        this.completions = completions;
        this.batchTimeoutMs = batchTimeoutMs;
        this.inFlightMax = inFlightMax;
        this.commandsMax = commandsMax;
        this.bytesMax = bytesMax;
    }

    CompletableFuture<byte[]> submit(Command command) {
        return submitGroup(List.of(command), false).get(0);
    }

    /**
     * Submits commands in order. When {@code atomic}, they travel in one batch, which the shard
     * executes together (a group of reads then sees one state); such a group may exceed
     * {@code commandsMax} and {@code bytesMax}, so callers bound its size. Otherwise they may
     * be split over consecutive batches, still in order.
     */
    List<CompletableFuture<byte[]>> submitGroup(List<Command> commands, boolean atomic) {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(commands.size());
        synchronized (this) {
            for (int i = 0; i < commands.size(); i++) {
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                Command command = commands.get(i);
                waiting.addLast(new Pending(command, command.getSerializedSize(), reply, !atomic || i == commands.size() - 1));
                replies.add(reply);
            }
            if (inFlight < inFlightMax) {
                sendNextLocked();
            }
        }
        return replies;
    }

    private void sendNextLocked() {
        List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), commandsMax));
        CommandBatch.Builder builder = CommandBatch.newBuilder();
        int bytes = 0;
        boolean insideGroup = false;
        while (!waiting.isEmpty() && (insideGroup || (batch.size() < commandsMax
                && (batch.isEmpty() || bytes + waiting.peekFirst().bytes() <= bytesMax)))) {
            Pending p = waiting.pollFirst();
            batch.add(p);
            builder.addCommands(p.command());
            bytes += p.bytes();
            insideGroup = !p.groupEnd();
        }
        inFlight++;
        batchesSent++;
        commandsSent += batch.size();
        CompletableFuture<List<byte[]>> sent;
        try {
            sent = sender.apply(builder.build());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.orTimeout(batchTimeoutMs, TimeUnit.MILLISECONDS)
            .whenCompleteAsync((replies, error) -> completed(batch, replies, error), completions);
    }

    private void completed(List<Pending> batch, List<byte[]> replies, Throwable error) {
        synchronized (this) {
            inFlight--;
            if (!waiting.isEmpty()) {
                sendNextLocked();
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (error != null) {
                batch.get(i).reply().completeExceptionally(error);
            } else if (i < replies.size()) {
                batch.get(i).reply().complete(replies.get(i));
            } else {
                batch.get(i).reply().completeExceptionally(
                    new IllegalStateException("shard sent " + replies.size() + " replies for " + batch.size() + " commands"));
            }
        }
    }

    synchronized long batchesSent() {
        return batchesSent;
    }

    synchronized long commandsSent() {
        return commandsSent;
    }
}
