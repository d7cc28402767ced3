package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What every command family shares: the keyspace, allocation-free argument parsing and the
 * common replies. A family is one file of commands of one kind (Redis's t_string.c, expire.c,
 * ...) and registers its handlers in {@link #register}.
 */
abstract class CommandFamily {

    static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] EMPTY_BULK = "$0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    final Db db;
    /** Result of the last successful {@link #parseLong}; the engine is single-threaded. */
    final long[] parsed = new long[1];
    /** Scratch for formatting an integer-encoded string. */
    final byte[] digits = new byte[RedisIntegers.LONG_DIGITS_MAX];

    CommandFamily(Db db) {
        this.db = db;
    }

    abstract void register(CommandRegistry registry);

    /**
     * Parses a 64-bit integer argument as Redis's getLongLongFromObjectOrReply; on failure replies
     * "value is not an integer or out of range" and returns false. The value is in {@code parsed[0]}.
     */
    final boolean parseLong(byte[] arg, RespWriter out) {
        if (RedisIntegers.string2ll(arg, parsed)) {
            return true;
        }
        out.error(ErrorReplies.NOT_INTEGER);
        return false;
    }

    /** Replies WRONGTYPE and returns false unless the entry is absent or holds a string. */
    static boolean checkString(Entry e, RespWriter out) {
        if (e == null || Strings.isString(e.value)) {
            return true;
        }
        out.error(ErrorReplies.WRONGTYPE);
        return false;
    }

    /** Replies as GET would for the entry: null, WRONGTYPE (returning false) or the value. */
    final boolean replyGet(Entry e, RespWriter out) {
        if (e == null) {
            out.nullBulk();
            return true;
        }
        if (!checkString(e, out)) {
            return false;
        }
        Strings.writeBulk(out, e.value, digits);
        return true;
    }

    /** Replies WRONGTYPE and returns false unless the entry is absent or holds a hash. */
    static boolean checkHash(Entry e, RespWriter out) {
        if (e == null || e.value instanceof Hash) {
            return true;
        }
        out.error(ErrorReplies.WRONGTYPE);
        return false;
    }

    static void replyBoolean(RespWriter out, boolean one) {
        out.raw(one ? ONE : ZERO);
    }

    /** The cursor parsed by the last successful {@link #parseCursor}. */
    long parsedCursor;

    /** {@link KeyCommands#parseCursor} (Redis's parseScanCursorOrReply); the value lands in parsedCursor. */
    final boolean parseCursor(byte[] s) {
        long[] out = new long[1];
        boolean ok = KeyCommands.parseCursor(s, out);
        parsedCursor = out[0];
        return ok;
    }

    /** SCAN's default COUNT, as Redis. */
    static final long SCAN_COUNT_DEFAULT = 10;

    /** The options of SCAN, HSCAN, SSCAN and ZSCAN; a null pattern matches everything. */
    record ScanOptions(long count, byte[] pattern, byte[] typeName) {}

    /**
     * Parses {@code [MATCH pattern] [COUNT count]}, and {@code [TYPE type]} when allowed (SCAN
     * only), from {@code argv[from..]} as Redis's scanGenericCommand does. Replies the error and
     * returns null on a bad option or a COUNT below 1.
     */
    final ScanOptions parseScanOptions(List<byte[]> argv, int from, boolean typeAllowed, RespWriter out) {
        long count = SCAN_COUNT_DEFAULT;
        byte[] pattern = null;
        byte[] typeName = null;
        for (int i = from; i < argv.size(); i += 2) {
            byte[] opt = argv.get(i);
            boolean hasValue = i + 1 < argv.size();
            if (Args.is(opt, "count") && hasValue) {
                if (!parseLong(argv.get(i + 1), out)) {
                    return null;
                }
                if (parsed[0] < 1) {
                    out.error(ErrorReplies.SYNTAX);
                    return null;
                }
                count = parsed[0];
            } else if (Args.is(opt, "match") && hasValue) {
                byte[] p = argv.get(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (typeAllowed && Args.is(opt, "type") && hasValue) {
                typeName = argv.get(i + 1);
            } else {
                out.error(ErrorReplies.SYNTAX);
                return null;
            }
        }
        return new ScanOptions(count, pattern, typeName);
    }

    private static final byte[] EMPTY_SCAN = "*2\r\n$1\r\n0\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * HSCAN, SSCAN and ZSCAN of a missing key: cursor 0 and nothing found. Redis replies this
     * before it looks at the options, so a bad option on a missing key is not an error.
     */
    static void replyEmptyScan(RespWriter out) {
        out.raw(EMPTY_SCAN);
    }

    static final String COUNT_NOT_POSITIVE = "ERR count should be greater than 0";

    /**
     * The {@code [COUNT count]} that ends LMPOP and ZMPOP (and their blocking forms), from
     * {@code argv[from..]}: 1 when absent. Replies the error and returns -1 on anything else, a
     * repeated COUNT, or a count below 1, with Redis's texts.
     */
    final long parseMpopCount(List<byte[]> argv, int from, RespWriter out) {
        long count = -1;
        for (int j = from; j < argv.size(); j++) {
            if (count == -1 && Args.is(argv.get(j), "count") && j + 1 < argv.size()) {
                if (!RedisIntegers.string2ll(argv.get(++j), parsed) || parsed[0] < 1) {
                    out.error(COUNT_NOT_POSITIVE);
                    return -1;
                }
                count = parsed[0];
            } else {
                out.error(ErrorReplies.SYNTAX);
                return -1;
            }
        }
        return count == -1 ? 1 : count;
    }
}
