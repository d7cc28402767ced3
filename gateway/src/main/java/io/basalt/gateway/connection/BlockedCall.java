package io.basalt.gateway.connection;

import io.basalt.gateway.ShardExecutor;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One blocked client command, from its "-BASALTBLOCKED token timeoutMs" reply to its final
 * reply (docs/ARCHITECTURE.md, "Blocking commands"). The waiter lives in the shard's replicated
 * state, so this object only follows it:
 * <ul>
 *   <li>long-polls the shard's leader with {@code basalt.await} (a linearizable read answered
 *       within a second); a failed poll (leader change) is simply retried: the waiter is still
 *       there, or has been served;</li>
 *   <li>at the client's deadline (from the command's arrival here) sends {@code basalt.unblock},
 *       whose reply decides atomically: the served reply, or Redis's timeout reply;</li>
 *   <li>renews the waiter's lease every {@link #RENEW_MS}; after delivering a served reply
 *       claims it so the shard forgets it; on disconnect, unblocks it (best effort).</li>
 * </ul>
 * A waiter the shard dropped (its lease ran out while this gateway could not reach the shard) is
 * blocked again with the same command, transparently: it was never served.
 *
 * <p>Everything runs on the connection's event loop; {@code done} is called once, there.
 */
final class BlockedCall {

    static final long RENEW_MS = 10_000;
    /** Pause before retrying a poll or an unblock that found no leader. */
    static final long RETRY_MS = 100;
    /** Timeouts beyond a century are forever: no timer (and no overflow in nanosecond arithmetic). */
    static final long TIMEOUT_FOREVER_MS = 100L * 365 * 24 * 3600 * 1000;

    private static final byte[] WAIT = internal(InternalCommandSpecs.WAIT_REPLY);
    private static final byte[] GONE = internal(InternalCommandSpecs.GONE_REPLY);
    private static final byte[] BLOCKED = ("-" + InternalCommandSpecs.BLOCKED_PREFIX).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLUSTERDOWN = internal(ErrorReplies.CLUSTERDOWN);
    private static final byte[] UNCERTAIN = internal(ErrorReplies.UNKNOWN_OUTCOME);

    private final ShardExecutor shards;
    private final EventExecutor loop;
    private final CommandSpec spec;
    private final List<byte[]> argv;
    private final byte[] key;
    private final int affinity;
    /** System.nanoTime() when the command arrived: the timeout counts from there. */
    private final long arrivalNanos;
    private final long renewMs;
    private final Consumer<byte[]> done;
    private final CommandSpec await;
    private final CommandSpec unblock;
    private final CommandSpec claim;
    private final CommandSpec renew;

    private byte[] token;
    private boolean finished;
    private boolean timedOut;
    private boolean reblocking;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> renewer;

    BlockedCall(ShardExecutor shards, CommandTable table, EventExecutor loop, CommandSpec spec, List<byte[]> argv,
                int affinity, long arrivalNanos, Consumer<byte[]> done) {
        this(shards, table, loop, spec, argv, affinity, arrivalNanos, RENEW_MS, done);
    }

    /** @param renewMs how often the waiter's lease is renewed (tests shorten it) */
    BlockedCall(ShardExecutor shards, CommandTable table, EventExecutor loop, CommandSpec spec, List<byte[]> argv,
                int affinity, long arrivalNanos, long renewMs, Consumer<byte[]> done) {
        this.renewMs = renewMs;
        this.shards = shards;
        this.loop = loop;
        this.spec = spec;
        this.argv = argv;
        this.key = argv.get(spec.keyPositions(argv)[0]);
        this.affinity = affinity;
        this.done = done;
        this.await = table.lookup(InternalCommandSpecs.AWAIT);
        this.unblock = table.lookup(InternalCommandSpecs.UNBLOCK);
        this.claim = table.lookup(InternalCommandSpecs.CLAIM);
        this.renew = table.lookup(InternalCommandSpecs.RENEW);
        this.arrivalNanos = arrivalNanos;
    }

    /** True when a shard's reply to a blocking command says it blocked. */
    static boolean isBlocked(byte[] reply) {
        return startsWith(reply, BLOCKED);
    }

    /** Starts following the waiter named by the shard's blocked reply. */
    void start(byte[] blockedReply) {
        long timeoutMs = takeToken(blockedReply);
        if (timeoutMs > 0 && timeoutMs < TIMEOUT_FOREVER_MS) {
            long deadline = arrivalNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            timer = loop.schedule(this::onDeadline, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        renewer = loop.scheduleAtFixedRate(this::renew, renewMs, renewMs, TimeUnit.MILLISECONDS);
        poll();
    }

    /** The client left before its command blocked: only remove the waiter. */
    void abandon(byte[] blockedReply) {
        takeToken(blockedReply);
        cancel();
    }

    /** Reads "-BASALTBLOCKED token timeoutMs"; returns the timeout. */
    private long takeToken(byte[] blockedReply) {
        String[] parts = new String(blockedReply, BLOCKED.length, blockedReply.length - BLOCKED.length - 2,
            StandardCharsets.US_ASCII).split(" ");
        token = parts[0].getBytes(StandardCharsets.US_ASCII);
        return Long.parseLong(parts[1]);
    }

    private void poll() {
        if (finished || timedOut || reblocking) {
            return;
        }
        byte[] polled = token;
        shards.poll(await, command(InternalCommandSpecs.AWAIT, polled), affinity)
            .whenComplete((reply, error) -> loop.execute(() -> onPoll(polled, error == null ? reply : null)));
    }

    private void onPoll(byte[] polled, byte[] reply) {
        if (finished || polled != token) {
            return;
        }
        if (reply == null || startsWith(reply, CLUSTERDOWN) || startsWith(reply, UNCERTAIN)) {
            loop.schedule(this::poll, RETRY_MS, TimeUnit.MILLISECONDS); // no leader yet: the waiter is safe in the log
        } else if (startsWith(reply, WAIT)) {
            poll();
        } else if (startsWith(reply, GONE)) {
            if (!timedOut) {
                reblock();
            }
        } else {
            finish(reply);
            sendClaim(polled);
        }
    }

    /** The shard dropped the waiter unserved (lease ran out): block again with the same command. */
    private void reblock() {
        reblocking = true;
        shards.executeGroup(true, List.of(spec), List.of(argv), affinity).get(0)
            .whenComplete((reply, error) -> loop.execute(() -> {
                reblocking = false;
                if (finished) {
                    return;
                }
                if (error != null || reply == null) {
                    finish(("-" + ErrorReplies.UNKNOWN_OUTCOME + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } else if (isBlocked(reply)) {
                    takeToken(reply);
                    if (timedOut) {
                        sendUnblock();
                    } else {
                        poll();
                    }
                } else {
                    finish(reply);
                }
            }));
    }

    private void onDeadline() {
        if (finished) {
            return;
        }
        timedOut = true;
        if (!reblocking) {
            sendUnblock();
        }
    }

    /** Idempotent on the shard: a served reply is kept until claimed, so a retry still gets it. */
    private void sendUnblock() {
        if (finished) {
            return;
        }
        byte[] unblocked = token;
        shards.executeGroup(true, List.of(unblock), List.of(command(InternalCommandSpecs.UNBLOCK, unblocked)), affinity).get(0)
            .whenComplete((reply, error) -> loop.execute(() -> {
                if (finished) {
                    return;
                }
                if (error != null || reply == null || startsWith(reply, CLUSTERDOWN) || startsWith(reply, UNCERTAIN)) {
                    loop.schedule(this::sendUnblock, RETRY_MS, TimeUnit.MILLISECONDS);
                    return;
                }
                finish(reply);
                if (!isNullArray(reply)) {
                    sendClaim(unblocked);
                }
            }));
    }

    private void renew() {
        if (!finished && !reblocking) {
            shards.executeGroup(true, List.of(renew), List.of(command(InternalCommandSpecs.RENEW, token)), affinity);
        }
    }

    private void sendClaim(byte[] claimed) {
        shards.executeGroup(true, List.of(claim), List.of(command(InternalCommandSpecs.CLAIM, claimed)), affinity);
    }

    /** The client went away: remove the waiter (best effort; its lease would end it anyway). */
    void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        stopTimers();
        if (token != null && !reblocking) {
            byte[] cancelled = token;
            shards.executeGroup(true, List.of(unblock), List.of(command(InternalCommandSpecs.UNBLOCK, cancelled)), affinity)
                .get(0).thenAccept(reply -> {
                    if (!isNullArray(reply) && !startsWith(reply, UNCERTAIN) && !startsWith(reply, CLUSTERDOWN)) {
                        sendClaim(cancelled); // served meanwhile: like Redis, the element went to a closed client
                    }
                });
        }
    }

    private void finish(byte[] reply) {
        finished = true;
        stopTimers();
        done.accept(reply);
    }

    private void stopTimers() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (renewer != null) {
            renewer.cancel(false);
        }
    }

    private List<byte[]> command(String name, byte[] tok) {
        return List.of(name.getBytes(StandardCharsets.US_ASCII), key, tok);
    }

    private static boolean isNullArray(byte[] reply) {
        return reply.length == 5 && reply[0] == '*' && reply[1] == '-' && reply[2] == '1';
    }

    private static byte[] internal(String error) {
        return ("-" + error).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] reply, byte[] prefix) {
        if (reply.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (reply[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** For tests: the deadline timer and the lease renewal are cancelled. */
    boolean timersStopped() {
        return (timer == null || timer.isCancelled()) && (renewer == null || renewer.isCancelled());
    }

    /** For tests: the token being followed. */
    String token() {
        return token == null ? null : new String(token, StandardCharsets.US_ASCII);
    }
}
