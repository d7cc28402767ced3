package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test driver for a {@link Keyspace}: a settable logical clock and a log index that advances per
 * write, commands given as strings (an argument "hex:..." is raw bytes), replies returned as
 * strings with bytes 0-255 mapped to chars 0-255 so tests can compare them exactly.
 */
final class Engine {

    final Keyspace ks;
    long nowMs = 1_700_000_000_000L;
    long index;

    Engine() {
        this(new Keyspace());
    }

    Engine(Keyspace ks) {
        this.ks = ks;
    }

    /** Executes as a write (from the log) and returns the reply. */
    String w(String... args) {
        return exec(ExecContext.write(nowMs, ++index, 0), args);
    }

    /** Executes as a read (not from the log) and returns the reply. */
    String r(String... args) {
        return exec(ExecContext.read(nowMs, index), args);
    }

    String exec(ExecContext ctx, String... args) {
        return exec(ctx, argv(args));
    }

    String exec(ExecContext ctx, List<byte[]> argv) {
        RespWriter out = new RespWriter();
        ks.execute(argv, ctx, out);
        return latin1(out.toByteArray());
    }

    static List<byte[]> argv(String... args) {
        List<byte[]> argv = new ArrayList<>(args.length);
        for (String a : args) {
            argv.add(bytes(a));
        }
        return argv;
    }

    /** "hex:6100ff" → raw bytes; else the string's chars 0-255 as bytes. */
    static byte[] bytes(String a) {
        if (a.startsWith("hex:")) {
            return HexFormat.of().parseHex(a.substring(4));
        }
        return a.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    static String integer(long v) {
        return ":" + v + "\r\n";
    }

    static String err(String text) {
        return "-" + text + "\r\n";
    }

    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";
    static final String ZERO = ":0\r\n";
    static final String ONE = ":1\r\n";
    static final String EMPTY = "$0\r\n\r\n";
}
