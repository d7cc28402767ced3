package io.basalt.gateway.resp;

import com.google.protobuf.ByteString;
import io.basalt.proto.v1.MapEntry;
import io.basalt.proto.v1.Null;
import io.basalt.proto.v1.Reply;
import io.basalt.proto.v1.ReplyList;
import io.basalt.proto.v1.ReplyMap;
import io.basalt.proto.v1.Verbatim;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Converts a reply in Basalt's internal encoding ({@code io.basalt.router.reply.RespWriter}) into
 * the gRPC API's {@link Reply}: one field of the oneof per RESP3 type; {@code $-1}, {@code *-1}
 * and {@code _} all become {@code null}; attributes are dropped (the message has no place for
 * them); a blob error becomes {@code error}. Status and error texts, big numbers and verbatim
 * formats are decoded as UTF-8 (malformed sequences replaced), bulk strings stay bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class GrpcReplyConverter {
    private GrpcReplyConverter() {}

    /**
     * Deepest nesting of aggregates accepted. protobuf-java refuses to parse messages nested
     * deeper than 100 (CodedInputStream's default recursion limit), and each map level costs 3
     * (Reply, ReplyMap, MapEntry): 32 levels stay parseable by every client.
     */
    public static final int DEPTH_MAX = 32;

    private static final Reply NULL = Reply.newBuilder().setNull(Null.getDefaultInstance()).build();

    /** Converts the one reply starting at {@code src}'s reader index and advances past it. */
    public static Reply convert(ByteBuf src) {
        ReplyReader reader = new ReplyReader(src, src.readerIndex(), src.writerIndex());
        Reply reply = value(reader, src, 0);
        src.readerIndex(reader.position());
        return reply;
    }

    /** Converts {@code reply}, which must hold exactly one reply. */
    public static Reply convert(byte[] reply) {
        ByteBuf src = Unpooled.wrappedBuffer(reply);
        ReplyReader reader = new ReplyReader(src, 0, reply.length);
        Reply converted = value(reader, src, 0);
        if (!reader.atEnd()) {
            throw reader.malformed(reader.position(), "bytes after the reply");
        }
        return converted;
    }

    private static Reply value(ReplyReader r, ByteBuf src, int depth) {
        r.next();
        while (r.type == '|') {
            skipItems(r, r.items, depth);
            r.next();
        }
        if (r.isNull) {
            return NULL;
        }
        Reply.Builder b = Reply.newBuilder();
        switch (r.type) {
            case '+' -> b.setSimpleString(text(r, src));
            case '-' -> b.setError(text(r, src));
            case '!' -> b.setError(text(r, src));
            case ':' -> b.setInteger(r.integer);
            case '$' -> b.setBulkString(bytes(src, r.textStart, r.textLength()));
            case ',' -> b.setDouble(parseDouble(r, src));
            case '#' -> b.setBoolean(src.getByte(r.textStart) == 't');
            case '(' -> b.setBigNumber(text(r, src));
            case '=' -> b.setVerbatim(Verbatim.newBuilder()
                    .setFormat(src.toString(r.textStart, 3, StandardCharsets.UTF_8))
                    .setText(bytes(src, r.textStart + 4, r.textLength() - 4)));
            case '*' -> b.setArray(list(r, src, depth));
            case '~' -> b.setSet(list(r, src, depth));
            case '>' -> b.setPush(list(r, src, depth));
            case '%' -> b.setMap(map(r, src, depth));
            case '&' -> b.setArray(pairs(r, src, depth));
            default -> throw r.malformed(r.start, "unexpected type '" + (char) r.type + "'");
        }
        return b.build();
    }

    private static ReplyList list(ReplyReader r, ByteBuf src, int depth) {
        checkDepth(r, depth);
        int count = r.items;
        ReplyList.Builder list = ReplyList.newBuilder();
        for (int i = 0; i < count; i++) {
            list.addValues(value(r, src, depth + 1));
        }
        return list.build();
    }

    /** Basalt's array of pairs, as RESP3 shows it: an array of two-element arrays. */
    private static ReplyList pairs(ReplyReader r, ByteBuf src, int depth) {
        checkDepth(r, depth + 1);
        int count = r.headerCount;
        ReplyList.Builder list = ReplyList.newBuilder();
        for (int i = 0; i < count; i++) {
            Reply first = value(r, src, depth + 2);
            Reply second = value(r, src, depth + 2);
            list.addValues(Reply.newBuilder().setArray(ReplyList.newBuilder().addValues(first).addValues(second)));
        }
        return list.build();
    }

    private static ReplyMap map(ReplyReader r, ByteBuf src, int depth) {
        checkDepth(r, depth);
        int pairs = r.headerCount;
        ReplyMap.Builder map = ReplyMap.newBuilder();
        for (int i = 0; i < pairs; i++) {
            Reply key = value(r, src, depth + 1);
            Reply val = value(r, src, depth + 1);
            map.addEntries(MapEntry.newBuilder().setKey(key).setValue(val));
        }
        return map.build();
    }

    /** Reads and discards {@code count} values (an attribute's contents). */
    private static void skipItems(ReplyReader r, int count, int depth) {
        checkDepth(r, depth);
        for (int i = 0; i < count; i++) {
            skipValue(r, depth + 1);
        }
    }

    /** Reads and discards one value, with any attributes before it (they are not elements). */
    private static void skipValue(ReplyReader r, int depth) {
        r.next();
        while (r.type == '|') {
            skipItems(r, r.items, depth);
            r.next();
        }
        if (ReplyReader.isAggregate(r.type) && !r.isNull) {
            skipItems(r, r.items, depth);
        }
    }

    private static void checkDepth(ReplyReader r, int depth) {
        if (depth + 1 > DEPTH_MAX) {
            throw r.malformed(r.start, "aggregates nested deeper than " + DEPTH_MAX + " levels cannot be sent over gRPC");
        }
    }

    private static String text(ReplyReader r, ByteBuf src) {
        return src.toString(r.textStart, r.textLength(), StandardCharsets.UTF_8);
    }

    private static ByteString bytes(ByteBuf src, int from, int length) {
        return ByteString.copyFrom(src.nioBuffer(from, length));
    }

    /** Redis prints doubles with %.17g, and infinities and NaN as inf, -inf, nan. */
    private static double parseDouble(ReplyReader r, ByteBuf src) {
        String text = src.toString(r.textStart, r.textLength(), StandardCharsets.US_ASCII);
        switch (text) {
            case "inf", "+inf" -> { return Double.POSITIVE_INFINITY; }
            case "-inf" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "-nan" -> { return Double.NaN; }
            default -> { }
        }
        try {
            // The reader allowed only digits . - + e E (and the letters of inf/nan, handled above).
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw r.malformed(r.start, "',' double is not a number: " + text);
        }
    }
}
