package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated requests, fed in random chunks: the parser never throws, yields only
 * commands or one protocol error (then nothing), never holds more than its limits allow, gives
 * the same messages however the input is split, and decodes well-formed input to exactly the
 * commands that were encoded.
 *
 * <p>The seed is printed; rerun with {@code -Dbasalt.fuzz.seed=N} (and
 * {@code -Dbasalt.fuzz.iterations=N} for a longer run).
 */
class RespRequestFuzzTest {

    private static final Set<String> FIXED_ERRORS = Set.of(
            RespProtocolError.TOO_BIG_INLINE, RespProtocolError.UNBALANCED_QUOTES, RespProtocolError.TOO_BIG_MBULK_COUNT,
            RespProtocolError.INVALID_MULTIBULK_LENGTH, RespProtocolError.TOO_BIG_BULK_COUNT,
            RespProtocolError.INVALID_BULK_LENGTH, RespProtocolError.TOO_BIG_COMMAND);

    private static final String[] TOKENS = {"*", "$", "\r\n", "\r", "\n", "-1", "0", "-", "2147483647",
            "536870913", "9223372036854775808", "\"", "'", "\\", "\\x", "\\x4", " ", "\t", "\u0000", "PING"};

    @Test
    void fuzz() {
        long seed = Long.getLong("basalt.fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("basalt.fuzz.iterations", 3000);
        System.out.println("RespRequestFuzzTest seed " + seed + " (rerun with -Dbasalt.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < iterations; i++) {
            try {
                iteration(random);
            } catch (Throwable t) {
                throw new AssertionError("fuzz failed at iteration " + i + " with -Dbasalt.fuzz.seed=" + seed + ": " + t, t);
            }
        }
    }

    private static void iteration(Random random) {
        RespLimits limits = random.nextInt(4) == 0 ? RespLimits.DEFAULTS : new RespLimits(
                16 + random.nextInt(200), 1 + random.nextInt(20), random.nextInt(120), 24 + random.nextInt(2000));
        List<RespCommand> encoded = new ArrayList<>();
        byte[] input = switch (random.nextInt(3)) {
            case 0 -> wellFormed(random, encoded);
            case 1 -> mutate(random, wellFormed(random, new ArrayList<>()));
            default -> noise(random);
        };
        List<Object> whole = DecoderHarness.decode(limits, input); // through the Netty decoder, in one read
        List<Object> chunked = feed(limits, input, randomChunks(random, input.length));
        assertEquals(whole, chunked, "chunking changed the outcome");
        if (!encoded.isEmpty() && limits == RespLimits.DEFAULTS) {
            assertEquals(encoded, whole, "well-formed input must decode to what was encoded");
        }
    }

    /** Feeds input to a parser in the given chunk sizes, as ByteToMessageDecoder would, checking bounds after each. */
    private static List<Object> feed(RespLimits limits, byte[] input, int[] chunks) {
        RespRequestParser parser = new RespRequestParser(limits);
        ByteBuf cumulation = Unpooled.buffer();
        List<Object> out = new ArrayList<>();
        int at = 0;
        for (int chunk : chunks) {
            cumulation.writeBytes(input, at, chunk);
            at += chunk;
            Object message;
            while ((message = parser.next(cumulation)) != null) {
                check(limits, out, message);
                out.add(message);
            }
            checkHeld(limits, parser, cumulation);
            cumulation.discardReadBytes();
        }
        assertEquals(input.length, at);
        return out;
    }

    private static void check(RespLimits limits, List<Object> before, Object message) {
        if (!before.isEmpty() && before.get(before.size() - 1) instanceof RespProtocolError) {
            fail("message after a protocol error: " + message);
        }
        if (message instanceof RespCommand command) {
            long charged = 0;
            for (byte[] arg : command.args()) {
                assertTrue(arg.length <= Math.max(limits.bulkBytesMax(), limits.inlineBytesMax()), "argument too long");
                charged += arg.length + RespLimits.ARG_OVERHEAD_BYTES;
            }
            assertTrue(command.size() > 0);
            assertTrue(charged <= Math.max(limits.commandBytesMax(), 2L * limits.inlineBytesMax() * RespLimits.ARG_OVERHEAD_BYTES),
                    "command holds " + charged + " bytes");
        } else if (message instanceof RespProtocolError error) {
            assertTrue(FIXED_ERRORS.contains(error.message()) || error.message().matches("expected '\\$', got '[^\r\n]'"),
                    "unexpected error text: " + error.message());
        } else {
            fail("unexpected message " + message);
        }
    }

    /** What the parser holds after a call: declared bytes within commandBytesMax; unparsed input within one line or the pending bulk. */
    private static void checkHeld(RespLimits limits, RespRequestParser parser, ByteBuf cumulation) {
        assertTrue(parser.pendingCommandBytes() <= limits.commandBytesMax(), "pending " + parser.pendingCommandBytes());
        long unparsedMax = Math.max(limits.inlineBytesMax() + 1L, parser.pendingBulkBytes() + 1L);
        assertTrue(cumulation.readableBytes() <= unparsedMax, "holds " + cumulation.readableBytes() + " unparsed bytes, max " + unparsedMax);
        if (parser.failed()) {
            assertEquals(0, cumulation.readableBytes());
        }
    }

    private static int[] randomChunks(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(Math.min(left, 64));
            size = Math.min(size, left);
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A pipeline of valid multibulk and inline commands; what they decode to goes in {@code commands}. */
    private static byte[] wellFormed(Random random, List<RespCommand> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(5);
        for (int c = 0; c < count; c++) {
            List<byte[]> args = new ArrayList<>();
            if (random.nextBoolean()) {
                int argc = 1 + random.nextInt(5);
                out.writeBytes(("*" + argc + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int a = 0; a < argc; a++) {
                    byte[] arg = new byte[random.nextInt(random.nextInt(8) == 0 ? 200 : 12)];
                    for (int i = 0; i < arg.length; i++) {
                        arg[i] = random.nextInt(3) == 0 ? (byte) "\r\n*$\"' \u0000".charAt(random.nextInt(8)) : (byte) random.nextInt(256);
                    }
                    out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(arg);
                    out.writeBytes(new byte[] {'\r', '\n'});
                    args.add(arg);
                }
            } else {
                int argc = 1 + random.nextInt(4);
                StringBuilder line = new StringBuilder();
                for (int a = 0; a < argc; a++) {
                    StringBuilder arg = new StringBuilder();
                    int n = 1 + random.nextInt(6);
                    for (int i = 0; i < n; i++) {
                        arg.append((char) ('a' + random.nextInt(26)));
                    }
                    line.append(a == 0 ? "" : " ").append(random.nextBoolean() ? arg : "\"" + arg + "\"");
                    args.add(arg.toString().getBytes(StandardCharsets.US_ASCII));
                }
                if (line.charAt(0) == '*') {
                    continue;
                }
                out.writeBytes(line.append(random.nextBoolean() ? "\r\n" : "\n").toString().getBytes(StandardCharsets.US_ASCII));
            }
            commands.add(new RespCommand(args));
        }
        return out.toByteArray();
    }

    private static byte[] mutate(Random random, byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(input);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            byte[] bytes = out.toByteArray();
            out.reset();
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            switch (random.nextInt(5)) {
                case 0 -> { // flip a byte
                    if (at < bytes.length) {
                        bytes[at] = (byte) random.nextInt(256);
                    }
                    out.writeBytes(bytes);
                }
                case 1 -> { // insert a token
                    out.write(bytes, 0, at);
                    out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes, at, bytes.length - at);
                }
                case 2 -> { // delete a range
                    int to = Math.min(bytes.length, at + random.nextInt(8));
                    out.write(bytes, 0, at);
                    out.write(bytes, to, bytes.length - to);
                }
                case 3 -> { // duplicate a range
                    int to = Math.min(bytes.length, at + random.nextInt(16));
                    out.write(bytes, 0, to);
                    out.write(bytes, at, bytes.length - at);
                }
                default -> out.write(bytes, 0, at); // truncate
            }
        }
        return out.toByteArray();
    }

    /** Bytes drawn mostly from the protocol's own alphabet, sometimes long runs (for the line limits). */
    private static byte[] noise(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + random.nextInt(30);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(4)) {
                case 0 -> out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
                case 1 -> out.write(random.nextInt(256));
                case 2 -> out.write("0123456789".charAt(random.nextInt(10)));
                default -> {
                    int run = random.nextInt(random.nextInt(20) == 0 ? 300 : 10);
                    byte b = (byte) "x1 \"".charAt(random.nextInt(4));
                    for (int i = 0; i < run; i++) {
                        out.write(b);
                    }
                }
            }
        }
        return out.toByteArray();
    }
}
