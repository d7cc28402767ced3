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
    }
}
