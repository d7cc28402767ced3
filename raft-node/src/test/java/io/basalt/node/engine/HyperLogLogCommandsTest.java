package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * HyperLogLog behaviour beyond the golden scripts (hyperloglog.txt, hyperloglog-random.txt):
 * accuracy at a million elements, PFCOUNT on the read path changing nothing, PFDEBUG GETREG
 * against an independent decoding of the registers, corrupted values never breaking a handler,
 * and memory accounting.
 */
class HyperLogLogCommandsTest {

    private static final String CORRUPTED = err("INVALIDOBJ Corrupted HLL object detected");
    private static final String INTERNAL = err("ERR internal error");
    /** Redis's documented standard error, 1.04 / sqrt(16384). */
    private static final double STANDARD_ERROR = 0.0081;

    private final Engine e = new Engine();

    private static long count(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void estimatesStayWithinTheErrorBoundUpToAMillion() {
        long seed = Seeds.seed("HyperLogLogCommandsTest.accuracy");
        SplittableRandom rnd = new SplittableRandom(seed);
        String prefix = Long.toHexString(rnd.nextLong()) + ":";
        int n = 0;
        List<String> batch = new ArrayList<>();
        for (int checkpoint : new int[] {1_000, 10_000, 100_000, 1_000_000}) {
            while (n < checkpoint) {
                batch.clear();
                batch.add("pfadd");
                batch.add(n / 1000 % 2 == 0 ? "a" : "b"); // two disjoint parts: their union is all
                for (int i = 0; i < 1000 && n < checkpoint; i++) {
                    batch.add(prefix + n++);
                }
                e.w(batch.toArray(new String[0]));
            }
            long union = count(e.r("pfcount", "a", "b"));
            assertEquals(OK, e.w("pfmerge", "all", "a", "b"));
            assertEquals(union, count(e.r("pfcount", "all")), "merged value counts as the union, seed " + seed);
            // Four standard errors: a correct estimator passes except about once in 15,000 runs.
            double bound = 4 * STANDARD_ERROR * n;
            assertTrue(Math.abs(union - n) <= bound,
                n + " distinct elements estimated at " + union + " (bound " + bound + "), seed " + seed);
        }
    }

    @Test
    void pfcountOnTheReadPathChangesNothing() {
        e.w("pfadd", "h", "a", "b", "c");
        e.w("pfadd", "d", "x");
        e.w("pfdebug", "todense", "d");
        String sparse = e.r("get", "h");
        String dense = e.r("get", "d");
        assertEquals(":3\r\n", e.r("pfcount", "h"));
        assertEquals(":4\r\n", e.r("pfcount", "h", "d"));
        assertEquals(":1\r\n", e.r("pfcount", "d"));
        // Redis would have written both caches; here the values stay as they were, cache invalid.
        assertEquals(sparse, e.r("get", "h"));
        assertEquals(dense, e.r("get", "d"));
        assertEquals((char) 0x80, sparse.charAt(sparse.indexOf("HYLL") + 15));
        assertEquals(":3\r\n", e.w("pfcount", "h")); // nor as a log entry
        assertEquals(sparse, e.r("get", "h"));
        String readonly = err("READONLY You can't write against a read only replica.");
        assertEquals(readonly, e.r("pfadd", "h", "z"));
        assertEquals(readonly, e.r("pfmerge", "h", "d"));
        assertEquals(readonly, e.r("pfdebug", "todense", "h"));
        assertEquals(sparse, e.r("get", "h"));
    }

    @Test
    void getregAgreesWithTheDenseBytesAndTheHashes() {
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            elements.add("el" + i);
        }
        List<String> cmd = new ArrayList<>(List.of("pfadd", "h"));
        cmd.addAll(elements);
        e.w(cmd.toArray(new String[0]));
        String reply = e.w("pfdebug", "getreg", "h");
        assertEquals("+dense\r\n", e.w("pfdebug", "encoding", "h"));
        String[] lines = reply.split("\r\n");
        assertEquals("*16384", lines[0]);
        byte[] value = e.r("get", "h").substring("$12304\r\n".length()).getBytes(StandardCharsets.ISO_8859_1);
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (String el : elements) {
            long hash = HyperLogLog.murmur64a(el.getBytes(StandardCharsets.ISO_8859_1));
            int reg = (int) (hash & 16383);
            expected[reg] = Math.max(expected[reg], HyperLogLog.runOf(hash));
        }
        for (int reg = 0; reg < HyperLogLog.REGISTERS; reg++) {
            int fromBits = 0; // bit by bit: register reg is bits 6*reg .. 6*reg+5, LSB first per byte
            for (int k = 0; k < 6; k++) {
                int bit = reg * 6 + k;
                fromBits |= ((value[16 + bit / 8] >> (bit % 8)) & 1) << k;
            }
            assertEquals(":" + fromBits, lines[reg + 1], "register " + reg);
            assertEquals(expected[reg], fromBits, "register " + reg);
        }
    }

    @Test
    void murmurMatchesRedisForKnownElements() {
        // Registers and runs Redis's PFADD gave (from the golden scripts): "kibajbfo" has 32 zero
        // bits above its index 5234, the run that pushes a sparse value to dense.
        long hash = HyperLogLog.murmur64a("kibajbfo".getBytes(StandardCharsets.US_ASCII));
        assertEquals(5234, HyperLogLog.registerOf(hash));
        assertEquals(33, HyperLogLog.runOf(hash));
        assertEquals(51, HyperLogLog.runOf(0)); // the run stops at bit 64: never more than 51
    }

    @Test
    void corruptedValuesGetRepliesNeverInternalErrors() {
        long seed = Seeds.seed("HyperLogLogCommandsTest.corrupted");
        SplittableRandom rnd = new SplittableRandom(seed);
        HexFormat hex = HexFormat.of();
        for (int round = 0; round < 3000; round++) {
            boolean dense = rnd.nextInt(4) == 0;
            int len = dense ? HyperLogLog.DENSE_BYTES : 16 + rnd.nextInt(rnd.nextBoolean() ? 8 : 400);
            byte[] v = new byte[len];
            rnd.nextBytes(v);
            System.arraycopy("HYLL".getBytes(StandardCharsets.US_ASCII), 0, v, 0, 4);
            v[4] = (byte) (dense ? 0 : 1);
            if (rnd.nextBoolean()) {
                v[15] |= (byte) 0x80; // cache invalid, so PFCOUNT reads the registers
            }
            e.w("set", "c", "hex:" + hex.formatHex(v));
            e.w("pfadd", "ok", "x" + round);
            String[][] commands = {
                {"pfcount", "c"}, {"pfcount", "c", "ok"}, {"pfadd", "c", "a" + round, "b", "c"},
                {"pfmerge", "ok", "c"}, {"pfmerge", "c", "ok"}, {"pfdebug", "decode", "c"},
                {"pfdebug", "getreg", "c"}, {"pfcount", "c"}, {"pfadd", "c", "d" + round},
            };
            for (String[] cmd : commands) {
                String reply = e.w(cmd);
                assertNotEquals(INTERNAL, reply, String.join(" ", cmd) + " on " + hex.formatHex(v) + ", seed " + seed);
            }
            if (round % 100 == 0) {
                e.ks.db().checkInvariants();
                assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes(), "seed " + seed);
            }
        }
    }

    @Test
    void sparseOpcodesPastTheRegistersAreCorrupted() {
        e.w("pfadd", "c", "a");
        e.w("append", "c", "hex:7fff"); // one more XZERO: 32768 registers
        e.w("setrange", "c", "15", "hex:80");
        assertEquals(CORRUPTED, e.r("pfcount", "c"));
        assertEquals(CORRUPTED, e.r("pfcount", "c", "c"));
        assertEquals(CORRUPTED, e.w("pfmerge", "m", "c"));
        assertEquals(CORRUPTED, e.w("pfdebug", "todense", "c"));
        assertEquals(":0\r\n", e.w("exists", "m"));
    }

    @Test
    void decodeRefusesAnAbsurdlyLongSparseValue() {
        e.w("pfadd", "long", "a");
        e.w("setrange", "long", Integer.toString(HyperLogLog.DECODE_BYTES_MAX), "x");
        assertEquals(err("ERR HLL value too long to decode"), e.w("pfdebug", "decode", "long"));
        e.w("pfadd", "short", "a");
        assertTrue(e.w("pfdebug", "decode", "short").startsWith("$"));
    }

    @Test
    void memoryEstimateFollowsEveryChange() {
        List<String> many = new ArrayList<>(List.of("pfadd", "g"));
        for (int i = 0; i < 2500; i++) {
            many.add("m" + i);
        }
        String[][] script = {
            {"pfadd", "a", "x", "y"}, {"pfadd", "a"}, {"set", "s", "HYLL"}, {"pfadd", "s", "x"},
            {"pfmerge", "b", "a"}, {"pfdebug", "todense", "b"}, {"pfadd", "b", "z"}, many.toArray(new String[0]),
            {"pfmerge", "a", "g"}, {"pfdebug", "getreg", "b"}, {"append", "a", "x"}, {"pfadd", "a", "q"},
            {"pfadd", "c", "q"}, {"setrange", "c", "16", "hex:4000"}, {"pfadd", "c", "r", "s", "t"},
        };
        for (String[] cmd : script) {
            e.w(cmd);
            assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes(), cmd[0] + " " + cmd[1]);
            e.ks.db().checkInvariants();
        }
    }
}
