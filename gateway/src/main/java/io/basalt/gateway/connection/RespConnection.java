package io.basalt.gateway.connection;

import io.basalt.gateway.CommandResolver;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.MemoryGuard;
import io.basalt.gateway.cluster.CrossSlot;
import io.basalt.gateway.local.LocalCommand;
import io.basalt.gateway.resp.ReplyTranscoder;
import io.basalt.gateway.resp.RespCommand;
import io.basalt.gateway.resp.RespProtocol;
import io.basalt.gateway.resp.RespProtocolError;
import io.basalt.gateway.resp.RespRequestDecoder;
import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RESP client connection: receives decoded commands, sends each where it executes, and
 * writes the replies back in request order.
 *
 * <p><b>Ordering.</b> Redis executes a connection's pipelined commands one after another; Basalt
 * executes them on a Raft group, concurrently with other connections, and must give the same
 * result. Commands are sent in arrival order under these rules:
 * <ul>
 *   <li>Writes stream: a write may be sent while earlier writes of the connection are in flight,
 *       because the connection always uses the same Ratis client of each shard, which applies its
 *       requests in order. With several shards the routing client splits each run by shard and
 *       sends the parts concurrently; replies still go out in request order (below).</li>
 *   <li>A read that follows writes of its connection still in flight joins that stream: it goes
 *       through the log behind them ("log read") instead of waiting. Otherwise a run of reads is
 *       sent as one linearizable read (ReadIndex), executed atomically on the shard; what comes
 *       after such a run waits for it.</li>
 *   <li>Commands the gateway answers itself run on arrival (their replies still go out in
 *       order), except {@link #BARRIERS}, which need the shards' state as of every earlier
 *       command and wait until everything before them completed.</li>
 *   <li>A blocking command (BLPOP...) goes through the log behind earlier writes; nothing after it
 *       is sent until its final reply, as Redis runs nothing else for a blocked client. If it
 *       blocked, a {@link BlockedCall} follows it to that reply.</li>
 * </ul>
 * Each reply is transcoded for the protocol in force when its command arrived, so HELLO 3 in a
 * pipeline changes the replies after it only.
 *
 * <p><b>Threads.</b> Everything here runs on the channel's event loop; replies from shards
 * arrive on Ratis threads and are handed back to the event loop.
 *
 * <p><b>Backpressure.</b> The connection stops reading while more than {@code pipelineCommandsMax}
 * commands wait for replies (until half of them are answered), and while its channel is not
 * writable because the client does not read its replies; so what one client can make the
 * gateway hold is bounded.
 */
public final class RespConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RespConnection.class);

    /** Gateway commands whose reply depends on the shards' state: they wait for earlier commands. */
    static final Set<String> BARRIERS = Set.of("info");

    private enum Kind { READ, WRITE, BARRIER, BLOCKING, DONE }

    private static final class Slot {
        final Kind kind;
        final List<byte[]> argv;
        final CommandSpec spec;
        int protocol;
        byte[] reply;
        boolean sent;
        /** Sent through the log: a write, or a read streamed behind writes. */
        boolean viaLog;
        boolean closeAfter;
        /** System.nanoTime() at arrival: a blocking command's timeout counts from here. */
        final long arrivalNanos = System.nanoTime();

        Slot(Kind kind, List<byte[]> argv, CommandSpec spec, int protocol) {
            this.kind = kind;
            this.argv = argv;
            this.spec = spec;
            this.protocol = protocol;
        }
    }

    private final GatewayContext context;
    private final CommandResolver resolver;
    private final int pipelineMax;
    /** Commands not yet answered to the client, in arrival order. */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private int inFlightLog;
    private int inFlightReads;
    private int inFlightBarriers;
    /**
     * The blocked command being followed (BLPOP... that found no data); null when none. While a
     * blocking command is in flight or blocked, nothing after it runs, as in Redis.
     */
    private BlockedCall blocked;
    private boolean blockingInFlight;
    private ChannelHandlerContext ctx;
    private ClientSession session;
    private boolean flushScheduled;
    /** Replies completed on other threads, waiting for the event loop (see takeInArrived). */
    private final ConcurrentLinkedQueue<Arrived> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean takeInScheduled = new AtomicBoolean();

    private record Arrived(Slot slot, CompletableFuture<byte[]> future) {}
    /** True while pump() iterates the slots; replies arriving then are written after it. */
    private boolean pumping;
    /** No more input is accepted (QUIT, protocol error, channel closed). */
    private boolean closing;

    private RespConnection(GatewayContext context) {
        this.context = context;
        this.resolver = context.resolver();
        this.pipelineMax = context.config().pipelineCommandsMax();
    }

    /** Adds the RESP decoder and a connection handler to a new channel's pipeline. */
    public static void install(ChannelPipeline pipeline, GatewayContext context) {
        pipeline.addLast("resp-decoder", new RespRequestDecoder(context.respLimits()));
        pipeline.addLast("resp-connection", new RespConnection(context));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = context.clients().open((InetSocketAddress) ctx.channel().remoteAddress(),
            (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (blocked != null) {
            blocked.cancel();
            blocked = null;
            context.stats().blockedClients(-1);
        }
        if (session != null) {
            context.clients().close(session);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (msg instanceof RespCommand command) {
            try {
                accept(command.args());
            } catch (RuntimeException e) {
                // a gateway bug must not drop the replies this connection is already owed
                LOG.error("connection {}: command failed in the gateway", session.id(), e);
                done(new RespWriter(64).error("ERR internal error").toByteArray());
            }
        } else if (msg instanceof RespProtocolError error) {
            Slot slot = done(error.replyBytes());
            slot.closeAfter = true;
            stopReading();
        } else {
            ctx.fireChannelRead(msg);
            return;
        }
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    /** Reads while the pipeline has room and the client takes its replies. */
    private void updateReading() {
        boolean reading = ctx.channel().config().isAutoRead();
        boolean roomy = reading ? slots.size() < pipelineMax : slots.size() <= pipelineMax / 2;
        boolean read = !closing && roomy && ctx.channel().isWritable();
        if (read != reading) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed: {}", session == null ? "?" : session.id(), cause.toString());
        ctx.close();
    }

    private void accept(List<byte[]> argv) {
        CommandResolver.Resolved resolved = resolver.resolve(argv);
        context.stats().commandProcessed();
        if (!resolved.ok()) {
            done(new RespWriter(96).error(resolved.error()).toByteArray());
            return;
        }
        CommandSpec spec = resolved.spec();
        if (context.clusterEnabled() && spec.runsOnShard() && CrossSlot.violates(spec, argv)) {
            done(new RespWriter(64).error(ErrorReplies.CROSSSLOT).toByteArray());
            return;
        }
        String moved = context.clusterEnabled() && spec.runsOnShard() ? context.movedFor(spec, argv, session.readOnly()) : null;
        if (moved != null) {
            done(new RespWriter(64).error(moved).toByteArray());
            return;
        }
        // before executing, so CLIENT INFO/LIST show the running command as Redis does
        session.recordCommand(spec.name(), System.currentTimeMillis());
        if (spec.runsOnShard()) {
            MemoryGuard memory = context.memoryGuard();
            if (memory != null && memory.refuses(spec)) {
                done(new RespWriter(96).error(MemoryGuard.OOM).toByteArray());
                return;
            }
            Kind kind = spec.has(CommandSpec.Flag.BLOCKING) ? Kind.BLOCKING : spec.isWrite() ? Kind.WRITE : Kind.READ;
            slots.addLast(new Slot(kind, argv, spec, session.protocol()));
        } else if (BARRIERS.contains(spec.name())) {
            slots.addLast(new Slot(Kind.BARRIER, argv, spec, session.protocol()));
        } else {
            // Runs now: its effects (HELLO's protocol, SETNAME...) apply to the commands after it.
            Slot slot = new Slot(Kind.DONE, argv, spec, session.protocol());
            slots.addLast(slot);
            slot.sent = true;
            CompletableFuture<byte[]> reply = runLocal(spec, argv);
            slot.protocol = session.protocol(); // HELLO 3 answers in RESP3
            if (session.closeAfterReply()) {
                slot.closeAfter = true;
                stopReading();
            }
            complete(slot, reply);
        }
    }

    /** Adds a slot whose reply is already known. */
    private Slot done(byte[] reply) {
        Slot slot = new Slot(Kind.DONE, null, null, session.protocol());
        slot.reply = reply;
        slot.sent = true;
        slots.addLast(slot);
        return slot;
    }

    private void stopReading() {
        closing = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Sends every waiting command the ordering rules allow, in order. */
    private void pump() {
        if (!ctx.channel().isActive()) {
            return;
        }
        List<Slot> run = new ArrayList<>();
        boolean runViaLog = false;
        for (Slot slot : slots) {
            if (blockingInFlight) {
                break; // a blocked client runs nothing until its blocking command returns
            }
            if (slot.sent) {
                continue;
            }
            if (slot.kind == Kind.BARRIER) {
                if (!run.isEmpty() || inFlightLog + inFlightReads + inFlightBarriers > 0) {
                    break;
                }
                runBarrier(slot);
                if (inFlightBarriers > 0) {
                    break;
                }
                continue;
            }
            if (inFlightBarriers > 0 || inFlightReads > 0) {
                break; // anything after a read batch or a barrier waits for it
            }
            if (slot.kind == Kind.WRITE || slot.kind == Kind.BLOCKING || inFlightLog > 0) {
                runViaLog = true; // reads in a run with writes travel through the log with them
            }
            run.add(slot);
            if (slot.kind == Kind.BLOCKING) {
                blockingInFlight = true;
                break;
            }
        }
        sendRun(run, runViaLog);
    }

    /** Sends consecutive shard commands as one group: through the log, or as one read batch. */
    private void sendRun(List<Slot> run, boolean viaLog) {
        if (run.isEmpty()) {
            return;
        }
        List<CommandSpec> specs = new ArrayList<>(run.size());
        List<List<byte[]>> argvs = new ArrayList<>(run.size());
        for (Slot slot : run) {
            slot.sent = true;
            slot.viaLog = viaLog;
            specs.add(slot.spec);
            argvs.add(slot.argv);
        }
        if (viaLog) {
            inFlightLog += run.size();
        } else {
            inFlightReads += run.size();
        }
        List<CompletableFuture<byte[]>> replies;
        try {
            // READONLY (cluster mode only): a read group may be served by followers
            replies = context.shards().executeGroup(viaLog, !viaLog && session.readOnly(), specs, argvs, (int) session.id());
        } catch (RuntimeException e) {
            // These slots are marked sent and counted in flight: without a reply each, the
            // connection would wait for them forever (or, thrown from channelRead, be closed
            // with earlier replies still owed). Answer them in place instead.
            LOG.error("connection {}: sending {} commands failed", session.id(), run.size(), e);
            replies = Collections.nCopies(run.size(), CompletableFuture.failedFuture(e));
        }
        for (int i = 0; i < run.size(); i++) {
            complete(run.get(i), replies.get(i));
        }
    }

    private void runBarrier(Slot slot) {
        slot.sent = true;
        inFlightBarriers++;
        complete(slot, runLocal(slot.spec, slot.argv));
    }

    private CompletableFuture<byte[]> runLocal(CommandSpec spec, List<byte[]> argv) {
        LocalCommand command = context.localCommands().get(spec.name());
        try {
            return command.execute(session, argv);
        } catch (RuntimeException e) {
            LOG.error("gateway command {} failed", spec.name(), e);
            return CompletableFuture.completedFuture(new RespWriter(64).error("ERR internal error").toByteArray());
        }
    }

    private void complete(Slot slot, CompletableFuture<byte[]> reply) {
        if (reply.isDone()) {
            onReply(slot, reply);
        } else {
            reply.whenComplete((r, e) -> {
                arrived.add(new Arrived(slot, reply));
                if (takeInScheduled.compareAndSet(false, true)) {
                    ctx.channel().eventLoop().execute(this::takeInArrived);
                }
            });
        }
    }

    /**
     * Takes in every reply that arrived since the last call, then drains once: a batch of
     * replies costs one event-loop task and one write, not one per command.
     */
    private void takeInArrived() {
        takeInScheduled.set(false); // before polling: a reply added after this schedules anew
        pumping = true;
        try {
            for (Arrived a = arrived.poll(); a != null; a = arrived.poll()) {
                onReply(a.slot(), a.future());
            }
        } finally {
            pumping = false;
        }
        drain();
    }

    private void onReply(Slot slot, CompletableFuture<byte[]> future) {
        byte[] reply = future.isCompletedExceptionally() ? null : future.getNow(null);
        slot.reply = reply != null ? reply : new RespWriter(64).error("ERR internal error").toByteArray();
        switch (slot.kind) {
            case BARRIER -> inFlightBarriers--;
            case READ, WRITE -> {
                if (slot.viaLog) {
                    inFlightLog--;
                } else {
                    inFlightReads--;
                }
            }
            case BLOCKING -> {
                inFlightLog--;
                if (BlockedCall.isBlocked(slot.reply)) {
                    slot.reply = null; // the client waits; the BlockedCall brings the real reply
                    follow(slot, reply);
                } else {
                    blockingInFlight = false;
                }
            }
            default -> { }
        }
        if (!pumping) {
            drain();
        }
    }

    /** Follows a blocked command until its final reply, which then takes the slot's place. */
    private void follow(Slot slot, byte[] blockedReply) {
        BlockedCall call = new BlockedCall(context.shards(), context.table(), ctx.channel().eventLoop(), slot.spec,
            slot.argv, (int) session.id(), slot.arrivalNanos, finalReply -> {
                blocked = null;
                context.stats().blockedClients(-1);
                blockingInFlight = false;
                slot.reply = finalReply;
                drain();
            });
        if (!ctx.channel().isActive()) {
            call.abandon(blockedReply); // the client left while its command was on the way
            return;
        }
        blocked = call;
        context.stats().blockedClients(1);
        call.start(blockedReply);
    }

    /** Writes what is ready, sends what may now be sent, and writes again. Event loop only. */
    private void drain() {
        writeReadyReplies();
        pumping = true;
        try {
            pump();
        } finally {
            pumping = false;
        }
        writeReadyReplies();
        scheduleFlush();
        updateReading();
    }

    /** Writes the replies at the head of the queue that are complete; stops at the first missing one. */
    private void writeReadyReplies() {
        ByteBuf out = null; // every ready reply goes into one buffer and one write
        while (!slots.isEmpty() && slots.peekFirst().reply != null) {
            Slot slot = slots.pollFirst();
            if (slot.reply.length > 0 && slot.reply[0] == '-') {
                context.stats().errorReplied();
            }
            if (out == null) {
                out = ctx.alloc().buffer(Math.max(256, slot.reply.length + 16));
            }
            try {
                ReplyTranscoder.transcodeAll(slot.reply, out, RespProtocol.of(slot.protocol));
            } catch (RuntimeException e) {
                // out keeps the replies before this one (the transcoder leaves it unchanged on error)
                LOG.error("malformed reply to {}; closing connection {}", slot.spec == null ? "?" : slot.spec.name(), session.id(), e);
                stopReading();
                slots.clear();
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (slot.closeAfter) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                slots.clear();
                return;
            }
        }
        if (out != null) {
            ctx.write(out);
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.channel().eventLoop().execute(() -> {
                flushScheduled = false;
                ctx.flush();
            });
        }
    }
}
