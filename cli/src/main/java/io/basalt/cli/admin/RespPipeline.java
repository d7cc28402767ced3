package io.basalt.cli.admin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A minimal pipelined RESP2 client: commands are written as they come and their replies are
 * read back in order, each handed to the callback given with its command. At most
 * {@code inFlightMax} commands and {@code inFlightBytesMax} request bytes are unanswered at any
 * time, so neither side buffers without bound. Replies are bounded too: an import expects only
 * short status, integer and error replies.
 *
 * <p>Our own rather than Jedis because the cli would otherwise ship Jedis and its dependencies
 * for about 150 lines of protocol, and because we want the window bound explicit.
 */
final class RespPipeline implements Closeable {

    /** One reply: {@code kind} is RESP's type byte ('+', '-', ':', '$', '*'); text for + - $, number for : $ *. */
    record Reply(char kind, String text, long number) {
        boolean isError() {
            return kind == '-';
        }
    }

    /** Longest reply line or bulk reply we read; import replies are a few bytes. */
    static final int REPLY_BYTES_MAX = 64 * 1024;
    /** Most elements of an array reply we read (and discard). */
    static final int REPLY_ARRAY_MAX = 1024;
    /** Deepest nesting of arrays we read. */
    static final int REPLY_DEPTH_MAX = 4;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int inFlightMax;
    private final long inFlightBytesMax;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean unflushed;

    private record Pending(long bytes, Consumer<Reply> onReply) {
    }

    RespPipeline(String host, int port, int inFlightMax, long inFlightBytesMax, int timeoutMs) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.inFlightMax = inFlightMax;
        this.inFlightBytesMax = inFlightBytesMax;
    }

    /** Queues a command; reads earlier replies first while the window is full. */
    void send(Consumer<Reply> onReply, byte[]... argv) throws IOException {
        long bytes = encodedBytes(argv);
        while (!pending.isEmpty() && (pending.size() >= inFlightMax || pendingBytes + bytes > inFlightBytesMax)) {
            readOne();
        }
        writeCommand(argv);
        pending.add(new Pending(bytes, onReply));
        pendingBytes += bytes;
        unflushed = true;
    }

    /** Sends everything queued and reads every outstanding reply. */
    void drain() throws IOException {
        while (!pending.isEmpty()) {
            readOne();
        }
    }

    int inFlight() {
        return pending.size();
    }

    private void readOne() throws IOException {
        if (unflushed) {
            out.flush();
            unflushed = false;
        }
        Pending p = pending.poll();
        pendingBytes -= p.bytes();
        p.onReply().accept(readReply(0));
    }

    private void writeCommand(byte[][] argv) throws IOException {
        writeHeader('*', argv.length);
        for (byte[] arg : argv) {
            writeHeader('$', arg.length);
            out.write(arg);
            out.write('\r');
            out.write('\n');
        }
    }

    private void writeHeader(char kind, long n) throws IOException {
        out.write(kind);
        out.write(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    static long encodedBytes(byte[][] argv) {
        long n = 16;
        for (byte[] arg : argv) {
            n += arg.length + 16;
        }
        return n;
    }

    private Reply readReply(int depth) throws IOException {
        if (depth > REPLY_DEPTH_MAX) {
            throw new IOException("reply nested deeper than " + REPLY_DEPTH_MAX);
        }
        int kind = in.read();
        if (kind < 0) {
            throw new EOFException("the gateway closed the connection");
        }
        String line = readLine();
        switch (kind) {
            case '+', '-' -> {
                return new Reply((char) kind, line, 0);
            }
            case ':' -> {
                return new Reply(':', null, parseLong(line));
            }
            case '$' -> {
                long n = parseLong(line);
                if (n < 0) {
                    return new Reply('$', null, n);
                }
                if (n > REPLY_BYTES_MAX) {
                    throw new IOException("unexpected bulk reply of " + n + " bytes");
                }
                byte[] body = in.readNBytes((int) n + 2);
                if (body.length != n + 2) {
                    throw new EOFException("the gateway closed the connection");
                }
                return new Reply('$', new String(body, 0, (int) n, StandardCharsets.UTF_8), n);
            }
            case '*' -> {
                long n = parseLong(line);
                if (n > REPLY_ARRAY_MAX) {
                    throw new IOException("unexpected array reply of " + n + " elements");
                }
                for (long i = 0; i < n; i++) {
                    Reply element = readReply(depth + 1);
                    if (element.isError()) {
                        return element;
                    }
                }
                return new Reply('*', null, n);
            }
            default -> throw new IOException("not a RESP reply: byte " + kind);
        }
    }

    private String readLine() throws IOException {
        return RespLines.line(in, REPLY_BYTES_MAX);
    }

    private static long parseLong(String s) throws IOException {
        return RespLines.number(s);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
