package io.basalt.router.reply;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes replies in Basalt's internal reply encoding: the form in which the engine answers and
 * replies travel from a shard back to a gateway.
 *
 * <p>The encoding is RESP3 with two differences: a null is written RESP2-style, {@code $-1} for
 * a null bulk string and {@code *-1} for a null array, because RESP2 clients must get the one the
 * command defines and RESP3 has only {@code _}; and an array of pairs has a header of its own,
 * {@code &N} followed by 2N values, because Redis nests such pairs for RESP3 clients
 * ({@code ZRANGE ... WITHSCORES}, {@code HRANDFIELD ... WITHVALUES}) and flattens them for RESP2. The gateway rewrites nulls (and, for RESP2
 * connections, doubles, booleans, maps, sets, verbatim strings and big numbers) while copying a
 * reply out (see the gateway's reply transcoder). Producing RESP3 once, centrally, keeps the
 * engine ignorant of the client's protocol version.
 *
 * <p>Not thread-safe; reusable with {@link #reset()}.
 */
public final class RespWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] buf;
    private int size;

    public RespWriter() {
        this(64);
    }

    public RespWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** {@code +text}: a status reply such as OK. The text must not contain CR or LF. */
    public RespWriter simple(String text) {
        return line('+', text);
    }

    /** {@code -text}: an error reply; the text starts with its code, e.g. "ERR ..." or "WRONGTYPE ...". */
    public RespWriter error(String text) {
        return line('-', text.replace('\r', ' ').replace('\n', ' '));
    }

    public RespWriter integer(long value) {
        put((byte) ':');
        putAscii(Long.toString(value));
        return crlf();
    }

    public RespWriter bulk(byte[] value) {
        return bulk(value, 0, value.length);
    }

    public RespWriter bulk(byte[] value, int offset, int length) {
        put((byte) '$');
        putAscii(Integer.toString(length));
        crlf();
        put(value, offset, length);
        return crlf();
    }

    public RespWriter bulk(String value) {
        return bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A null bulk string: {@code $-1} in RESP2, {@code _} in RESP3 (e.g. GET of a missing key). */
    public RespWriter nullBulk() {
        putAscii("$-1");
        return crlf();
    }

    /** A null array: {@code *-1} in RESP2, {@code _} in RESP3 (e.g. a blocking pop that timed out). */
    public RespWriter nullArray() {
        putAscii("*-1");
        return crlf();
    }

    /** Header of an array of {@code count} elements that follow. */
    public RespWriter array(int count) {
        return header('*', count);
    }

    /**
     * Header of an array of {@code pairs} pairs (2 × pairs values follow, pair after pair): RESP3
     * sees an array of 2-element arrays, RESP2 one flat array, as Redis replies to WITHSCORES.
     */
    public RespWriter pairs(int pairs) {
        return header('&', pairs);
    }

    /** Header of a map of {@code pairs} key/value pairs (2 × pairs values follow); RESP2 sees an array. */
    public RespWriter map(int pairs) {
        return header('%', pairs);
    }

    /** Header of a set of {@code count} elements; RESP2 sees an array. */
    public RespWriter set(int count) {
        return header('~', count);
    }

    /** Header of an out-of-band push of {@code count} elements; RESP2 sees an array. */
    public RespWriter push(int count) {
        return header('>', count);
    }

    /** A double formatted as Redis formats replies ({@code %.17g}, inf, -inf); RESP2 sees a bulk string. */
    public RespWriter dbl(double value) {
        return line(',', RedisDoubles.format(value));
    }

    /** A double whose text the caller already formatted. */
    public RespWriter dbl(String text) {
        return line(',', text);
    }

    /** A boolean; RESP2 sees the integer 1 or 0. */
    public RespWriter bool(boolean value) {
        return line('#', value ? "t" : "f");
    }

    /** A big number as decimal digits; RESP2 sees a bulk string. */
    public RespWriter bigNumber(String digits) {
        return line('(', digits);
    }

    /** A verbatim string ("txt" or "mkd"); RESP2 sees a bulk string of the text alone. */
    public RespWriter verbatim(String format, byte[] text) {
        put((byte) '=');
        putAscii(Integer.toString(text.length + 4));
        crlf();
        putAscii(format);
        put((byte) ':');
        put(text, 0, text.length);
        return crlf();
    }

    /** Appends bytes that already are one or more complete replies in this encoding. */
    public RespWriter raw(byte[] encoded) {
        put(encoded, 0, encoded.length);
        return this;
    }

    public int size() {
        return size;
    }

    public RespWriter reset() {
        size = 0;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The internal buffer; valid bytes are [0, size()). */
    public byte[] buffer() {
        return buf;
    }

    private RespWriter header(char type, int count) {
        put((byte) type);
        putAscii(Integer.toString(count));
        return crlf();
    }

    private RespWriter line(char type, String text) {
        put((byte) type);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        put(b, 0, b.length);
        return crlf();
    }

    private RespWriter crlf() {
        put(CRLF, 0, 2);
        return this;
    }

    private void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("reply larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
