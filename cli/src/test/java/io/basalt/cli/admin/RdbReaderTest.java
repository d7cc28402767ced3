package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader on a file written by redis-server 7.0.15, and on a hand-built Redis 6 (ziplist) file. */
class RdbReaderTest {

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Map<String, RdbChunk> readAll(InputStream in) throws IOException {
        Map<String, RdbChunk> out = new LinkedHashMap<>();
        RdbReader.read(in, c -> out.put(s(c.key()), c));
        return out;
    }

    @Test
    void readsEveryTypeOfARedis7File() throws IOException {
        // made by: ZADD z 1.5 a 0.1 b inf c -inf d 3 e; HSET h f v; SADD s 1 2 3; RPUSH l x y;
        // SET k v; SET t v; PEXPIREAT t 4102444800000; XADD x * f v; SAVE
        Map<String, RdbChunk> keys;
        try (InputStream in = getClass().getResourceAsStream("redis-7.0.15.rdb")) {
            keys = readAll(in);
        }
        assertEquals(List.of("a", "1.5", "b", "0.10000000000000001", "c", "inf", "d", "-inf", "e", "3"),
            pairsMemberFirst(keys.get("z")), "listpack scores, inf included, exact");
        assertEquals(KeyType.ZSET, keys.get("z").type());
        assertEquals(List.of("f", "v"), strings(keys.get("h")));
        assertEquals(List.of("1", "2", "3"), strings(keys.get("s")).stream().sorted().toList());
        assertEquals(List.of("x", "y"), strings(keys.get("l")));
        assertEquals(List.of("v"), strings(keys.get("k")));
        assertEquals(RdbChunk.NO_EXPIRY, keys.get("k").expireAtMs());
        assertEquals(4102444800000L, keys.get("t").expireAtMs());
        assertEquals(KeyType.UNSUPPORTED, keys.get("x").type());
        assertEquals("stream", keys.get("x").typeName());
        for (RdbChunk c : keys.values()) {
            assertEquals(0, c.index());
            assertTrue(c.last());
        }
    }

    @Test
    void readsRedis6ZiplistSortedSetsWithInfiniteScores() throws IOException {
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        List<byte[]> entries = List.of(zlString("a"), zlString("1.5"), zlString("b"), zlString("inf"),
            zlString("c"), new byte[] {(byte) 0xF8}, /* immediate 7 */ zlString("d"), zlString("-inf"));
        int prev = 0;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            body.write(prev);
            body.writeBytes(e);
            prev = e.length + 1;
        }
        int total = 10 + body.size() + 1;
        writeLe(zl, total, 4);
        writeLe(zl, 10 + body.size() - prev, 4);
        writeLe(zl, entries.size(), 2);
        zl.writeBytes(body.toByteArray());
        zl.write(0xFF);

        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        rdb.writeBytes("REDIS0009".getBytes(StandardCharsets.US_ASCII));
        rdb.write(0xFE); // SELECTDB 0
        rdb.write(0);
        rdb.write(12); // RDB_TYPE_ZSET_ZIPLIST
        rdb.writeBytes(rdbString("zz".getBytes(StandardCharsets.US_ASCII)));
        rdb.writeBytes(rdbString(zl.toByteArray()));
        rdb.write(0xFF);
        rdb.writeBytes(new byte[8]); // checksum 0: not checked, as Redis allows
        Map<String, RdbChunk> keys = readAll(new ByteArrayInputStream(rdb.toByteArray()));
        assertEquals(List.of("a", "1.5", "b", "inf", "c", "7", "d", "-inf"), pairsMemberFirst(keys.get("zz")));
    }

    @Test
    void aTruncatedFileIsAnError() throws IOException {
        byte[] whole;
        try (InputStream in = getClass().getResourceAsStream("redis-7.0.15.rdb")) {
            whole = in.readAllBytes();
        }
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThrows(IOException.class, () -> RdbReader.read(new ByteArrayInputStream(cut), c -> { }));
        assertThrows(IOException.class, () -> RdbReader.read(new ByteArrayInputStream("not an rdb".getBytes(StandardCharsets.US_ASCII)), c -> { }));
    }

    @Test
    void anExceptionFromTheSinkStopsTheReadAndComesOut() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("redis-7.0.15.rdb")) {
            RdbImporter.ImportFailed e = assertThrows(RdbImporter.ImportFailed.class,
                () -> RdbReader.read(in, c -> {
                    throw new RdbImporter.ImportFailed("stop at " + s(c.key()));
                }));
            assertTrue(e.getMessage().startsWith("stop at "), e.getMessage());
        }
    }

    @Test
    void moduleTypeNamesDecodeFromTheirId() {
        // "ReJSON-RL" version 3, packed as Redis does: 9 chars of 6 bits, then 10 bits of version
        String charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char c : "ReJSON-RL".toCharArray()) {
            id = (id << 6) | charset.indexOf(c);
        }
        id = (id << 10) | 3;
        assertEquals("ReJSON-RL", UnsupportedRdbVisitor.moduleTypeName(id));
    }

    private static List<String> strings(RdbChunk c) {
        List<String> out = new ArrayList<>();
        c.items().forEach(b -> out.add(s(b)));
        return out;
    }

    /** A sorted set's items are score, member...; returned as member, score... in member order. */
    private static List<String> pairsMemberFirst(RdbChunk c) {
        Map<String, String> byMember = new java.util.TreeMap<>();
        for (int i = 0; i < c.items().size(); i += 2) {
            byMember.put(s(c.items().get(i + 1)), s(c.items().get(i)));
        }
        List<String> out = new ArrayList<>();
        byMember.forEach((m, score) -> {
            out.add(m);
            out.add(score);
        });
        return out;
    }

    private static byte[] zlString(String v) {
        byte[] b = v.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length; // 00pppppp: string of up to 63 bytes
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static byte[] rdbString(byte[] b) {
        assertTrue(b.length < 64);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length; // 6-bit length
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static void writeLe(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    @Test
    void exactScoresParseLikeStrtod() throws IOException {
        assertEquals(Double.POSITIVE_INFINITY, ExactScoreValueVisitor.parseScore("inf".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Double.NEGATIVE_INFINITY, ExactScoreValueVisitor.parseScore("-inf".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0.1, ExactScoreValueVisitor.parseScore("0.10000000000000001".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1e-5, ExactScoreValueVisitor.parseScore("1.0000000000000001e-05".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IOException.class, () -> ExactScoreValueVisitor.parseScore("nan".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IOException.class, () -> ExactScoreValueVisitor.parseScore("1d".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
