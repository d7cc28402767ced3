package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Error texts the engine needs that shard-router's {@link io.basalt.router.ErrorReplies} does not
 * have yet, word for word as Redis 7.0 writes them, and the errors whose text embeds argument
 * bytes (written as raw bytes so that a client sees exactly what Redis would send, non-UTF-8
 * bytes included). Candidates to move into ErrorReplies.
 */
final class EngineErrors {
    private EngineErrors() {}

    static final String INVALID_SLOT = "ERR Invalid slot";
    static final String INVALID_SLOT_OR_COUNT = "ERR Invalid slot or number of keys";
    static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    static final String EXPIRE_NX_CONFLICT = "ERR NX and XX, GT or LT options at the same time are not compatible";
    static final String EXPIRE_GT_LT_CONFLICT = "ERR GT and LT options at the same time are not compatible";
    /** getIntFromObjectOrReply's range error (Redis's wording, "must between" included). */
    static final String NOT_AN_INT = "ERR value is out of range, value must between -2147483648 and 2147483647";
    static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    static final String HASH_NOT_FLOAT = "ERR hash value is not a float";
    static final String VALUE_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    static final String VALUE_OUT_OF_RANGE = "ERR value is out of range";
    static final String INVALID_CURSOR = "ERR invalid cursor";
    static final String SAME_OBJECT = "ERR source and destination objects are the same";
    static final String COPY_OTHER_DB = "ERR Copying to another database is not allowed in cluster mode";
    static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    static final String LCS_TABLE_TOO_BIG = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    static final String BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key.";
    static final String BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified";
    static final String BITFIELD_TYPE =
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    static final String BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand";
    static final String HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String HLL_CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    /** Redis's reply to a write sent to a replica; here: a write command that arrived as a read. */
    static final String WRITE_AS_READ = "READONLY You can't write against a read only replica.";
    static final String EMPTY_COMMAND = "ERR empty command";
    /** A handler failed unexpectedly (a bug); the command's reply is replaced by this. */
    static final String INTERNAL = "ERR internal error";

    /** getRangeLongFromObjectOrReply's error without a message of its own. */
    static String rangeError(long min, long max) {
        return "ERR value is out of range, value must between " + min + " and " + max;
    }

    /** "ERR Unsupported option <opt>" with the option as a C string (EXPIRE's option parser). */
    static void unsupportedOption(RespWriter out, byte[] option) {
        Raw e = new Raw("ERR Unsupported option ");
        e.put(option, Args.cLength(option, option.length));
        e.writeTo(out);
    }

    /** Redis's unknown-command error: name and the first arguments, each cut at NUL, 128 bytes in all. */
    static void unknownCommand(RespWriter out, List<byte[]> argv) {
        byte[] name = argv.get(0);
        Raw e = new Raw("ERR unknown command '");
        e.put(name, Args.cLength(name, 128));
        e.ascii("', with args beginning with: ");
        int argsLen = 0;
        for (int i = 1; i < argv.size() && argsLen < 128; i++) {
            byte[] a = argv.get(i);
            int n = Args.cLength(a, 128 - argsLen);
            e.ascii("'");
            e.put(a, n);
            e.ascii("' ");
            argsLen += n + 3;
        }
        e.writeTo(out);
    }

    /** "ERR Unknown PFDEBUG subcommand '<sub>'" with the subcommand as a C string. */
    static void unknownPfdebugSubcommand(RespWriter out, byte[] sub) {
        Raw e = new Raw("ERR Unknown PFDEBUG subcommand '");
        e.put(sub, Args.cLength(sub, sub.length));
        e.ascii("'");
        e.writeTo(out);
    }

    /** "ERR unknown subcommand '<sub>'. Try <CONTAINER> HELP." as Redis builds it. */
    static void unknownSubcommand(RespWriter out, byte[] container, byte[] sub) {
        Raw e = new Raw("ERR unknown subcommand '");
        e.put(sub, Args.cLength(sub, 128));
        e.ascii("'. Try ");
        int n = Args.cLength(container, container.length);
        for (int i = 0; i < n; i++) {
            int c = container[i];
            e.bytes.write(c >= 'a' && c <= 'z' ? c - 32 : c);
        }
        e.ascii(" HELP.");
        e.writeTo(out);
    }

    /** An error line built from bytes; CR and LF become spaces, as Redis does for error replies. */
    private static final class Raw {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

        Raw(String start) {
            bytes.write('-');
            ascii(start);
        }

        void ascii(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }

        void put(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                bytes.write(b[i] == '\r' || b[i] == '\n' ? ' ' : b[i]);
            }
        }

        void writeTo(RespWriter out) {
            bytes.write('\r');
            bytes.write('\n');
            out.raw(bytes.toByteArray());
        }
    }
}
