package io.basalt.gateway.resp;

import com.google.protobuf.ByteString;
import io.basalt.proto.v1.MapEntry;
import io.basalt.proto.v1.Null;
import io.basalt.proto.v1.Reply;
import io.basalt.proto.v1.ReplyList;
import io.basalt.proto.v1.ReplyMap;
import io.basalt.proto.v1.Verbatim;
import io.basalt.router.reply.RespWriter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Replies as trees, for property tests: written in the internal encoding with the engine's own
 * {@link RespWriter}, and with independent, obviously-correct encoders of what a RESP2 client,
 * a RESP3 client and a gRPC client should get.
 */
final class ReplyModel {
    private ReplyModel() {}

    sealed interface Node {}
    record Simple(String text) implements Node {}
    record Err(String text) implements Node {}
    record Int(long value) implements Node {}
    record Bulk(byte[] bytes) implements Node {}
    record NullBulk() implements Node {}
    record NullArray() implements Node {}
    /** A RESP3 null written as such ({@code _}), which RespWriter never does but the encoding allows. */
    record Null3() implements Node {}
    record Dbl(double value) implements Node {}
    record Bool(boolean value) implements Node {}
    record Big(String digits) implements Node {}
    record Verb(String format, byte[] text) implements Node {}
    record BlobErr(byte[] text) implements Node {}
    record Arr(List<Node> items) implements Node {}
    record SetN(List<Node> items) implements Node {}
    record Push(List<Node> items) implements Node {}
    /** Keys and values alternating. */
    record MapN(List<Node> keysAndValues) implements Node {}
    /** An attribute (keys and values alternating) preceding a value. */
    record Attr(List<Node> keysAndValues, Node value) implements Node {}

    // ---- generation

    static Node random(Random random, int depth) {
        int kinds = depth <= 0 ? 12 : 18;
        return switch (random.nextInt(kinds)) {
            case 0 -> new Simple(randomText(random, "OK"));
            case 1 -> new Err("ERR " + randomText(random, "x"));
            case 2 -> new Int(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(2000) - 1000);
            case 3 -> new Bulk(randomBytes(random));
            case 4 -> new NullBulk();
            case 5 -> new NullArray();
            case 6 -> new Null3();
            case 7 -> new Dbl(switch (random.nextInt(5)) {
                case 0 -> Double.POSITIVE_INFINITY;
                case 1 -> Double.NEGATIVE_INFINITY;
                case 2 -> random.nextInt(100);
                default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            });
            case 8 -> new Bool(random.nextBoolean());
            case 9 -> new Big((random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9)) + "2345678901234567890123456789");
            case 10 -> new Verb(random.nextBoolean() ? "txt" : "mkd", randomBytes(random));
            case 11 -> new BlobErr(("ERR " + randomText(random, "blob\r\nerror")).getBytes(StandardCharsets.UTF_8));
            case 12 -> new Arr(children(random, depth, 1));
            case 13 -> new SetN(children(random, depth, 1));
            case 14 -> new Push(children(random, depth, 1));
            case 15, 16 -> new MapN(children(random, depth, 2));
            default -> new Attr(children(random, depth, 2), random(random, depth - 1));
        };
    }

    private static List<Node> children(Random random, int depth, int multiple) {
        int n = random.nextInt(4) * multiple;
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(random(random, depth - 1));
        }
        return items;
    }

    private static String randomText(Random random, String base) {
        return base + (random.nextBoolean() ? "" : " " + random.nextInt(1000) + (random.nextBoolean() ? " é" : ""));
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(8) == 0 ? random.nextInt(3000) : random.nextInt(10)];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- the internal encoding, written by the engine's writer

    static byte[] internal(Node node) {
        RespWriter w = new RespWriter();
        internal(node, w);
        return w.toByteArray();
    }

    static void internal(Node node, RespWriter w) {
        switch (node) {
            case Simple s -> w.simple(s.text());
            case Err e -> w.error(e.text());
            case Int i -> w.integer(i.value());
            case Bulk b -> w.bulk(b.bytes());
            case NullBulk n -> w.nullBulk();
            case NullArray n -> w.nullArray();
            case Null3 n -> w.raw(ascii("_\r\n"));
            case Dbl d -> w.dbl(d.value());
            case Bool b -> w.bool(b.value());
            case Big b -> w.bigNumber(b.digits());
            case Verb v -> w.verbatim(v.format(), v.text());
            case BlobErr e -> w.raw(concat(ascii("!" + e.text().length + "\r\n"), e.text(), ascii("\r\n")));
            case Arr a -> all(w.array(a.items().size()), a.items());
            case SetN s -> all(w.set(s.items().size()), s.items());
            case Push p -> all(w.push(p.items().size()), p.items());
            case MapN m -> all(w.map(m.keysAndValues().size() / 2), m.keysAndValues());
            case Attr a -> {
                all(w.raw(ascii("|" + a.keysAndValues().size() / 2 + "\r\n")), a.keysAndValues());
                internal(a.value(), w);
            }
        }
    }

    private static void all(RespWriter w, List<Node> items) {
        for (Node item : items) {
            internal(item, w);
        }
    }

    // ---- what clients should get, written independently of the transcoder

    static byte[] resp3(Node node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        resp3(node, out);
        return out.toByteArray();
    }

    private static void resp3(Node node, ByteArrayOutputStream out) {
        switch (node) {
            case NullBulk n -> out.writeBytes(ascii("_\r\n"));
            case NullArray n -> out.writeBytes(ascii("_\r\n"));
            case Arr a -> aggregate(out, '*', a.items().size(), a.items(), true);
            case SetN s -> aggregate(out, '~', s.items().size(), s.items(), true);
            case Push p -> aggregate(out, '>', p.items().size(), p.items(), true);
            case MapN m -> aggregate(out, '%', m.keysAndValues().size() / 2, m.keysAndValues(), true);
            case Attr a -> {
                aggregate(out, '|', a.keysAndValues().size() / 2, a.keysAndValues(), true);
                resp3(a.value(), out);
            }
            default -> out.writeBytes(internal(node)); // every other type is RESP3 as written
        }
    }

    static byte[] resp2(Node node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        resp2(node, out);
        return out.toByteArray();
    }

    private static void resp2(Node node, ByteArrayOutputStream out) {
        switch (node) {
            case Simple s -> out.writeBytes(utf8("+" + s.text() + "\r\n"));
            case Err e -> out.writeBytes(utf8("-" + e.text() + "\r\n"));
            case Int i -> out.writeBytes(ascii(":" + i.value() + "\r\n"));
            case Bulk b -> bulk(out, b.bytes());
            case NullBulk n -> out.writeBytes(ascii("$-1\r\n"));
            case NullArray n -> out.writeBytes(ascii("*-1\r\n"));
            case Null3 n -> out.writeBytes(ascii("$-1\r\n"));
            case Dbl d -> bulk(out, ascii(io.basalt.router.reply.RedisDoubles.format(d.value())));
            case Bool b -> out.writeBytes(ascii(b.value() ? ":1\r\n" : ":0\r\n"));
            case Big b -> bulk(out, ascii(b.digits()));
            case Verb v -> bulk(out, v.text());
            case BlobErr e -> out.writeBytes(concat(ascii("-"),
                    new String(e.text(), StandardCharsets.ISO_8859_1).replace('\r', ' ').replace('\n', ' ')
                            .getBytes(StandardCharsets.ISO_8859_1), ascii("\r\n")));
            case Arr a -> aggregate(out, '*', a.items().size(), a.items(), false);
            case SetN s -> aggregate(out, '*', s.items().size(), s.items(), false);
            case Push p -> aggregate(out, '*', p.items().size(), p.items(), false);
            case MapN m -> aggregate(out, '*', m.keysAndValues().size(), m.keysAndValues(), false);
            case Attr a -> resp2(a.value(), out);
        }
    }

    private static void aggregate(ByteArrayOutputStream out, char type, int count, List<Node> items, boolean resp3) {
        out.writeBytes(ascii(type + "" + count + "\r\n"));
        for (Node item : items) {
            if (resp3) {
                resp3(item, out);
            } else {
                resp2(item, out);
            }
        }
    }

    private static void bulk(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ascii("$" + bytes.length + "\r\n"));
        out.writeBytes(bytes);
        out.writeBytes(ascii("\r\n"));
    }

    static Reply grpc(Node node) {
        Reply.Builder b = Reply.newBuilder();
        switch (node) {
            case Simple s -> b.setSimpleString(s.text());
            case Err e -> b.setError(e.text());
            case Int i -> b.setInteger(i.value());
            case Bulk x -> b.setBulkString(ByteString.copyFrom(x.bytes()));
            case NullBulk n -> b.setNull(Null.getDefaultInstance());
            case NullArray n -> b.setNull(Null.getDefaultInstance());
            case Null3 n -> b.setNull(Null.getDefaultInstance());
            // The wire carries %.17g, which round-trips every double exactly.
            case Dbl d -> b.setDouble(d.value());
            case Bool x -> b.setBoolean(x.value());
            case Big x -> b.setBigNumber(x.digits());
            case Verb v -> b.setVerbatim(Verbatim.newBuilder().setFormat(v.format()).setText(ByteString.copyFrom(v.text())));
            case BlobErr e -> b.setError(new String(e.text(), StandardCharsets.UTF_8));
            case Arr a -> b.setArray(list(a.items()));
            case SetN s -> b.setSet(list(s.items()));
            case Push p -> b.setPush(list(p.items()));
            case MapN m -> {
                ReplyMap.Builder map = ReplyMap.newBuilder();
                for (int i = 0; i < m.keysAndValues().size(); i += 2) {
                    map.addEntries(MapEntry.newBuilder().setKey(grpc(m.keysAndValues().get(i)))
                            .setValue(grpc(m.keysAndValues().get(i + 1))));
                }
                b.setMap(map);
            }
            case Attr a -> {
                return grpc(a.value());
            }
        }
        return b.build();
    }

    private static ReplyList list(List<Node> items) {
        ReplyList.Builder list = ReplyList.newBuilder();
        for (Node item : items) {
            list.addValues(grpc(item));
        }
        return list.build();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        return DecoderHarness.concat(parts);
    }
}
