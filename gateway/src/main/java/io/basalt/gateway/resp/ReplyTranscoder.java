package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Copies replies from Basalt's internal encoding ({@code io.basalt.router.reply.RespWriter}:
 * RESP3 with RESP2-style nulls) into a client's output buffer, in the client's RESP version.
 *
 * <table>
 *   <caption>What changes</caption>
 *   <tr><th>internal</th><th>RESP3 client</th><th>RESP2 client</th></tr>
 *   <tr><td>{@code $-1}, {@code *-1}</td><td>{@code _}</td><td>unchanged</td></tr>
 *   <tr><td>{@code _}</td><td>unchanged</td><td>{@code $-1}</td></tr>
 *   <tr><td>{@code ,3.14}, {@code (123}</td><td>unchanged</td><td>{@code $4 3.14}, {@code $3 123}</td></tr>
 *   <tr><td>{@code #t}, {@code #f}</td><td>unchanged</td><td>{@code :1}, {@code :0}</td></tr>
 *   <tr><td>{@code %N}</td><td>unchanged</td><td>{@code *2N}</td></tr>
 *   <tr><td>{@code ~N}, {@code >N}</td><td>unchanged</td><td>{@code *N}</td></tr>
 *   <tr><td>{@code =8 txt:text}</td><td>unchanged</td><td>{@code $4 text}</td></tr>
 *   <tr><td>{@code !N err}</td><td>unchanged</td><td>{@code -err} (CR, LF as spaces)</td></tr>
 *   <tr><td>{@code |N} attribute</td><td>unchanged</td><td>dropped with its contents</td></tr>
 * </table>
 * The RESP2 forms are redis-server 7.0.15's (checked with {@code DEBUG PROTOCOL}).
 *
 * <p>Everything that does not change is copied in runs: the bytes between two rewritten
 * elements go out in one {@code writeBytes}, so a RESP3 reply without nulls, or a RESP2 reply of
 * RESP2 types only, is validated (headers parsed, payloads skipped by length) and then copied
 * with a single call. A malformed reply ({@link MalformedReplyException}) leaves the output
 * buffer as it was and the source's reader index unmoved.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReplyTranscoder {
    private ReplyTranscoder() {}

    /**
     * Deepest nesting of aggregates accepted. Command replies nest a few levels (XINFO STREAM
     * FULL, COMMAND DOCS: about 5); only script replies nest at will, and Lua stops near 200 C
     * levels. The bound keeps the recursion here shallow whatever the input.
     */
    public static final int DEPTH_MAX = 128;

    private static final byte[] RESP3_NULL = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_TRUE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_FALSE = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAIR_HEADER = "*2\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Transcodes the one reply starting at {@code src}'s reader index into {@code dst} and
     * advances the reader index past it; bytes after it stay unread.
     */
    public static void transcode(ByteBuf src, ByteBuf dst, RespProtocol protocol) {
        int dstStart = dst.writerIndex();
        try {
            Copy copy = new Copy(src, src.readerIndex(), src.writerIndex(), dst, protocol == RespProtocol.RESP3);
            copy.reply();
            src.readerIndex(copy.reader.position());
        } catch (RuntimeException e) {
            dst.writerIndex(dstStart);
            throw e;
        }
    }

    /**
     * Transcodes every reply in {@code src}'s readable bytes (which must end at a reply's end),
     * consuming them; returns how many. On a malformed reply nothing is written or consumed.
     */
    public static int transcodeAll(ByteBuf src, ByteBuf dst, RespProtocol protocol) {
        int dstStart = dst.writerIndex();
        try {
            Copy copy = new Copy(src, src.readerIndex(), src.writerIndex(), dst, protocol == RespProtocol.RESP3);
            int replies = 0;
            while (!copy.reader.atEnd()) {
                copy.reply();
                replies++;
            }
            src.readerIndex(copy.reader.position());
            return replies;
        } catch (RuntimeException e) {
            dst.writerIndex(dstStart);
            throw e;
        }
    }

    /** {@link #transcodeAll(ByteBuf, ByteBuf, RespProtocol)} of a whole array, e.g. {@code RespWriter.toByteArray()}. */
    public static int transcodeAll(byte[] replies, ByteBuf dst, RespProtocol protocol) {
        return transcodeAll(Unpooled.wrappedBuffer(replies), dst, protocol);
    }

    private static final class Copy {
        final ReplyReader reader;
        final ByteBuf src;
        final ByteBuf dst;
        final boolean resp3;
        /** Start of the bytes read but not yet written: they go out unchanged, in one call. */
        int spanStart;

        Copy(ByteBuf src, int from, int end, ByteBuf dst, boolean resp3) {
            this.reader = new ReplyReader(src, from, end);
            this.src = src;
            this.dst = dst;
            this.resp3 = resp3;
            this.spanStart = from;
        }

        void reply() {
            value(0, true);
            flush(reader.position());
        }

        /** One value (with any attributes before it); {@code emit} is false inside a dropped attribute. */
        void value(int depth, boolean emit) {
            reader.next();
            while (reader.type == '|') {
                attribute(depth, emit);
                reader.next();
            }
            ReplyReader r = reader;
            switch (r.type) {
                case '$', '*' -> {
                    if (r.isNull) {
                        if (resp3) {
                            replace(r.start, r.position(), RESP3_NULL, emit);
                        }
                    } else if (r.type == '*') {
                        items(r.items, depth, emit);
                    }
                }
                case '_' -> {
                    if (!resp3) {
                        replace(r.start, r.position(), RESP2_NULL_BULK, emit);
                    }
                }
                case '%', '~', '>' -> {
                    if (!resp3) {
                        replaceHeader(r.start, r.textEnd + 2, '*', r.items, emit);
                    }
                    items(r.items, depth, emit);
                }
                case '&' -> pairs(r.headerCount, depth, emit);
                case ',', '(' -> {
                    if (!resp3) {
                        // "$len\r\n" replaces the type byte; the text and its CRLF follow unchanged.
                        replaceHeader(r.start, r.textStart, '$', r.textLength(), emit);
                    }
                }
                case '#' -> {
                    if (!resp3) {
                        replace(r.start, r.position(), src.getByte(r.textStart) == 't' ? RESP2_TRUE : RESP2_FALSE, emit);
                    }
                }
                case '=' -> {
                    if (!resp3) {
                        // "$len-4\r\n" replaces "=len\r\ntxt:"; the text and its CRLF follow unchanged.
                        replaceHeader(r.start, r.textStart + 4, '$', r.textLength() - 4, emit);
                    }
                }
                case '!' -> {
                    if (!resp3) {
                        blobErrorAsSimple(emit);
                    }
                }
                default -> { } // + - : unchanged
            }
        }

        private void attribute(int depth, boolean emit) {
            int attributeStart = reader.start;
            if (resp3) {
                items(reader.items, depth, emit);
                return;
            }
            // RESP2 has no attributes: write what precedes, read the attribute without writing, skip it.
            if (emit) {
                flush(attributeStart);
            }
            items(reader.items, depth, false);
            if (emit) {
                spanStart = reader.position();
            }
        }

        private void items(int count, int depth, boolean emit) {
            if (depth + 1 > DEPTH_MAX) {
                throw reader.malformed(reader.start, "aggregates nested deeper than " + DEPTH_MAX + " levels");
            }
            for (int i = 0; i < count; i++) {
                value(depth + 1, emit);
            }
        }

        /**
         * Basalt's array of pairs ({@code &N}, then 2N values): one flat array of 2N for RESP2,
         * an array of N two-element arrays for RESP3.
         */
        private void pairs(int count, int depth, boolean emit) {
            ReplyReader r = reader;
            if (!resp3) {
                replaceHeader(r.start, r.textEnd + 2, '*', count * 2, emit);
                items(count * 2, depth, emit);
                return;
            }
            replaceHeader(r.start, r.textEnd + 2, '*', count, emit);
            if (depth + 2 > DEPTH_MAX) {
                throw reader.malformed(reader.start, "aggregates nested deeper than " + DEPTH_MAX + " levels");
            }
            for (int i = 0; i < count; i++) {
                if (emit) {
                    flush(reader.position());
                    dst.writeBytes(PAIR_HEADER);
                }
                value(depth + 2, emit);
                value(depth + 2, emit);
            }
        }

        private void blobErrorAsSimple(boolean emit) {
            if (!emit) {
                return;
            }
            ReplyReader r = reader;
            flush(r.start);
            dst.writeByte('-');
            for (int i = r.textStart; i < r.textEnd; i++) {
                byte b = src.getByte(i);
                dst.writeByte(b == '\r' || b == '\n' ? ' ' : b);
            }
            dst.writeByte('\r').writeByte('\n');
            spanStart = r.position();
        }

        /** Writes the pending span up to {@code from}, then {@code with} instead of src[from, to). */
        private void replace(int from, int to, byte[] with, boolean emit) {
            if (emit) {
                flush(from);
                dst.writeBytes(with);
                spanStart = to;
            }
        }

        /** Like replace, with a header {@code <type><count>\r\n}. */
        private void replaceHeader(int from, int to, char type, int count, boolean emit) {
            if (emit) {
                flush(from);
                dst.writeByte(type);
                writeDecimal(dst, count);
                dst.writeByte('\r').writeByte('\n');
                spanStart = to;
            }
        }

        private void flush(int upTo) {
            if (upTo > spanStart) {
                dst.writeBytes(src, spanStart, upTo - spanStart);
            }
            spanStart = upTo;
        }
    }

    static void writeDecimal(ByteBuf dst, int value) {
        if (value < 10 && value >= 0) {
            dst.writeByte('0' + value);
            return;
        }
        dst.writeCharSequence(Integer.toString(value), StandardCharsets.US_ASCII);
    }
}
