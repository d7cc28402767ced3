package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Netty inbound handler turning a RESP client's bytes into {@link RespCommand}s, in order, one
 * message per command, however the bytes were split across reads (a {@link RespRequestParser}
 * on Netty's cumulation buffer, which holds partial input meanwhile).
 *
 * <p>Place it first in the pipeline (after TLS when there is TLS), before the connection
 * handler. On bad input it emits one {@link RespProtocolError} after the commands that preceded
 * the bad bytes; the connection handler replies {@link RespProtocolError#replyBytes()} once the
 * earlier commands' replies are written, then closes the channel. Input after the error is
 * discarded here, so nothing else reaches the handler. A partial command at end of stream is
 * dropped, as Redis drops it.
 */
public final class RespRequestDecoder extends ByteToMessageDecoder {

    private final RespRequestParser parser;

    public RespRequestDecoder() {
        this(RespLimits.DEFAULTS);
    }

    public RespRequestDecoder(RespLimits limits) {
        this.parser = new RespRequestParser(limits);
    }

    /** The parser, for its state (tests, CLIENT LIST's qbuf-like figures). */
    public RespRequestParser parser() {
        return parser;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Object message;
        while ((message = parser.next(in)) != null) {
            out.add(message);
        }
        reserveForPendingBulk(in);
    }

    /** Netty's cumulator doubles its buffer up to this size and adds this much at a time beyond. */
    static final int NETTY_DOUBLING_BYTES_MAX = 4 * 1024 * 1024;

    /** Room kept ahead while a big bulk arrives: more than one read brings (64 KiB by default). */
    static final int BULK_ROOM_BYTES = 1024 * 1024;

    /**
     * Past 4 MiB Netty's cumulator grows its buffer in 4 MiB steps, copying it each time, so a
     * big argument costs time quadratic in its size (measured: 256 MiB took 5 s, 1.4 s with
     * this). While a bulk is awaited of which more than 4 MiB have arrived, double the buffer
     * when it is nearly full instead: copying stays linear. The growth follows what has arrived,
     * never the declared length (at most twice the arrived bytes, and never past the bulk's
     * end), so a client announcing 512 MiB and sending little makes us hold little. A buffer that
     * cannot grow in place (read-only, at its max capacity) is left to the cumulator, which
     * copies it into a new one as usual.
     */
    private void reserveForPendingBulk(ByteBuf in) {
        int readable = in.readableBytes();
        if (parser.pendingBulkBytes() < 0 || readable < NETTY_DOUBLING_BYTES_MAX) {
            return;
        }
        long missing = parser.pendingBulkBytes() + 2L - readable;
        if (missing <= 0 || in.writableBytes() >= Math.min(missing, BULK_ROOM_BYTES)) {
            return;
        }
        in.ensureWritable((int) Math.min(missing, readable), false);
    }
}
