package io.basalt.cli.admin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One RESP2 command at a time, with its whole reply parsed: what a backup needs to read pages of
 * records ({@link RespPipeline} reads short replies only). Replies are bounded: a bulk string at
 * most {@link #BULK_BYTES_MAX}, an array at most {@link #ARRAY_MAX} elements, two levels deep.
 */
final class RespCalls implements Closeable {

    /** A record travels in one Raft message of at most 64 MiB. */
    static final int BULK_BYTES_MAX = 64 << 20;
    /** A 4 MiB page of the smallest records (a few bytes each) stays below this. */
    static final int ARRAY_MAX = 4 << 20;
    static final int DEPTH_MAX = 2;
    private static final int LINE_BYTES_MAX = 64 * 1024;

    /** An error reply. */
    record Error(String text) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RespCalls(String host, int port, int timeoutMs) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Sends a command and returns its reply: Long, byte[] (bulk, null for nil), String (+), {@link Error}, List. */
    Object call(byte[]... argv) throws IOException {
        out.write(header('*', argv.length));
        for (byte[] a : argv) {
            out.write(header('$', a.length));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
        return read(0);
    }

    Object call(String... argv) throws IOException {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(b);
    }

    private static byte[] header(char kind, long n) {
        return (kind + Long.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Object read(int depth) throws IOException {
        int kind = in.read();
        if (kind < 0) {
            throw new EOFException("the gateway closed the connection");
        }
        String line = line();
        switch (kind) {
            case '+' -> {
                return line;
            }
            case '-' -> {
                return new Error(line);
            }
            case ':' -> {
                return number(line);
            }
            case '$' -> {
                long n = number(line);
                if (n < 0) {
                    return null;
                }
                if (n > BULK_BYTES_MAX) {
                    throw new IOException("bulk reply of " + n + " bytes");
                }
                byte[] b = new byte[(int) n];
                in.readFully(b);
                if (in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("malformed bulk reply");
                }
                return b;
            }
            case '*' -> {
                long n = number(line);
                if (n < 0) {
                    return null;
                }
                if (n > ARRAY_MAX || depth >= DEPTH_MAX) {
                    throw new IOException("array reply of " + n + " elements at depth " + depth);
                }
                List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
                for (long i = 0; i < n; i++) {
                    items.add(read(depth + 1));
                }
                return items;
            }
            default -> throw new IOException("not a RESP reply: byte " + kind);
        }
    }

    private String line() throws IOException {
        return RespLines.line(in, LINE_BYTES_MAX);
    }

    private static long number(String s) throws IOException {
        return RespLines.number(s);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
