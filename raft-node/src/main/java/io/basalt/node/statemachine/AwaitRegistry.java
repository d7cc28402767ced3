package io.basalt.node.statemachine;

import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.command.specs.InternalCommandSpecs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The long polls of blocked clients on this replica ({@code basalt.await} reads): each waits until
 * an applied entry changes its waiter's outcome, or {@link #POLL_MS} passes. A poll holds no lock
 * and no Ratis thread while it waits, and its answer is bounded in time, far below the read
 * timeout, so a poll lost in a leader change only costs the gateway one retry.
 *
 * <p>Re-checks run only when the engine's blocking version moved (a waiter was served or removed),
 * so ordinary writes cost one comparison. Completions run on this class's thread, never on the
 * applier's.
 */
final class AwaitRegistry {

    /** Longest a poll waits before answering "still waiting". */
    static final long POLL_MS = 1_000;
    /** Bounds what clients can make a replica hold: more polls than this answer at once. */
    private static final int PENDING_MAX = 100_000;

    private static final byte[] WAIT = ("-" + InternalCommandSpecs.WAIT_REPLY + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private record Pending(Command command, CompletableFuture<byte[]> reply) {}

    /** Guarded by the state machine's engine lock. */
    private final List<Pending> pending = new ArrayList<>();
    private long seenVersion = Long.MIN_VALUE;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "await-polls");
        t.setDaemon(true);
        return t;
    });

    static boolean isAwait(CommandBatch batch) {
        if (batch.getCommandsCount() != 1 || batch.getCommands(0).getArgsCount() == 0) {
            return false;
        }
        byte[] name = batch.getCommands(0).getArgs(0).toByteArray();
        return new String(name, StandardCharsets.US_ASCII).equalsIgnoreCase(InternalCommandSpecs.AWAIT);
    }

    static boolean stillWaiting(byte[] reply) {
        return Arrays.equals(reply, WAIT);
    }

    /** Caller holds the engine lock. */
    CompletableFuture<byte[]> register(Command command) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (pending.size() >= 1024) {
            pending.removeIf(p -> p.reply().isDone()); // answered by their timer meanwhile
        }
        if (pending.size() >= PENDING_MAX) {
            reply.complete(WAIT);
            return reply;
        }
        pending.add(new Pending(command, reply));
        timer.schedule(() -> reply.complete(WAIT), POLL_MS, TimeUnit.MILLISECONDS);
        return reply;
    }

    /** After an entry applied; caller holds the engine lock. */
    void recheck(long version, Function<Command, byte[]> run) {
        if (version == seenVersion) {
            return;
        }
        seenVersion = version;
        List<Pending> done = new ArrayList<>();
        List<byte[]> replies = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.reply().isDone()) {
                it.remove();
                continue;
            }
            byte[] reply = run.apply(p.command());
            if (!stillWaiting(reply)) {
                it.remove();
                done.add(p);
                replies.add(reply);
            }
        }
        if (!done.isEmpty()) {
            timer.execute(() -> {
                for (int i = 0; i < done.size(); i++) {
                    done.get(i).reply().complete(replies.get(i));
                }
            });
        }
    }

    void close() {
        timer.shutdownNow();
    }
}
