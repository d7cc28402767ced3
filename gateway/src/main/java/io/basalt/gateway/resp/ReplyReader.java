package io.basalt.gateway.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;

/**
 * Pull reader of Basalt's internal reply encoding (see {@code io.basalt.router.reply.RespWriter}:
 * RESP3 types, nulls written as {@code $-1} and {@code *-1}): each {@link #next()} reads and
 * validates one element's header and leaves its description in the public fields. Scalars
 * (including bulk payloads, which are skipped by their length, not scanned) are consumed whole;
 * for aggregates only the header is consumed and the caller reads {@link #items} more elements.
 *
 * <p>Validation is what it takes for a bug in the engine to surface as a
 * {@link MalformedReplyException} rather than as broken protocol on a client's connection:
 * every line ends in CRLF and holds no other CR or LF, every length and count is a number in
 * range, payloads are followed by CRLF, type-specific texts (integers, booleans, big numbers,
 * doubles, the verbatim format) are well-formed. Streamed strings and aggregates
 * ({@code $?}, {@code *?}) are not part of the encoding and are refused.
 */
final class ReplyReader {

    private final ByteBuf src;
    /** Offset that error messages count from: the start of the reply being read. */
    private final int origin;
    private final int end;
    private int pos;

    /** Type byte of the element just read: one of + - : $ * _ , # % ~ > ( = ! | */
    byte type;
    /** Index of its type byte. */
    int start;
    /** For lines: the text between the type byte and CRLF. For blobs ($ = !): the payload. */
    int textStart;
    int textEnd;
    /** A null ({@code $-1}, {@code *-1} or {@code _}). */
    boolean isNull;
    /** For aggregates: elements that follow (twice the pair count for maps and attributes). */
    int items;
    /** For aggregates: the count as written in the header (pairs for maps and attributes). */
    int headerCount;
    /** For integers: the value. */
    long integer;

    ReplyReader(ByteBuf src, int from, int end) {
        this.src = src;
        this.origin = from;
        this.pos = from;
        this.end = end;
    }

    /** Index just after everything read so far. */
    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int textLength() {
        return textEnd - textStart;
    }

    private static boolean isType(byte type) {
        return switch (type) {
            case '+', '-', ':', '_', '#', ',', '(', '$', '=', '!', '*', '%', '~', '>', '|', '&' -> true;
            default -> false;
        };
    }

    static boolean isAggregate(byte type) {
        return type == '*' || type == '%' || type == '~' || type == '>' || type == '|' || type == '&';
    }

    void next() {
        if (pos >= end) {
            throw malformed(pos, "truncated reply: expected a value");
        }
        start = pos;
        type = src.getByte(pos);
        if (!isType(type)) {
            throw malformed(start, "unknown reply type byte 0x" + Integer.toHexString(type & 0xff));
        }
        isNull = false;
        items = 0;
        headerCount = 0;
        textStart = pos + 1;
        textEnd = lineEnd(pos);
        pos = textEnd + 2;
        switch (type) {
            case '+', '-' -> { }
            case ':' -> integer = parseLong("integer");
            case '_' -> {
                expect(textLength() == 0, "null '_' with text");
                isNull = true;
            }
            case '#' -> expect(textLength() == 1 && (byteAt(textStart) == 't' || byteAt(textStart) == 'f'),
                    "boolean is neither 't' nor 'f'");
            case ',' -> checkDouble();
            case '(' -> checkBigNumber();
            case '$', '=', '!' -> blob();
            default -> aggregate(); // * % ~ > | &
        }
    }

    private void blob() {
        long length = parseLong("length");
        if (length == -1 && type == '$') {
            isNull = true;
            return;
        }
        expect(length >= 0, "negative length");
        expect(length <= end - pos - 2L, "truncated reply: payload of " + length + " bytes not followed by CRLF within the input");
        textStart = pos;
        textEnd = pos + (int) length;
        expect(byteAt(textEnd) == '\r' && byteAt(textEnd + 1) == '\n', "payload not followed by CRLF");
        if (type == '=') {
            expect(length >= 4 && byteAt(textStart + 3) == ':', "verbatim string without its 3-byte format and ':'");
        }
        pos = textEnd + 2;
    }

    private void aggregate() {
        long count = parseLong("count");
        if (count == -1 && type == '*') {
            isNull = true;
            return;
        }
        expect(count >= 0, "negative count");
        long elements = (type == '%' || type == '|' || type == '&') ? count * 2 : count;
        // Every element takes at least 3 bytes ("_\r\n"): a count beyond that cannot be satisfied.
        expect(elements <= (end - pos) / 3, "truncated reply: " + elements + " elements cannot fit in the "
                + (end - pos) + " bytes left");
        headerCount = (int) count;
        items = (int) elements;
    }

    /** Digits and . - + e E (what %.17g prints), or exactly inf, -inf, +inf, nan, -nan. */
    private void checkDouble() {
        expect(textLength() > 0, "empty double");
        String special = textLength() <= 4 ? src.toString(textStart, textLength(), StandardCharsets.US_ASCII) : "";
        if (special.equals("inf") || special.equals("-inf") || special.equals("+inf")
                || special.equals("nan") || special.equals("-nan")) {
            return;
        }
        for (int i = textStart; i < textEnd; i++) {
            byte b = byteAt(i);
            boolean ok = (b >= '0' && b <= '9') || b == '.' || b == '-' || b == '+' || b == 'e' || b == 'E';
            expect(ok, "double with byte 0x" + Integer.toHexString(b & 0xff));
        }
    }

    private void checkBigNumber() {
        int i = textStart;
        if (i < textEnd && byteAt(i) == '-') {
            i++;
        }
        expect(i < textEnd, "big number without digits");
        for (; i < textEnd; i++) {
            byte b = byteAt(i);
            expect(b >= '0' && b <= '9', "big number with a non-digit");
        }
    }

    /** The current line's text as a signed 64-bit decimal (Redis's syntax: no '+', no leading zeros). */
    private long parseLong(String what) {
        long v = RespNumbers.string2ll(src, textStart, textEnd);
        if (v == RespNumbers.INVALID) {
            throw malformed(start, "'" + (char) type + "' " + what + " is not a number");
        }
        if (v == Long.MIN_VALUE + 1 && textLength() == 20 && byteAt(textEnd - 1) == '8') {
            return Long.MIN_VALUE; // string2ll folds MIN_VALUE into MIN_VALUE + 1 (…807)
        }
        return v;
    }

    /** Index of the CR ending the line whose type byte is at {@code from}; the LF must follow. */
    private int lineEnd(int from) {
        int cr = src.forEachByte(from + 1, end - from - 1, ByteProcessor.FIND_CRLF);
        if (cr < 0) {
            throw malformed(from, "truncated reply: no CRLF after '" + printable(src.getByte(from)) + "' line");
        }
        if (src.getByte(cr) != '\r' || cr + 1 >= end || src.getByte(cr + 1) != '\n') {
            throw malformed(cr, "line not ended by CRLF");
        }
        return cr;
    }

    private byte byteAt(int i) {
        return src.getByte(i);
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            throw malformed(start, "'" + printable(type) + "' " + what);
        }
    }

    MalformedReplyException malformed(int at, String what) {
        return new MalformedReplyException("malformed reply at byte " + (at - origin) + ": " + what);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
