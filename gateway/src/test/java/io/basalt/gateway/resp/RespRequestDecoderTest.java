package io.basalt.gateway.resp;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static io.basalt.gateway.resp.DecoderHarness.b;
import static io.basalt.gateway.resp.DecoderHarness.cmd;
import static io.basalt.gateway.resp.DecoderHarness.concat;
import static io.basalt.gateway.resp.DecoderHarness.decode;
import static io.basalt.gateway.resp.DecoderHarness.error;
import static io.basalt.gateway.resp.DecoderHarness.raw;
import static io.basalt.gateway.resp.DecoderHarness.repeat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-exact decoding examples. Every protocol error text and every "Redis does X" below was
 * checked against redis-server 7.0.15 by sending the same bytes to it (python socket), noted
 * as "redis:" with what it answered.
 */
class RespRequestDecoderTest {

    @Test
    void multibulk() {
        assertEquals(List.of(cmd("SET", "key", "value")), decode(b("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")));
        assertEquals(List.of(cmd("ECHO", "")), decode(b("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")));
    }

    @Test
    void inline() {
        // redis: "PING\r\n", "PING\n" and "  PING   \t \r\n" all answer +PONG
        assertEquals(List.of(cmd("PING")), decode(b("PING\r\n")));
        assertEquals(List.of(cmd("PING")), decode(b("PING\n")));
        assertEquals(List.of(cmd("PING")), decode(b("  PING   \t \r\n")));
        assertEquals(List.of(cmd("SET", "a b", "it's")), decode(b("SET \"a b\" 'it\\'s'\r\n")));
    }

    @Test
    void binaryArgumentsRoundTripExactly() {
        byte[] value = b("a\r\n\u0000\r\n*1\r\n$3\r\n\u00ff\u00fe\u00c3(");
        byte[] request = concat(b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n"), value, b("\r\n"));
        List<Object> out = decode(request);
        assertEquals(1, out.size());
        RespCommand command = (RespCommand) out.get(0);
        assertEquals(3, command.size());
        assertArrayEquals(value, command.arg(2));
        // redis: SET k "a\r\n\0" then GET k gives back $4 a\r\n\0 exactly
        assertEquals(List.of(raw("SET", "k", "a\r\n\u0000"), raw("GET", "k")),
                decode(b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\n\u0000\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")));
    }

    @Test
    void pipelinedCommandsComeOutInOrder() {
        byte[] batch = b("*1\r\n$4\r\nPING\r\nECHO hi\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n\r\nQUIT\n");
        assertEquals(List.of(cmd("PING"), cmd("ECHO", "hi"), cmd("GET", "k"), cmd("QUIT")), decode(batch));
    }

    @Test
    void partialInputWaitsForMoreBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(b("*2\r\n$4\r\nECHO\r\n$5\r\nhel")));
        assertNull((Object) channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(b("lo\r")));
        assertNull((Object) channel.readInbound(), "the 2 bytes after the payload must be there too");
        channel.writeInbound(Unpooled.wrappedBuffer(b("\nPI")));
        assertEquals(cmd("ECHO", "hello"), channel.readInbound());
        assertNull((Object) channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(b("NG\r\n")));
        assertEquals(cmd("PING"), channel.readInbound());
        // redis: "*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*1\r\n$4\r\nPING" answers only $1 x: a partial command waits
        assertEquals(List.of(cmd("ECHO", "x")), decode(b("*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*1\r\n$4\r\nPING")));
        channel.finishAndReleaseAll();
    }

    @Test
    void emptyRequestsAreSkipped() {
        // redis: "\r\n\n  \r\nPING\r\n" -> +PONG; "*0", "*-1", "*-2" before PING -> +PONG, connection open
        assertEquals(List.of(cmd("PING")), decode(b("\r\n\n  \r\nPING\r\n")));
        assertEquals(List.of(cmd("PING")), decode(b("*0\r\nPING\r\n")));
        assertEquals(List.of(cmd("PING")), decode(b("*-1\r\nPING\r\n")));
        assertEquals(List.of(cmd("PING")), decode(b("*-2\r\nPING\r\n")));
        assertEquals(List.of(cmd("PING")), decode(b("*-9223372036854775808\r\nPING\r\n")));
    }

    @Test
    void bytesAfterCrAndAfterPayloadAreSkippedUnseenAsRedisDoes() {
        // redis: "*1\rX$4\rXPING\r\n" -> +PONG; "*1\r\n$4\r\nPINGXYPING\r\n" -> +PONG +PONG
        assertEquals(List.of(cmd("PING")), decode(b("*1\rX$4\rXPING\r\n")));
        assertEquals(List.of(cmd("PING"), cmd("PING")), decode(b("*1\r\n$4\r\nPINGXYPING\r\n")));
    }

    @Test
    void protocolErrorTexts() {
        // redis: each of these gets exactly "-ERR Protocol error: <text>\r\n" and the connection closed
        assertError("expected '$', got 'X'", b("*1\r\nX\r\n"));
        assertError("invalid multibulk length", b("*x\r\n"));
        assertError("invalid multibulk length", b("*\r\n"));
        assertError("invalid multibulk length", b("*-0\r\n"));
        assertError("invalid multibulk length", b("*01\r\n"));
        assertError("invalid multibulk length", b("* 1\r\n"));
        assertError("invalid multibulk length", b("*2147483648\r\n"));
        assertError("invalid bulk length", b("*1\r\n$-5\r\n"));
        assertError("invalid bulk length", b("*1\r\n$-1\r\n"));
        assertError("invalid bulk length", b("*1\r\n$536870913\r\n"));
        assertError("invalid bulk length", b("*1\r\n$\r\n"));
        assertError("invalid bulk length", b("*1\r\n$01\r\n"));
        assertError("invalid bulk length", b("*1\r\n$+1\r\n"));
        assertError("unbalanced quotes in request", b("ECHO \"abc\r\n"));
        assertError("too big inline request", repeat('x', 65537));
        assertError("too big mbulk count string", concat(b("*"), repeat('1', 65536)));
        assertError("too big bulk count string", concat(b("*1\r\n"), repeat('x', 65537)));
    }

    @Test
    void expectedDollarQuotesTheByteWithCrAndLfAsSpaces() {
        // redis: "*1\r\n\r\n" and "*1\r\n\n\r\n" -> got ' '; "*1\r\n\xff\r\n" -> got '\xff' (the raw byte)
        assertError("expected '$', got ' '", b("*1\r\n\r\n"));
        assertError("expected '$', got ' '", b("*1\r\n\n\r\n"));
        assertError("expected '$', got '\u00ff'", b("*1\r\n\u00ff\r\n"));
        assertArrayEquals(b("-ERR Protocol error: expected '$', got '\u00ff'\r\n"),
                error("expected '$', got '\u00ff'").replyBytes());
    }

    @Test
    void replyBytesAreRedisReplies() {
        assertArrayEquals(b("-ERR Protocol error: invalid bulk length\r\n"), error("invalid bulk length").replyBytes());
        assertArrayEquals(b("-ERR Protocol error: unbalanced quotes in request\r\n"),
                error(RespProtocolError.UNBALANCED_QUOTES).replyBytes());
    }

    @Test
    void commandsBeforeAnErrorComeFirstAndInputAfterItIsDiscarded() {
        // redis: "PING\r\n*1\r\nX\r\nPING\r\n" -> +PONG then the error, nothing for the last PING
        assertEquals(List.of(cmd("PING"), error("expected '$', got 'X'")), decode(b("PING\r\n*1\r\nX\r\nPING\r\n")));
        // redis: "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$-1\r\n" -> +PONG then invalid bulk length
        assertEquals(List.of(cmd("PING"), error("invalid bulk length")),
                decode(b("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$-1\r\n")));
        assertEquals(List.of(error("invalid multibulk length")),
                decode(b("*x\r\n"), b("PING\r\n"), b("*1\r\n$4\r\nPING\r\n")));

        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(b("ECHO 'a\r\n")));
        assertEquals(error("unbalanced quotes in request"), channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(b("PING\r\n")));
        assertNull((Object) channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void lineLengthLimitsAreExact() {
        // redis: 65536 bytes with no terminator wait for more; the 65537th byte makes the error
        assertEquals(List.of(), decode(repeat('x', 65536)));
        assertEquals(List.of(), decode(concat(b("*1\r\n"), repeat('x', 65536))));
        assertError("too big mbulk count string", concat(b("*"), repeat('1', 65536)));
        assertEquals(List.of(), decode(concat(b("*"), repeat('1', 65535))));
        // A line of 65536 bytes before its "\n" is accepted whatever the reads (a bigger one is
        // refused even when it arrives in one read; Redis might take it then, see RespRequestParser).
        byte[] arg = repeat('a', 65536);
        assertEquals(List.of(new RespCommand(List.of(arg))), decode(concat(arg, b("\n"))));
        assertError("too big inline request", concat(repeat('a', 65537), b("\n")));
        assertEquals(List.of(new RespCommand(List.of(repeat('a', 65535)))), decode(concat(repeat('a', 65535), b("\r\n"))));
        assertError("too big inline request", concat(repeat('a', 65536), b("\r\n")));
    }

    @Test
    void multibulkCountLimit() {
        // Redis 7.0 takes counts up to INT_MAX; our default stops at 1024 * 1024, as Redis < 7 did.
        assertError("invalid multibulk length", b("*1048577\r\n"));
        assertEquals(List.of(), decode(b("*1048576\r\n")));
        RespLimits small = new RespLimits(1024, 3, 100, 1000);
        assertEquals(List.of(cmd("a", "b", "c")), decode(small, b("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")));
        assertEquals(List.of(error("invalid multibulk length")), decode(small, b("*4\r\n")));
    }

    @Test
    void hugeCountsAndLengthsAllocateNothingUpFront() {
        // redis: "*2147483647\r\nPING\r\n" -> expected '$', got 'P': it takes the count and waits for bulks.
        RespLimits redisLike = new RespLimits(65536, Integer.MAX_VALUE, RespLimits.BULK_BYTES_MAX_DEFAULT, Long.MAX_VALUE);
        // Warm up (class loading, first channel) so that the measurements below see only decoding.
        decode(redisLike, b("*2\r\n"), b("PING\r\n"));
        decode(b("*2\r\n$3\r\nGET\r\n$5\r\n"), repeat('v', 3));
        long before = allocatedBytes();
        List<Object> out = decode(redisLike, b("*2147483647\r\n"), b("PING\r\n"));
        long allocated = allocatedBytes() - before;
        assertEquals(List.of(error("expected '$', got 'P'")), out);
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes");

        // redis: "*1\r\n$536870912\r\n" is accepted (proto-max-bulk-len) and waits for its bytes
        EmbeddedChannel channel = heapChannel();
        RespRequestParser parser = channel.pipeline().get(RespRequestDecoder.class).parser();
        before = allocatedBytes();
        channel.writeInbound(Unpooled.wrappedBuffer(b("*2\r\n$3\r\nGET\r\n$536870912\r\n")));
        channel.writeInbound(Unpooled.wrappedBuffer(repeat('v', 1000)));
        allocated = allocatedBytes() - before;
        assertNull((Object) channel.readInbound());
        assertEquals(536870912, parser.pendingBulkBytes());
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes");
        channel.finishAndReleaseAll();
    }

    @Test
    void commandBytesLimit() {
        // Basalt's own bound: declared argument bytes plus 24 per argument.
        RespLimits limits = new RespLimits(1024, 1000, 100, 24 * 3 + 10);
        assertEquals(List.of(cmd("SET", "k", "123456")), decode(limits, b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\n123456\r\n")));
        assertEquals(List.of(error("too big command")), decode(limits, b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$7\r\n")));
        assertEquals(List.of(error("too big command")), decode(limits, b("*4\r\n")));
        assertEquals(List.of(error("invalid bulk length")), decode(limits, b("*1\r\n$101\r\n")));
    }

    @Test
    void nulInAnInlineLineEndsIt() {
        // redis: "ECHO a\0b\r\nPING\r\n" gets no answer at all: it finds line ends with strchr,
        // which stops at the NUL, and waits until 64 KiB pile up ("too big inline request").
        // We find the line end by length and then split as sdssplitargs would: the NUL ends the line.
        assertEquals(List.of(cmd("ECHO", "a"), cmd("PING")), decode(b("ECHO a\u0000b\r\nPING\r\n")));
        assertError("unbalanced quotes in request", b("ECHO \"a\u0000\"\r\n"));
        // redis: "*1\x00\r\n..." also hangs; we read the line and refuse the count.
        assertError("invalid multibulk length", b("*1\u0000\r\n$4\r\nPING\r\n"));
        assertError("invalid bulk length", b("*1\r\n$4\u0000\r\nPING\r\n"));
    }

    @Test
    void inlineFirstByteDecidesTheKind() {
        assertEquals(List.of(cmd("*1")), decode(b(" *1\r\n")));
        assertEquals(List.of(cmd("$4")), decode(b("$4\r\n")));
    }

    @Test
    void splitAtEveryByteBoundaryGivesTheSameMessages() {
        List<byte[]> corpus = List.of(
                b("*3\r\n$3\r\nSET\r\n$4\r\nk\r\n1\r\n$5\r\n\u0000\u00ff\r\n*\r\n*1\r\n$4\r\nPING\r\n"),
                b("PING\r\nECHO \"a\\x41 b\" 'c\\'d'\n\r\n*0\r\n*-1\r\nGET k\r\n"),
                b("*1\rX$4\rXPINGXY*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"),
                b("PING\r\n*2\r\n$4\r\nECHO\r\n$-3\r\nPING\r\n"),
                b("GET a\r\nECHO \"x\r\nPING\r\n"),
                b("*1\r\n$4\r\nPING\r\n*1\r\nZ\r\n"),
                concat(b("PING\r\n"), repeat('y', 70000)),
                concat(b("*1\r\n$4\r\nPING\r\n*"), repeat('9', 65600)),
                concat(b("*2\r\n$3\r\nGET\r\n$70000\r\n"), repeat('z', 70000), b("\r\nPING\r\n")));
        for (byte[] input : corpus) {
            List<Object> whole = decode(input);
            for (int i = 0; i <= input.length; i += input.length > 1000 ? 97 : 1) {
                byte[] first = java.util.Arrays.copyOfRange(input, 0, i);
                byte[] rest = java.util.Arrays.copyOfRange(input, i, input.length);
                assertEquals(whole, decode(first, rest), "split at " + i);
            }
            if (input.length < 1000) {
                byte[][] bytes = new byte[input.length][];
                for (int i = 0; i < input.length; i++) {
                    bytes[i] = new byte[] {input[i]};
                }
                assertEquals(whole, decode(bytes), "byte by byte");
                for (int i = 0; i <= input.length; i++) {
                    for (int j = i; j <= input.length; j++) {
                        assertEquals(whole, decode(java.util.Arrays.copyOfRange(input, 0, i),
                                java.util.Arrays.copyOfRange(input, i, j),
                                java.util.Arrays.copyOfRange(input, j, input.length)), "split at " + i + ", " + j);
                    }
                }
            }
        }
    }

    @Test
    void aLineTricklingInIsScannedOnce() {
        // 64 KiB one byte at a time (the longest line allowed): rescanning from the start each time would cost ~2^31 steps.
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        for (int i = 0; i < 65535; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a'}));
        }
        channel.writeInbound(Unpooled.wrappedBuffer(b("\r\n")));
        RespCommand command = channel.readInbound();
        assertEquals(65535, command.arg(0).length);
        channel.finishAndReleaseAll();
    }

    @Test
    void bigBulkMakesTheDecoderHoldWhatArrivedNotWhatWasAnnounced() {
        EmbeddedChannel channel = heapChannel();
        byte[] chunk = repeat('v', 64 * 1024);
        channel.writeInbound(Unpooled.wrappedBuffer(b("*1\r\n$536870912\r\n")));
        channel.writeInbound(Unpooled.wrappedBuffer(chunk)); // warm-up
        long before = allocatedBytes();
        for (int i = 1; i < 8 * 16; i++) { // 8 MiB in all
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        long allocated = allocatedBytes() - before;
        assertNull((Object) channel.readInbound());
        // the cumulation's growth (Netty doubling to 4 MiB, ours beyond): far below the 512 MiB announced
        assertTrue(allocated < 48L * 1024 * 1024, "allocated " + allocated + " bytes for 8 MiB received");
        channel.finishAndReleaseAll();
    }

    @Test
    void bigBulkArrivingInManyReadsDecodesExactly() {
        int length = 13 * 1024 * 1024 + 17;
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31 + (i >>> 13));
        }
        byte[] input = concat(b("*2\r\n$3\r\nSET\r\n$" + length + "\r\n"), payload, b("\r\nPING\r\n"));
        for (EmbeddedChannel channel : List.of(new EmbeddedChannel(new RespRequestDecoder()), heapChannel())) {
            for (int at = 0; at < input.length; at += 65000) {
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(65000, input.length - at)));
            }
            RespCommand set = channel.readInbound();
            assertArrayEquals(payload, set.arg(1));
            assertEquals(cmd("PING"), channel.readInbound());
            channel.finishAndReleaseAll();
        }
    }

    /** A channel whose buffers live on the heap, where ThreadMXBean sees their allocation. */
    private static EmbeddedChannel heapChannel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
        channel.pipeline().addLast(new RespRequestDecoder());
        return channel;
    }

    private static void assertError(String text, byte[] input) {
        List<Object> out = decode(input);
        assertEquals(List.of(error(text)), out, () -> "for input " + new RespCommand(List.of(input)));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
