package io.basalt.gateway.resp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds chunks of bytes through a {@link RespRequestDecoder} in an EmbeddedChannel and collects what comes out. */
final class DecoderHarness {
    private DecoderHarness() {}

    /** Bytes of a string written with one char per byte (ISO-8859-1), so "\xff" is the byte 0xff. */
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static byte[] repeat(char c, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    static List<Object> decode(byte[]... chunks) {
        return decode(RespLimits.DEFAULTS, chunks);
    }

    static List<Object> decode(RespLimits limits, byte[]... chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder(limits));
        List<Object> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            drain(channel, out);
        }
        channel.finish();
        drain(channel, out);
        return out;
    }

    static void drain(EmbeddedChannel channel, List<Object> out) {
        Object m;
        while ((m = channel.readInbound()) != null) {
            out.add(m);
        }
    }

    static RespCommand cmd(String... args) {
        return RespCommand.of(args);
    }

    /** A command whose arguments are given as one char per byte. */
    static RespCommand raw(String... args) {
        List<byte[]> list = new ArrayList<>();
        for (String a : args) {
            list.add(b(a));
        }
        return new RespCommand(list);
    }

    static RespProtocolError error(String message) {
        return new RespProtocolError(message);
    }
}
