package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandBuilderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String name(byte[][] argv) {
        return new String(argv[0], StandardCharsets.US_ASCII);
    }

    private static RdbChunk chunk(KeyType type, List<byte[]> items) {
        return new RdbChunk(0, b("k"), type, RdbChunk.NO_EXPIRY, 0, true, items, null);
    }

    @Test
    void aStringLongerThanTheLimitIsSetThenAppended() {
        byte[] value = new byte[25];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        List<byte[][]> cmds = new CommandBuilder(10, 100).commands(chunk(KeyType.STRING, List.of(value)));
        assertEquals(List.of("SET", "APPEND", "APPEND"), cmds.stream().map(CommandBuilderTest::name).toList());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[][] c : cmds) {
            assertArrayEquals(b("k"), c[1]);
            assertTrue(c[2].length <= 10);
            joined.writeBytes(c[2]);
        }
        assertArrayEquals(value, joined.toByteArray());
        assertEquals(1, new CommandBuilder(10, 100).commands(chunk(KeyType.STRING, List.of(new byte[10]))).size());
    }

    @Test
    void elementsAreSplitByBytesAndByCountKeepingPairsTogether() {
        List<byte[]> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(b("f" + i));
            items.add(b("v" + i));
        }
        // at most 2 + 4 arguments: two pairs per HSET
        List<byte[][]> cmds = new CommandBuilder(1000, 6).commands(chunk(KeyType.HASH, items));
        assertEquals(4, cmds.size());
        List<String> flat = new ArrayList<>();
        for (byte[][] c : cmds) {
            assertEquals("HSET", name(c));
            assertEquals(0, (c.length - 2) % 2, "whole pairs only");
            for (int i = 2; i < c.length; i++) {
                flat.add(new String(c[i], StandardCharsets.UTF_8));
            }
        }
        assertEquals(items.stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList(), flat);

        // byte limit: 3-byte elements, 7 bytes per command -> 2 per RPUSH, in order
        List<byte[]> list = List.of(b("aaa"), b("bbb"), b("ccc"), b("ddd"), b("eee"));
        List<byte[][]> pushes = new CommandBuilder(7, 100).commands(chunk(KeyType.LIST, list));
        assertEquals(List.of(4, 4, 3), pushes.stream().map(c -> c.length).toList());
        assertEquals("RPUSH", name(pushes.get(0)));
        assertArrayEquals(b("eee"), pushes.get(2)[2]);

        // an element bigger than the limit travels alone
        List<byte[][]> big = new CommandBuilder(7, 100).commands(chunk(KeyType.SET, List.of(b("x"), new byte[50], b("y"))));
        assertEquals(List.of(3, 3, 3), big.stream().map(c -> c.length).toList());
        assertEquals("SADD", name(big.get(0)));
    }

    @Test
    void sortedSetsAreScoreThenMember() {
        List<byte[][]> cmds = new CommandBuilder(1000, 100).commands(chunk(KeyType.ZSET, List.of(b("1.5"), b("m"), b("inf"), b("n"))));
        assertEquals(1, cmds.size());
        assertEquals(List.of("ZADD", "k", "1.5", "m", "inf", "n"),
            java.util.Arrays.stream(cmds.get(0)).map(x -> new String(x, StandardCharsets.UTF_8)).toList());
        assertEquals(0, new CommandBuilder(1000, 100).commands(
            new RdbChunk(0, b("s"), KeyType.UNSUPPORTED, RdbChunk.NO_EXPIRY, 0, true, List.of(), "stream")).size());
    }
}
