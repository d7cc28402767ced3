package io.basalt.gateway.resp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.basalt.proto.v1.MapEntry;
import io.basalt.proto.v1.Null;
import io.basalt.proto.v1.Reply;
import io.basalt.proto.v1.ReplyList;
import io.basalt.proto.v1.ReplyMap;
import io.basalt.proto.v1.Verbatim;
import io.basalt.router.reply.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.basalt.gateway.resp.ReplyTranscoderTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcReplyConverterTest {

    private static final Reply NULL = Reply.newBuilder().setNull(Null.getDefaultInstance()).build();

    @Test
    void scalars() {
        assertEquals(Reply.newBuilder().setSimpleString("OK").build(), convert("+OK\r\n"));
        assertEquals(Reply.newBuilder().setError("ERR no such key").build(), convert("-ERR no such key\r\n"));
        assertEquals(Reply.newBuilder().setError("ERR a\r\nb").build(), convert("!8\r\nERR a\r\nb\r\n"));
        assertEquals(Reply.newBuilder().setInteger(-9223372036854775808L).build(), convert(":-9223372036854775808\r\n"));
        assertEquals(Reply.newBuilder().setInteger(9223372036854775807L).build(), convert(":9223372036854775807\r\n"));
        assertEquals(Reply.newBuilder().setInteger(-9223372036854775807L).build(), convert(":-9223372036854775807\r\n"));
        assertEquals(Reply.newBuilder().setBulkString(ByteString.copyFrom(new byte[] {'a', '\r', '\n', 0, (byte) 0xff})).build(),
                convert("$5\r\na\r\n\u0000\u00ff\r\n"));
        assertEquals(Reply.newBuilder().setBulkString(ByteString.EMPTY).build(), convert("$0\r\n\r\n"));
        assertEquals(Reply.newBuilder().setBoolean(true).build(), convert("#t\r\n"));
        assertEquals(Reply.newBuilder().setBoolean(false).build(), convert("#f\r\n"));
        assertEquals(Reply.newBuilder().setBigNumber("-1234567999999999999999999999999999999").build(),
                convert("(-1234567999999999999999999999999999999\r\n"));
        assertEquals(Reply.newBuilder().setVerbatim(Verbatim.newBuilder().setFormat("txt")
                .setText(ByteString.copyFromUtf8("This is a verbatim\nstring"))).build(), convert("=29\r\ntxt:This is a verbatim\nstring\r\n"));
        assertEquals(Reply.newBuilder().setSimpleString("caf\u00e9").build(), convert("+caf\u00c3\u00a9\r\n"));
    }

    @Test
    void arrayOfPairsBecomesAnArrayOfTwoElementArrays() {
        Reply reply = convert("&2\r\n$1\r\na\r\n,1\r\n$1\r\nb\r\n,2.5\r\n");
        assertEquals(2, reply.getArray().getValuesCount());
        Reply second = reply.getArray().getValues(1);
        assertEquals("b", second.getArray().getValues(0).getBulkString().toStringUtf8());
        assertEquals(2.5, second.getArray().getValues(1).getDouble());
    }

    @Test
    void doubles() {
        assertEquals(3.141, convert(",3.141\r\n").getDouble());
        assertEquals(Double.POSITIVE_INFINITY, convert(",inf\r\n").getDouble());
        assertEquals(Double.NEGATIVE_INFINITY, convert(",-inf\r\n").getDouble());
        assertTrue(Double.isNaN(convert(",nan\r\n").getDouble()));
        assertEquals(1.0E-5, convert(",1.0000000000000001e-05\r\n").getDouble());
        assertEquals(0.1, convert(",0.10000000000000001\r\n").getDouble());
        assertEquals(-0.0, convert(",-0\r\n").getDouble());
    }

    @Test
    void allThreeNullsAreNull() {
        assertEquals(NULL, convert("$-1\r\n"));
        assertEquals(NULL, convert("*-1\r\n"));
        assertEquals(NULL, convert("_\r\n"));
    }

    @Test
    void aggregates() {
        Reply one = Reply.newBuilder().setInteger(1).build();
        Reply ok = Reply.newBuilder().setSimpleString("OK").build();
        assertEquals(Reply.newBuilder().setArray(ReplyList.newBuilder().addValues(one).addValues(NULL).addValues(NULL)).build(),
                convert("*3\r\n:1\r\n$-1\r\n*-1\r\n"));
        assertEquals(Reply.newBuilder().setSet(ReplyList.newBuilder().addValues(ok)).build(), convert("~1\r\n+OK\r\n"));
        assertEquals(Reply.newBuilder().setPush(ReplyList.newBuilder().addValues(ok).addValues(one)).build(),
                convert(">2\r\n+OK\r\n:1\r\n"));
        assertEquals(Reply.newBuilder().setArray(ReplyList.getDefaultInstance()).build(), convert("*0\r\n"));
        Reply map = Reply.newBuilder().setMap(ReplyMap.newBuilder()
                .addEntries(MapEntry.newBuilder().setKey(ok).setValue(
                        Reply.newBuilder().setArray(ReplyList.newBuilder().addValues(NULL)).build()))
                .addEntries(MapEntry.newBuilder().setKey(one).setValue(
                        Reply.newBuilder().setMap(ReplyMap.getDefaultInstance()).build()))).build();
        assertEquals(map, convert("%2\r\n+OK\r\n*1\r\n_\r\n:1\r\n%0\r\n"));
    }

    @Test
    void attributesAreDropped() {
        assertEquals(Reply.newBuilder().setInteger(7).build(), convert("|1\r\n+key\r\n%1\r\n:1\r\n*-1\r\n:7\r\n"));
        assertEquals(Reply.newBuilder().setArray(ReplyList.newBuilder().addValues(Reply.newBuilder().setInteger(7))).build(),
                convert("*1\r\n|1\r\n+k\r\n*2\r\n:1\r\n:2\r\n:7\r\n"));
        // an attribute inside an attribute is not one of its elements either
        assertEquals(Reply.newBuilder().setInteger(7).build(), convert("|1\r\n|1\r\n+a\r\n+b\r\n+k\r\n+v\r\n:7\r\n"));
        assertEquals(Reply.newBuilder().setInteger(7).build(), convert("|1\r\n+k\r\n|1\r\n+a\r\n+b\r\n+v\r\n:7\r\n"));
    }

    @Test
    void convertsOneReplyFromABuffer() {
        ByteBuf src = Unpooled.wrappedBuffer(bytes("#t\r\n:5\r\n"));
        assertEquals(Reply.newBuilder().setBoolean(true).build(), GrpcReplyConverter.convert(src));
        assertEquals(Reply.newBuilder().setInteger(5).build(), GrpcReplyConverter.convert(src));
        assertEquals(0, src.readableBytes());
    }

    @Test
    void malformedReplies() {
        for (String bad : new String[] {"", "+OK", ":x\r\n", "$3\r\nab\r\n", "*2\r\n:1\r\n", "?\r\n", ",1.5f\r\n", ",1x\r\n",
                "=2\r\nab\r\n", ":1\r\n:2\r\n", "#\r\n"}) {
            MalformedReplyException e = assertThrows(MalformedReplyException.class, () -> convert(bad), bad);
            assertTrue(e.getMessage().startsWith("malformed reply at byte "), e.getMessage());
        }
        assertEquals("malformed reply at byte 4: bytes after the reply",
                assertThrows(MalformedReplyException.class, () -> convert(":1\r\n:2\r\n")).getMessage());
        ByteBuf src = Unpooled.wrappedBuffer(bytes("*2\r\n:1\r\n"));
        assertThrows(MalformedReplyException.class, () -> GrpcReplyConverter.convert(src));
        assertEquals(0, src.readerIndex());
    }

    @Test
    void nestingIsBoundedSoThatEveryClientCanParseTheMessage() throws InvalidProtocolBufferException {
        // Maps nest deepest in protobuf (3 message levels per level); 32 of them stay under protobuf's limit of 100.
        String deepest = "%1\r\n:1\r\n".repeat(GrpcReplyConverter.DEPTH_MAX) + ":1\r\n";
        Reply reply = convert(deepest);
        assertEquals(reply, Reply.parseFrom(reply.toByteArray()));
        MalformedReplyException e = assertThrows(MalformedReplyException.class,
                () -> convert("*1\r\n".repeat(GrpcReplyConverter.DEPTH_MAX + 1) + ":1\r\n"));
        assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
        assertThrows(MalformedReplyException.class,
                () -> convert("|1\r\n+k\r\n" + "*1\r\n".repeat(GrpcReplyConverter.DEPTH_MAX + 1) + ":1\r\n:1\r\n"));
    }

    @Test
    void repliesWrittenByTheEngineWriter() {
        RespWriter w = new RespWriter().array(3).nullBulk().dbl(0.5).integer(42);
        assertEquals(Reply.newBuilder().setArray(ReplyList.newBuilder().addValues(NULL)
                .addValues(Reply.newBuilder().setDouble(0.5)).addValues(Reply.newBuilder().setInteger(42))).build(),
                GrpcReplyConverter.convert(w.toByteArray()));
    }

    @Test
    void randomRepliesMatchTheModel() {
        long seed = Long.getLong("basalt.fuzz.seed", System.nanoTime());
        System.out.println("GrpcReplyConverterTest seed " + seed + " (rerun with -Dbasalt.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            ReplyModel.Node node = ReplyModel.random(random, random.nextInt(6));
            assertEquals(ReplyModel.grpc(node), GrpcReplyConverter.convert(ReplyModel.internal(node)),
                    "seed " + seed + ", reply " + i + ": " + node);
        }
    }

    private static Reply convert(String internal) {
        return GrpcReplyConverter.convert(bytes(internal));
    }
}
