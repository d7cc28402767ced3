package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental, bounded parser of client requests, as Redis's {@code processInlineBuffer} and
 * {@code processMultibulkBuffer} (networking.c, 7.0) parse them. It reads from a buffer that
 * accumulates the connection's input (Netty's cumulation, see {@link RespRequestDecoder}),
 * consumes what it has parsed and leaves the rest for when more bytes arrive.
 *
 * <p>A request starting with '*' is a multibulk ({@code *N\r\n} then N times {@code $len\r\n}
 * bytes {@code \r\n}); anything else is an inline command: one line up to {@code \n} (a
 * preceding {@code \r} dropped), split by {@link InlineArgs}. Blank lines, {@code *0} and
 * {@code *-N} are skipped. Like Redis, a header line ends at its first CR, and the one byte after
 * that CR and the two bytes after a bulk's payload are skipped without looking at them
 * ({@code *1\rX$4\rXPINGXY} is a PING to redis-server 7.0.15 too).
 *
 * <p>Bounds ({@link RespLimits}): a line is given up on when its terminator is not within
 * inlineBytesMax bytes (Redis waits until more than 64 KiB are buffered with no terminator in
 * sight, so for input that trickles in byte by byte the result is the same; Redis may accept a
 * slightly longer line that arrives in one read, we never do, so outcomes do not depend on how
 * the input was split). A count or length is checked against its limit before anything is sized
 * from it; a bulk's array is allocated only once all its bytes (and the 2 after them) are
 * buffered; and the declared bytes of one command, plus {@link RespLimits#ARG_OVERHEAD_BYTES}
 * per argument, must stay within commandBytesMax. Hence what the parser holds between calls is
 * at most commandBytesMax bytes of arguments, while the input buffer holds at most
 * {@code max(inlineBytesMax + 1, pending bulk + 1)} unparsed bytes after a call.
 *
 * <p>After the first protocol error the parser returns that error once and from then on
 * discards all input. Not thread-safe: one per connection, used on its event loop.
 */
public final class RespRequestParser {

    private final RespLimits limits;

    /** Set by the first protocol error; all later input is discarded. */
    private boolean failed;

    /** Bytes at the start of the readable input already searched for the current line's end. */
    private int lineScannedBytes;

    /** Arguments of the multibulk being assembled; null between commands. */
    private ArrayList<byte[]> args;
    /** Arguments of that multibulk still to come. */
    private int argsPending;
    /** Declared length of the bulk whose payload is awaited; -1 while its {@code $} line is awaited. */
    private int bulkBytes = -1;
    /** Bytes charged to the multibulk being assembled, counted from declared lengths. */
    private long commandBytes;

    public RespRequestParser(RespLimits limits) {
        this.limits = limits;
    }

    public RespLimits limits() {
        return limits;
    }

    /** True once a protocol error was returned; from then on every input byte is discarded. */
    public boolean failed() {
        return failed;
    }

    /** Bytes charged to the partly received command (declared, not necessarily arrived); 0 between commands. */
    public long pendingCommandBytes() {
        return commandBytes;
    }

    /** Declared length of the bulk whose payload is awaited, or -1. */
    public int pendingBulkBytes() {
        return bulkBytes;
    }

    /**
     * Parses the next request from {@code in}'s readable bytes, consuming it. Returns a
     * {@link RespCommand}, a {@link RespProtocolError} (once; the input is then discarded), or
     * null when more bytes are needed (then every byte that can be consumed was).
     */
    public Object next(ByteBuf in) {
        while (true) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return null;
            }
            Object message;
            if (args == null) {
                if (!in.isReadable()) {
                    return null;
                }
                message = in.getByte(in.readerIndex()) == '*' ? multibulkHeader(in) : inline(in);
                if (message == SKIPPED) {
                    continue;
                }
                if (message != STARTED) {
                    return message;
                }
            }
            return bulks(in);
        }
    }

    /** next() internal results: a request consumed without a command, a multibulk header consumed. */
    private static final Object SKIPPED = new Object();
    private static final Object STARTED = new Object();

    private Object inline(ByteBuf in) {
        int end = lineEnd(in, ByteProcessor.FIND_LF);
        if (end == LINE_TOO_LONG) {
            return fail(in, RespProtocolError.TOO_BIG_INLINE);
        }
        if (end < 0) {
            return null;
        }
        int start = in.readerIndex();
        int length = end;
        if (length > 0 && in.getByte(start + length - 1) == '\r') {
            length--;
        }
        byte[] line = new byte[length];
        in.getBytes(start, line);
        in.skipBytes(end + 1);
        lineScannedBytes = 0;
        List<byte[]> argv = InlineArgs.split(line, length);
        if (argv == null) {
            return fail(in, RespProtocolError.UNBALANCED_QUOTES);
        }
        return argv.isEmpty() ? SKIPPED : new RespCommand(argv);
    }

    private Object multibulkHeader(ByteBuf in) {
        int cr = lineEnd(in, ByteProcessor.FIND_CR);
        if (cr == LINE_TOO_LONG) {
            return fail(in, RespProtocolError.TOO_BIG_MBULK_COUNT);
        }
        if (cr < 0 || in.readableBytes() < cr + 2) {
            return null;
        }
        int start = in.readerIndex();
        long count = RespNumbers.string2ll(in, start + 1, start + cr);
        if (count == RespNumbers.INVALID || count > limits.multibulkCountMax()) {
            return fail(in, RespProtocolError.INVALID_MULTIBULK_LENGTH);
        }
        in.skipBytes(cr + 2);
        lineScannedBytes = 0;
        if (count <= 0) {
            return SKIPPED;
        }
        long charged = count * RespLimits.ARG_OVERHEAD_BYTES;
        if (charged > limits.commandBytesMax()) {
            return fail(in, RespProtocolError.TOO_BIG_COMMAND);
        }
        // Never size from the wire beyond a small bound: the list grows as arguments arrive.
        args = new ArrayList<>((int) Math.min(count, 1024));
        argsPending = (int) count;
        commandBytes = charged;
        bulkBytes = -1;
        return STARTED;
    }

    private Object bulks(ByteBuf in) {
        while (argsPending > 0) {
            if (bulkBytes < 0) {
                Object error = bulkHeader(in);
                if (error != null) {
                    return error;
                }
                if (bulkBytes < 0) {
                    return null;
                }
            }
            if (in.readableBytes() < (long) bulkBytes + 2) {
                return null;
            }
            byte[] arg = new byte[bulkBytes];
            in.readBytes(arg);
            in.skipBytes(2);
            args.add(arg);
            argsPending--;
            bulkBytes = -1;
        }
        RespCommand command = new RespCommand(args);
        args = null;
        commandBytes = 0;
        return command;
    }

    /** Reads a {@code $len} line into bulkBytes; returns a protocol error, or null (bulkBytes still -1 if incomplete). */
    private Object bulkHeader(ByteBuf in) {
        int cr = lineEnd(in, ByteProcessor.FIND_CR);
        if (cr == LINE_TOO_LONG) {
            return fail(in, RespProtocolError.TOO_BIG_BULK_COUNT);
        }
        if (cr < 0 || in.readableBytes() < cr + 2) {
            return null;
        }
        int start = in.readerIndex();
        byte first = in.getByte(start);
        if (first != '$') {
            return fail(in, RespProtocolError.expectedDollar(first));
        }
        long length = RespNumbers.string2ll(in, start + 1, start + cr);
        if (length < 0 || length > limits.bulkBytesMax()) {
            return fail(in, RespProtocolError.INVALID_BULK_LENGTH);
        }
        if (commandBytes + length > limits.commandBytesMax()) {
            return fail(in, RespProtocolError.TOO_BIG_COMMAND);
        }
        in.skipBytes(cr + 2);
        lineScannedBytes = 0;
        commandBytes += length;
        bulkBytes = (int) length;
        return null;
    }

    private static final int LINE_TOO_LONG = -2;

    /**
     * Offset from the reader index of the first byte {@code finder} stops at, within the first
     * inlineBytesMax + 1 readable bytes; -1 if not there yet (resumes where it stopped next
     * time, so a line trickling in is scanned once); LINE_TOO_LONG if it cannot be within bounds.
     */
    private int lineEnd(ByteBuf in, ByteProcessor finder) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int searchable = Math.min(readable, limits.inlineBytesMax() + 1);
        if (lineScannedBytes < searchable) {
            int found = in.forEachByte(start + lineScannedBytes, searchable - lineScannedBytes, finder);
            if (found >= 0) {
                lineScannedBytes = found - start;
                return found - start;
            }
            lineScannedBytes = searchable;
        }
        return readable > limits.inlineBytesMax() ? LINE_TOO_LONG : -1;
    }

    private RespProtocolError fail(ByteBuf in, String message) {
        return fail(in, new RespProtocolError(message));
    }

    private RespProtocolError fail(ByteBuf in, RespProtocolError error) {
        failed = true;
        args = null;
        argsPending = 0;
        bulkBytes = -1;
        commandBytes = 0;
        lineScannedBytes = 0;
        in.skipBytes(in.readableBytes());
        return error;
    }
}
