package io.basalt.gateway.resp;

import io.basalt.router.reply.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static io.basalt.gateway.resp.RespProtocol.RESP2;
import static io.basalt.gateway.resp.RespProtocol.RESP3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reply transcoding, byte for byte. The "redis:" pairs are what redis-server 7.0.15 answers to
 * {@code DEBUG PROTOCOL <type>} after {@code HELLO 3} and {@code HELLO 2}.
 */
class ReplyTranscoderTest {

    @Test
    void typesThatStayTheSame() {
        for (String same : new String[] {"+OK\r\n", "-ERR no\r\n", ":12345\r\n", ":-9223372036854775808\r\n",
                "$11\r\nHello World\r\n", "$0\r\n\r\n", "*0\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"}) {
            assertTranscodes(same, same, same);
        }
    }

    @Test
    void nulls() {
        // redis: DEBUG PROTOCOL null -> RESP3 "_", RESP2 "$-1"
        assertTranscodes("$-1\r\n", "_\r\n", "$-1\r\n");
        assertTranscodes("*-1\r\n", "_\r\n", "*-1\r\n");
        assertTranscodes("_\r\n", "_\r\n", "$-1\r\n");
        assertTranscodes("*3\r\n$-1\r\n*-1\r\n$1\r\nx\r\n", "*3\r\n_\r\n_\r\n$1\r\nx\r\n", "*3\r\n$-1\r\n*-1\r\n$1\r\nx\r\n");
    }

    @Test
    void arraysOfPairsNestForResp3AndFlattenForResp2() {
        // redis 7.0.15, ZRANGE z 0 -1 WITHSCORES: RESP3 [[m, score], ...], RESP2 flat
        assertTranscodes("&2\r\n$1\r\na\r\n,1\r\n$1\r\nb\r\n,2.5\r\n",
                "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n",
                "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n");
        assertTranscodes("&0\r\n", "*0\r\n", "*0\r\n");
        // inside another aggregate, with nulls to rewrite
        assertTranscodes("*2\r\n&1\r\n$-1\r\n:1\r\n+OK\r\n",
                "*2\r\n*1\r\n*2\r\n_\r\n:1\r\n+OK\r\n",
                "*2\r\n*2\r\n$-1\r\n:1\r\n+OK\r\n");
    }

    @Test
    void resp3TypesForResp2Clients() {
        // redis: DEBUG PROTOCOL double / bignum / true / false / verbatim / set / map
        assertTranscodes(",3.141\r\n", ",3.141\r\n", "$5\r\n3.141\r\n");
        assertTranscodes(",-inf\r\n", ",-inf\r\n", "$4\r\n-inf\r\n");
        assertTranscodes("(1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n",
                "$37\r\n1234567999999999999999999999999999999\r\n");
        assertTranscodes("#t\r\n", "#t\r\n", ":1\r\n");
        assertTranscodes("#f\r\n", "#f\r\n", ":0\r\n");
        assertTranscodes("=29\r\ntxt:This is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n",
                "$25\r\nThis is a verbatim\nstring\r\n");
        assertTranscodes("~3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n");
        assertTranscodes("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
                "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
        // redis refuses DEBUG PROTOCOL push on RESP2; we send pushes (pub/sub messages) as arrays, as RESP2 pub/sub does.
        assertTranscodes(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n",
                "*2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
        assertTranscodes("!9\r\nERR a\r\nb.\r\n", "!9\r\nERR a\r\nb.\r\n", "-ERR a  b.\r\n");
        assertTranscodes("%0\r\n", "%0\r\n", "*0\r\n");
    }

    @Test
    void attributesAreDroppedForResp2() {
        // redis: DEBUG PROTOCOL attrib
        String attributed = "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
                + "$39\r\nSome real reply following the attribute\r\n";
        assertTranscodes(attributed, attributed, "$39\r\nSome real reply following the attribute\r\n");
        // inside an aggregate, an attribute is not an element; nulls inside a RESP3 attribute become _
        assertTranscodes("*2\r\n:1\r\n|1\r\n+k\r\n$-1\r\n#t\r\n", "*2\r\n:1\r\n|1\r\n+k\r\n_\r\n#t\r\n", "*2\r\n:1\r\n:1\r\n");
        // rewritten types inside a dropped attribute must not leak out
        assertTranscodes("|2\r\n#t\r\n%1\r\n,1.5\r\n_\r\n(7\r\n=5\r\ntxt:x\r\n$1\r\nv\r\n",
                "|2\r\n#t\r\n%1\r\n,1.5\r\n_\r\n(7\r\n=5\r\ntxt:x\r\n$1\r\nv\r\n", "$1\r\nv\r\n");
        assertTranscodes("|0\r\n|0\r\n+OK\r\n", "|0\r\n|0\r\n+OK\r\n", "+OK\r\n");
        String inner = "|1\r\n+k\r\n|1\r\n+a\r\n$-1\r\n+v\r\n:7\r\n";
        assertTranscodes(inner, "|1\r\n+k\r\n|1\r\n+a\r\n_\r\n+v\r\n:7\r\n", ":7\r\n");
    }

    @Test
    void nestedAggregates() {
        String internal = "%2\r\n$4\r\nname\r\n*3\r\n$-1\r\n~1\r\n#t\r\n%1\r\n,0.5\r\n*-1\r\n$5\r\nempty\r\n*0\r\n";
        String resp3 = "%2\r\n$4\r\nname\r\n*3\r\n_\r\n~1\r\n#t\r\n%1\r\n,0.5\r\n_\r\n$5\r\nempty\r\n*0\r\n";
        String resp2 = "*4\r\n$4\r\nname\r\n*3\r\n$-1\r\n*1\r\n:1\r\n*2\r\n$3\r\n0.5\r\n*-1\r\n$5\r\nempty\r\n*0\r\n";
        assertTranscodes(internal, resp3, resp2);
    }

    @Test
    void repliesWrittenByTheEngineWriter() {
        RespWriter w = new RespWriter();
        w.array(5).bulk("k").nullBulk().dbl(1.0 / 3).bool(true).map(1).simple("a").verbatim("txt", "hi".getBytes(StandardCharsets.UTF_8));
        ByteBuf out = Unpooled.buffer();
        assertEquals(1, ReplyTranscoder.transcodeAll(w.toByteArray(), out, RESP2));
        assertEquals("*5\r\n$1\r\nk\r\n$-1\r\n$19\r\n0.33333333333333331\r\n:1\r\n*2\r\n+a\r\n$2\r\nhi\r\n", string(out));
        out.clear();
        ReplyTranscoder.transcodeAll(w.toByteArray(), out, RESP3);
        assertEquals("*5\r\n$1\r\nk\r\n_\r\n,0.33333333333333331\r\n#t\r\n%1\r\n+a\r\n=6\r\ntxt:hi\r\n", string(out));
    }

    @Test
    void binaryPayloadsAreCopiedExactly() {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        payload[10] = '\r';
        payload[11] = '\n';
        byte[] internal = ReplyModel.concat(ReplyModel.ascii("*2\r\n$" + payload.length + "\r\n"), payload,
                ReplyModel.ascii("\r\n=" + (payload.length + 4) + "\r\nmkd:"), payload, ReplyModel.ascii("\r\n"));
        byte[] resp2 = ReplyModel.concat(ReplyModel.ascii("*2\r\n$" + payload.length + "\r\n"), payload,
                ReplyModel.ascii("\r\n$" + payload.length + "\r\n"), payload, ReplyModel.ascii("\r\n"));
        ByteBuf out = Unpooled.buffer();
        ReplyTranscoder.transcodeAll(internal, out, RESP2);
        assertTrue(Arrays.equals(resp2, ByteBufUtil.getBytes(out)));
        out.clear();
        ReplyTranscoder.transcodeAll(internal, out, RESP3);
        assertTrue(Arrays.equals(internal, ByteBufUtil.getBytes(out)));
    }

    @Test
    void transcodeTakesOneReplyAndLeavesTheRest() {
        ByteBuf src = Unpooled.wrappedBuffer(bytes("#t\r\n$-1\r\n+OK"));
        ByteBuf out = Unpooled.buffer();
        ReplyTranscoder.transcode(src, out, RESP2);
        assertEquals(":1\r\n", string(out));
        ReplyTranscoder.transcode(src, out, RESP2);
        assertEquals(":1\r\n$-1\r\n", string(out));
        assertEquals("+OK", src.toString(StandardCharsets.US_ASCII));
        assertThrows(MalformedReplyException.class, () -> ReplyTranscoder.transcode(src, out, RESP2));
        assertEquals(3, src.readableBytes());
        assertEquals(":1\r\n$-1\r\n", string(out));
    }

    @Test
    void malformedRepliesFailCleanlyWithoutOutput() {
        String[][] cases = {
                {"", "expected a value"},
                {"+OK", "no CRLF"},
                {"+OK\n", "line not ended by CRLF"},
                {"+O\rK\r\n", "line not ended by CRLF"},
                {":12a\r\n", "integer is not a number"},
                {":\r\n", "integer is not a number"},
                {"$5\r\nabc\r\n", "truncated reply"},
                {"$3\r\nabcd\r\n", "payload not followed by CRLF"},
                {"$-2\r\n", "negative length"},
                {"*-2\r\n", "negative count"},
                {"%-1\r\n", "negative count"},
                {"*3\r\n:1\r\n:2\r\n", "truncated reply"},
                {"*1000\r\n:1\r\n", "cannot fit"},
                {"%1073741824\r\n", "cannot fit"},
                {"#x\r\n", "boolean"},
                {"_x\r\n", "null '_' with text"},
                {",1.5x\r\n", "double with byte"},
                {",\r\n", "empty double"},
                {"(12a\r\n", "big number"},
                {"(-\r\n", "big number without digits"},
                {"=3\r\ntxt\r\n", "verbatim"},
                {"=5\r\ntxtx1\r\n", "verbatim"},
                {"$?\r\n", "not a number"},
                {"?1\r\n", "unknown reply type byte 0x3f"},
                {"\u0000", "unknown reply type byte 0x0"},
                {"*2\r\n:1\r\n|1\r\n+k\r\n", "truncated reply"},
                {"*2\r\n:1\r\n|1\r\n+k\r\n+v\r\n", "expected a value"},
        };
        for (String[] c : cases) {
            for (RespProtocol protocol : RespProtocol.values()) {
                ByteBuf out = Unpooled.buffer().writeBytes(bytes("before"));
                ByteBuf src = Unpooled.wrappedBuffer(bytes(c[0]));
                MalformedReplyException e = assertThrows(MalformedReplyException.class,
                        () -> ReplyTranscoder.transcode(src, out, protocol), c[0]);
                assertTrue(e.getMessage().startsWith("malformed reply at byte "), e.getMessage());
                assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
                assertEquals("before", string(out), "output untouched after " + c[0]);
                assertEquals(0, src.readerIndex());
            }
        }
        MalformedReplyException e = assertThrows(MalformedReplyException.class,
                () -> ReplyTranscoder.transcodeAll(bytes("+OK\r\n*2\r\n:1\r\n:x\r\n"), Unpooled.buffer(), RESP2));
        assertEquals("malformed reply at byte 13: ':' integer is not a number", e.getMessage());
    }

    @Test
    void nestingIsBounded() {
        ByteBuf out = Unpooled.buffer();
        ReplyTranscoder.transcodeAll(nested(ReplyTranscoder.DEPTH_MAX), out, RESP2);
        assertEquals(nested(ReplyTranscoder.DEPTH_MAX).length, out.readableBytes());
        MalformedReplyException e = assertThrows(MalformedReplyException.class,
                () -> ReplyTranscoder.transcodeAll(nested(ReplyTranscoder.DEPTH_MAX + 1), Unpooled.buffer(), RESP3));
        assertTrue(e.getMessage().contains("nested deeper than 128"), e.getMessage());
        // a million levels fail the same way, without a stack overflow
        byte[] deep = new byte[4 * 1_000_000];
        for (int i = 0; i < deep.length; i += 4) {
            deep[i] = '*';
            deep[i + 1] = '1';
            deep[i + 2] = '\r';
            deep[i + 3] = '\n';
        }
        assertThrows(MalformedReplyException.class, () -> ReplyTranscoder.transcodeAll(deep, Unpooled.buffer(), RESP2));
    }

    /** {@code levels} nested one-element arrays around :1. */
    static byte[] nested(int levels) {
        return bytes("*1\r\n".repeat(levels) + ":1\r\n");
    }

    @Test
    void randomRepliesMatchIndependentEncoders() {
        long seed = Long.getLong("basalt.fuzz.seed", System.nanoTime());
        System.out.println("ReplyTranscoderTest seed " + seed + " (rerun with -Dbasalt.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            ReplyModel.Node node = ReplyModel.random(random, random.nextInt(6));
            byte[] internal = ReplyModel.internal(node);
            for (RespProtocol protocol : RespProtocol.values()) {
                ByteBuf out = Unpooled.buffer();
                ReplyTranscoder.transcode(Unpooled.wrappedBuffer(internal), out, protocol);
                byte[] expected = protocol == RESP3 ? ReplyModel.resp3(node) : ReplyModel.resp2(node);
                if (!Arrays.equals(expected, ByteBufUtil.getBytes(out))) {
                    assertEquals(latin1(expected), string(out), "seed " + seed + ", reply " + i + ", " + protocol + ": " + node);
                }
            }
        }
    }

    private static void assertTranscodes(String internal, String resp3, String resp2) {
        for (RespProtocol protocol : RespProtocol.values()) {
            ByteBuf src = Unpooled.wrappedBuffer(bytes(internal + "+next\r\n"));
            ByteBuf out = Unpooled.buffer();
            ReplyTranscoder.transcode(src, out, protocol);
            assertEquals(protocol == RESP3 ? resp3 : resp2, string(out), internal + " for " + protocol);
            assertEquals("+next\r\n", src.toString(StandardCharsets.ISO_8859_1), "reads exactly one reply");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String string(ByteBuf buf) {
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
