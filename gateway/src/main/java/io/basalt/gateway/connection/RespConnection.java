package io.basalt.gateway.connection;

import io.basalt.gateway.CommandResolver;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.local.LocalCommand;
import io.basalt.gateway.resp.ReplyTranscoder;
import io.basalt.gateway.resp.RespCommand;
import io.basalt.gateway.resp.RespProtocol;
import io.basalt.gateway.resp.RespProtocolError;
import io.basalt.gateway.resp.RespRequestDecoder;
import io.basalt.gateway.session.ClientSession;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RESP client connection: receives decoded commands, sends each where it executes, and
 * writes the replies back in request order.
 *
 * <p><b>Ordering.</b> Redis executes a connection's pipelined commands one after another; Basalt
 * executes them on a Raft group, concurrently with other connections, and must give the same
 * result. The rules, applied to commands in arrival order:
 * <ul>
 *   <li>Writes stream: a write may be sent while earlier writes of the connection are still in
 *       flight, because they all go through the same Ratis client, which applies them in order.</li>
 *   <li>A read is sent only when nothing earlier is in flight, and consecutive reads go out
 *       together in one read batch, which the shard executes atomically. So a read sees every
 *       earlier write of its connection and no later one.</li>
 *   <li>A write after a read waits for the read.</li>
 *   <li>A command the gateway answers itself (PING, HELLO, CLIENT, INFO...) runs once everything
 *       before it completed, so e.g. HELLO 3 changes the protocol of the replies after it only.</li>
 * </ul>
 * Each reply is transcoded for the protocol that was in force when its command was sent.
 *
 * <p><b>Threads.</b> Everything here runs on the channel's event loop; replies from shards
 * arrive on Ratis threads and are handed back to the event loop.
 *
 * <p><b>Backpressure.</b> With more than {@code pipelineCommandsMax} commands waiting, the
 * connection stops reading until replies drain to half of that.
 */
public final class RespConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RespConnection.class);

    private enum Kind { READ, WRITE, LOCAL, DONE }

    private static final class Slot {
        final Kind kind;
        final List<byte[]> argv;
        final CommandSpec spec;
        int protocol;
        byte[] reply;
        boolean sent;
        boolean closeAfter;

        Slot(Kind kind, List<byte[]> argv, CommandSpec spec, byte[] reply) {
            this.kind = kind;
            this.argv = argv;
            this.spec = spec;
            this.reply = reply;
            this.sent = reply != null;
        }
    }

    private final GatewayContext context;
    private final CommandResolver resolver;
    private final int pipelineMax;
    /** Commands not yet answered to the client, in arrival order. */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** Commands sent and not yet completed, and the kind they share. */
    private int inFlight;
    private Kind inFlightKind;
    private ChannelHandlerContext ctx;
    private ClientSession session;
    private boolean flushScheduled;
    /** True while pump() iterates the slots; replies arriving then are written after it. */
    private boolean pumping;
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
            accept(command.args());
        } else if (msg instanceof RespProtocolError error) {
            Slot slot = new Slot(Kind.DONE, null, null, error.replyBytes());
            slot.closeAfter = true;
            slots.addLast(slot);
            closing = true;
            ctx.channel().config().setAutoRead(false);
        } else {
            ctx.fireChannelRead(msg);
            return;
        }
        drain();
        if (slots.size() >= pipelineMax) {
            ctx.channel().config().setAutoRead(false);
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
            slots.addLast(done(new RespWriter(96).error(resolved.error())));
            return;
        }
        CommandSpec spec = resolved.spec();
        // before executing, so CLIENT INFO/LIST show the running command as Redis does
        session.recordCommand(spec.name(), System.currentTimeMillis());
        Kind kind = spec.site() == CommandSpec.Site.GATEWAY ? Kind.LOCAL : spec.isWrite() ? Kind.WRITE : Kind.READ;
        slots.addLast(new Slot(kind, argv, spec, null));
    }

    private static Slot done(RespWriter reply) {
        return new Slot(Kind.DONE, null, null, reply.toByteArray());
    }

    /** Sends every waiting command the ordering rules allow, in order. */
    private void pump() {
        List<Slot> run = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.sent) {
                continue;
            }
            boolean allowed = switch (slot.kind) {
                // writes stream behind earlier writes; reads join only the run being built now
                case WRITE -> inFlight == 0 || inFlightKind == Kind.WRITE || !run.isEmpty();
                case READ -> inFlight == 0 || !run.isEmpty() && run.get(0).kind == Kind.READ;
                case LOCAL -> inFlight == 0 && run.isEmpty();
                default -> throw new IllegalStateException("unsent slot of kind " + slot.kind);
            };
            if (!run.isEmpty() && run.get(0).kind != slot.kind) {
                if (run.get(0).kind == Kind.READ) {
                    break; // what follows a read waits for it
                }
                sendRun(run);
                allowed = slot.kind == Kind.WRITE;
            }
            if (!allowed) {
                break;
            }
            if (slot.kind == Kind.LOCAL) {
                runLocal(slot);
                if (closing || inFlight > 0) {
                    break;
                }
            } else {
                run.add(slot);
            }
        }
        sendRun(run);
    }

    /** Sends consecutive commands of one kind as one group (one batch for reads). */
    private void sendRun(List<Slot> run) {
        if (run.isEmpty()) {
            return;
        }
        boolean write = run.get(0).kind == Kind.WRITE;
        List<CommandSpec> specs = new ArrayList<>(run.size());
        List<List<byte[]>> argvs = new ArrayList<>(run.size());
        for (Slot slot : run) {
            slot.sent = true;
            slot.protocol = session.protocol();
            specs.add(slot.spec);
            argvs.add(slot.argv);
        }
        inFlight += run.size();
        inFlightKind = run.get(0).kind;
        List<CompletableFuture<byte[]>> replies = context.router().executeGroup(write, specs, argvs, (int) session.id());
        for (int i = 0; i < run.size(); i++) {
            complete(run.get(i), replies.get(i));
        }
        run.clear();
    }

    private void runLocal(Slot slot) {
        slot.sent = true;
        inFlight++;
        inFlightKind = Kind.LOCAL;
        CompletableFuture<byte[]> reply;
        LocalCommand command = context.localCommands().get(slot.spec.name());
        try {
            reply = command.execute(session, slot.argv);
        } catch (RuntimeException e) {
            LOG.error("gateway command {} failed", slot.spec.name(), e);
            reply = CompletableFuture.completedFuture(new RespWriter(64).error("ERR internal error in " + slot.spec.name()).toByteArray());
        }
        // The protocol of a local command's reply is the one after it ran (HELLO 3 answers in RESP3).
        slot.closeAfter = session.closeAfterReply();
        if (slot.closeAfter) {
            closing = true;
        }
        complete(slot, reply);
    }

    private void complete(Slot slot, CompletableFuture<byte[]> reply) {
        if (reply.isDone()) {
            onReply(slot, reply);
        } else {
            reply.whenComplete((r, e) -> ctx.channel().eventLoop().execute(() -> onReply(slot, reply)));
        }
    }

    private void onReply(Slot slot, CompletableFuture<byte[]> future) {
        byte[] reply = future.getNow(null);
        if (reply == null || future.isCompletedExceptionally()) {
            reply = new RespWriter(64).error("ERR internal error").toByteArray();
        }
        if (slot.kind == Kind.LOCAL) {
            // a local command's reply uses the protocol after it ran: HELLO 3 answers in RESP3
            slot.protocol = session.protocol();
        }
        slot.reply = reply;
        inFlight--;
        if (inFlight == 0) {
            inFlightKind = null;
        }
        if (!pumping) {
            drain();
        }
    }

    /** Writes what is ready, sends what may now be sent, and writes again. Event loop only. */
    private void drain() {
        writeReadyReplies();
        if (!closing) {
            pumping = true;
            try {
                pump();
            } finally {
                pumping = false;
            }
            writeReadyReplies();
        }
        scheduleFlush();
        if (!closing && !ctx.channel().config().isAutoRead() && slots.size() <= pipelineMax / 2) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Writes the replies at the head of the queue that are complete; stops at the first missing one. */
    private void writeReadyReplies() {
        while (!slots.isEmpty() && slots.peekFirst().reply != null) {
            Slot slot = slots.pollFirst();
            int protocol = slot.kind == Kind.DONE ? session.protocol() : slot.protocol;
            if (slot.reply.length > 0 && slot.reply[0] == '-') {
                context.stats().errorReplied();
            }
            ByteBuf out = ctx.alloc().buffer(slot.reply.length + 16);
            try {
                ReplyTranscoder.transcodeAll(slot.reply, out, RespProtocol.of(protocol));
            } catch (RuntimeException e) {
                out.release();
                LOG.error("malformed reply to {}; closing connection {}", slot.spec == null ? "?" : slot.spec.name(), session.id(), e);
                ctx.close();
                return;
            }
            if (slot.closeAfter) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                slots.clear();
                return;
            }
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

    /** For diagnostics: commands waiting for replies. */
    List<String> waitingCommands() {
        List<String> names = new ArrayList<>();
        slots.forEach(s -> names.add(s.spec == null ? "-" : s.spec.name()));
        return names;
    }
}
