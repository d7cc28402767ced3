package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;

/**
 * Operations on a stored string in any of its three forms ({@code byte[]}, {@link IntString},
 * {@link RawString}; see {@link Value}), mirroring Redis's object.c helpers for strings.
 */
final class Strings {
    private Strings() {}

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to this length created by SET are "embstr". */
    static final int EMBSTR_BYTES_MAX = 44;

    static boolean isString(Object stored) {
        return stored instanceof byte[] || stored instanceof IntString || stored instanceof RawString;
    }

    /**
     * The stored form of a string argument, as Redis's {@code tryObjectEncoding}: a canonical
     * integer of up to 20 characters becomes an {@link IntString}, anything else stays the
     * argument array itself (no copy).
     */
    static Object fromArgument(byte[] arg, long[] scratch) {
        if (arg.length <= RedisIntegers.LONG_DIGITS_MAX && RedisIntegers.string2ll(arg, scratch)) {
            return IntString.of(scratch[0]);
        }
        return arg;
    }

    /** STRLEN: length of the string's content. */
    static int length(Object s) {
        if (s instanceof byte[] b) {
            return b.length;
        }
        if (s instanceof IntString i) {
            return RedisIntegers.digits(i.value);
        }
        return ((RawString) s).len;
    }

    /** The content as a fresh or stored array holding exactly the string (Redis's getDecodedObject). */
    static byte[] bytes(Object s) {
        if (s instanceof byte[] b) {
            return b;
        }
        if (s instanceof IntString i) {
            byte[] buf = new byte[RedisIntegers.LONG_DIGITS_MAX];
            int n = RedisIntegers.ll2string(i.value, buf);
            return java.util.Arrays.copyOf(buf, n);
        }
        RawString r = (RawString) s;
        return r.len == r.buf.length ? r.buf : java.util.Arrays.copyOf(r.buf, r.len);
    }

    /** Writes the string as a bulk reply; {@code digits} is scratch space of >= 20 bytes. */
    static void writeBulk(RespWriter out, Object s, byte[] digits) {
        if (s instanceof byte[] b) {
            out.bulk(b);
        } else if (s instanceof IntString i) {
            out.bulk(digits, 0, RedisIntegers.ll2string(i.value, digits));
        } else {
            RawString r = (RawString) s;
            out.bulk(r.buf, 0, r.len);
        }
    }

    /** Writes {@code s[start, start + n)} as a bulk reply. */
    static void writeBulkRange(RespWriter out, Object s, int start, int n, byte[] digits) {
        if (s instanceof byte[] b) {
            out.bulk(b, start, n);
        } else if (s instanceof IntString i) {
            RedisIntegers.ll2string(i.value, digits);
            out.bulk(digits, start, n);
        } else {
            out.bulk(((RawString) s).buf, start, n);
        }
    }

    /** OBJECT ENCODING of a string, as Redis reports it. */
    static String encoding(Object s) {
        if (s instanceof byte[] b) {
            return b.length <= EMBSTR_BYTES_MAX ? "embstr" : "raw";
        }
        return s instanceof IntString ? "int" : "raw";
    }

    /** A copy for COPY (Redis's dupStringObject keeps the encoding). */
    static Object duplicate(Object s) {
        if (s instanceof RawString r) {
            return RawString.copyOf(r.buf, r.len);
        }
        return s; // byte[] and IntString are immutable
    }

    /**
     * A raw string to modify in place (Redis's dbUnshareStringValue): the value itself when it is
     * already one, else a new one holding the content. The caller stores it back.
     */
    static RawString unshare(Object s) {
        if (s instanceof RawString r) {
            return r;
        }
        byte[] content = bytes(s);
        return RawString.copyOf(content, content.length);
    }
}
