package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The bitmap commands (Redis's bitops.c). A bitmap is a string: bit 0 is the most significant bit
 * of the first byte. Commands that write bits turn the value into a {@link RawString} (Redis's
 * {@code dbUnshareStringValue}, so OBJECT ENCODING says "raw") and grow it zero-filled.
 */
final class BitmapCommands extends CommandFamily {

    // BITFIELD overflow behaviours (Redis's BFOVERFLOW_*).
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    private static final int OP_GET = 0;
    private static final int OP_SET = 1;
    private static final int OP_INCRBY = 2;

    private final long stringBytesMax;

    BitmapCommands(Db db, long stringBytesMax) {
        super(db);
        this.stringBytesMax = stringBytesMax;
    }

    @Override
    void register(CommandRegistry r) {
        r.register("setbit", this::setbit);
        r.register("getbit", this::getbit);
        r.register("bitcount", this::bitcount);
        r.register("bitpos", this::bitpos);
        r.register("bitop", this::bitop);
        r.register("bitfield", (argv, ctx, out) -> bitfield(argv, ctx, out, false));
        r.register("bitfield_ro", (argv, ctx, out) -> bitfield(argv, ctx, out, true));
    }

    /** A string's bytes without copying a raw string: content is {@code buf[0, len)}. */
    private record Content(byte[] buf, int len) {
        static Content of(Object s) {
            if (s instanceof RawString r) {
                return new Content(r.buf, r.len);
            }
            byte[] b = Strings.bytes(s);
            return new Content(b, b.length);
        }
    }

    /**
     * Redis's getBitOffsetFromArgument: a bit offset, or with {@code bits > 0} also "#n" meaning
     * n * bits. Refuses offsets whose byte is at or past proto-max-bulk-len (2^32 bits for 512 MiB).
     * The offset lands in parsed[0].
     */
    private boolean parseBitOffset(byte[] arg, int bits, RespWriter out) {
        boolean hash = bits > 0 && arg.length > 0 && arg[0] == '#';
        byte[] digits = hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg;
        if (!RedisIntegers.string2ll(digits, parsed)) {
            out.error(EngineErrors.BIT_OFFSET);
            return false;
        }
        long offset = parsed[0];
        if (hash) {
            long high = Math.multiplyHigh(offset, bits);
            offset *= bits;
            if ((high != 0 && high != -1) || (high < 0) != (offset < 0)) {
                out.error(EngineErrors.BIT_OFFSET); // Redis wraps here; a wrapped offset is refused
                return false;
            }
        }
        if (offset < 0 || (offset >>> 3) >= stringBytesMax) {
            out.error(EngineErrors.BIT_OFFSET);
            return false;
        }
        parsed[0] = offset;
        return true;
    }

    /**
     * Redis's lookupStringForBitCommand: the key's string as a raw string with at least
     * {@code maxBit / 8 + 1} bytes (created, unshared, grown zero-filled), or null after WRONGTYPE.
     */
    private Entry stringForBitWrite(byte[] key, long maxBit, ExecContext ctx, RespWriter out) {
        int bytes = (int) ((maxBit >>> 3) + 1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (!checkString(e, out)) {
            return null;
        }
        if (e == null) {
            return db.add(key, hash, new RawString(new byte[bytes], bytes));
        }
        RawString raw = Strings.unshare(e.value);
        if (raw != e.value) {
            db.setValue(e, raw);
        }
        long before = MemoryModel.value(raw);
        raw.growZero(bytes);
        db.valueResized(e, before);
        return e;
    }

    /* SETBIT key offset value */
    private void setbit(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseBitOffset(argv.get(2), 0, out)) {
            return;
        }
        long offset = parsed[0];
        if (!RedisIntegers.string2ll(argv.get(3), parsed) || (parsed[0] & ~1L) != 0) {
            out.error(EngineErrors.BIT_VALUE);
            return;
        }
        boolean on = parsed[0] == 1;
        Entry e = stringForBitWrite(argv.get(1), offset, ctx, out);
        if (e == null) {
            return;
        }
        RawString raw = (RawString) e.value;
        int at = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        boolean was = (raw.buf[at] & mask) != 0;
        raw.buf[at] = (byte) (on ? raw.buf[at] | mask : raw.buf[at] & ~mask);
        replyBoolean(out, was);
    }

    /* GETBIT key offset */
    private void getbit(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseBitOffset(argv.get(2), 0, out)) {
            return;
        }
        long offset = parsed[0];
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.raw(ZERO);
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        Content c = Content.of(e.value);
        long at = offset >>> 3;
        replyBoolean(out, at < c.len && (c.buf[(int) at] & (1 << (7 - (int) (offset & 7)))) != 0);
    }

    /** Returns 1 for BIT, 0 for BYTE, -1 after a syntax error. */
    private static int parseUnit(byte[] arg, RespWriter out) {
        if (Args.is(arg, "bit")) {
            return 1;
        }
        if (Args.is(arg, "byte")) {
            return 0;
        }
        out.error(ErrorReplies.SYNTAX);
        return -1;
    }

    /* BITCOUNT key [start end [BYTE | BIT]] */
    private void bitcount(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int argc = argv.size();
        Entry e = db.lookup(argv.get(1), ctx); // Redis 7.0 looks the key up before the range
        if (e == null) {
            out.raw(ZERO);
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        Content c = Content.of(e.value);
        long firstBit;
        long lastBit;
        if (argc == 4 || argc == 5) {
            if (!parseLong(argv.get(2), out)) {
                return;
            }
            long start = parsed[0];
            if (!parseLong(argv.get(3), out)) {
                return;
            }
            long end = parsed[0];
            int isBit = argc == 5 ? parseUnit(argv.get(4), out) : 0;
            if (isBit < 0) {
                return;
            }
            long total = isBit == 1 ? (long) c.len << 3 : c.len;
            if (start < 0 && end < 0 && start > end) {
                out.raw(ZERO);
                return;
            }
            start = Math.max(start < 0 ? total + start : start, 0);
            end = Math.max(end < 0 ? total + end : end, 0);
            end = Math.min(end, total - 1);
            if (start > end) {
                out.raw(ZERO);
                return;
            }
            firstBit = isBit == 1 ? start : start << 3;
            lastBit = isBit == 1 ? end : (end << 3) + 7;
        } else if (argc == 2) {
            if (c.len == 0) {
                out.raw(ZERO);
                return;
            }
            firstBit = 0;
            lastBit = ((long) c.len << 3) - 1;
        } else {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        out.integer(countBits(c.buf, firstBit, lastBit));
    }

    /** Reads 8 bytes of a byte[] as one long, for counting bits a word at a time. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Set bits in bits [firstBit, lastBit] of buf. */
    private static long countBits(byte[] buf, long firstBit, long lastBit) {
        int first = (int) (firstBit >>> 3);
        int last = (int) (lastBit >>> 3);
        if (first == last) {
            return Integer.bitCount(buf[first] & 0xff & (0xff >>> (firstBit & 7)) & (0xff << (7 - (lastBit & 7))));
        }
        long count = Integer.bitCount(buf[first] & 0xff & (0xff >>> (firstBit & 7)))
            + Integer.bitCount(buf[last] & 0xff & (0xff << (7 - (lastBit & 7))));
        int i = first + 1;
        for (; i + 8 <= last; i += 8) {
            count += Long.bitCount((long) LONGS.get(buf, i));
        }
        for (; i < last; i++) {
            count += Integer.bitCount(buf[i] & 0xff);
        }
        return count;
    }

    /* BITPOS key bit [start [end [BYTE | BIT]]] */
    private void bitpos(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int argc = argv.size();
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long bit = parsed[0];
        if (bit != 0 && bit != 1) {
            out.error(EngineErrors.BITPOS_BIT);
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.integer(bit == 1 ? -1 : 0); // an absent key is an infinite run of zeros
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        Content c = Content.of(e.value);
        long start;
        long end;
        boolean endGiven = false;
        int isBit = 0;
        if (argc >= 4 && argc <= 6) {
            if (!parseLong(argv.get(3), out)) {
                return;
            }
            start = parsed[0];
            if (argc == 6 && (isBit = parseUnit(argv.get(5), out)) < 0) {
                return;
            }
            long total = isBit == 1 ? (long) c.len << 3 : c.len;
            if (argc >= 5) {
                if (!parseLong(argv.get(4), out)) {
                    return;
                }
                end = parsed[0];
                endGiven = true;
            } else {
                end = total - 1;
            }
            start = Math.max(start < 0 ? total + start : start, 0);
            end = Math.max(end < 0 ? total + end : end, 0);
            end = Math.min(end, total - 1);
        } else if (argc == 3) {
            start = 0;
            end = c.len - 1L;
        } else {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        if (start > end) {
            out.integer(-1); // an empty range holds neither a 0 nor a 1
            return;
        }
        long firstBit = isBit == 1 ? start : start << 3;
        long lastBit = isBit == 1 ? end : (end << 3) + 7;
        long pos = findBit(c.buf, firstBit, lastBit, bit == 1);
        if (pos < 0 && bit == 0 && !endGiven) {
            pos = (lastBit | 7) + 1; // without an end the string continues with zeros
        }
        out.integer(pos);
    }

    /** The first bit in [firstBit, lastBit] of buf that equals {@code one}, or -1. */
    private static long findBit(byte[] buf, long firstBit, long lastBit, boolean one) {
        int first = (int) (firstBit >>> 3);
        int last = (int) (lastBit >>> 3);
        for (int i = first; i <= last; i++) {
            int b = one ? buf[i] & 0xff : ~buf[i] & 0xff;
            if (i == first) {
                b &= 0xff >>> (firstBit & 7);
            }
            if (i == last) {
                b &= 0xff << (7 - (lastBit & 7));
            }
            if (b != 0) {
                return ((long) i << 3) + Integer.numberOfLeadingZeros(b) - 24;
            }
        }
        return -1;
    }

    /* BITOP <AND | OR | XOR | NOT> destkey key [key ...] */
    private void bitop(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] op = argv.get(1);
        boolean and = Args.is(op, "and");
        boolean or = Args.is(op, "or");
        boolean xor = Args.is(op, "xor");
        boolean not = Args.is(op, "not");
        if (!and && !or && !xor && !not) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        if (not && argv.size() != 4) {
            out.error(EngineErrors.BITOP_NOT_ONE_KEY);
            return;
        }
        int n = argv.size() - 3;
        Content[] src = new Content[n];
        int maxLen = 0;
        for (int j = 0; j < n; j++) {
            Entry e = db.lookup(argv.get(j + 3), ctx);
            if (e == null) {
                src[j] = new Content(new byte[0], 0);
                continue;
            }
            if (!checkString(e, out)) {
                return;
            }
            src[j] = Content.of(e.value);
            maxLen = Math.max(maxLen, src[j].len);
        }
        byte[] key = argv.get(2);
        int hash = db.hash(key);
        if (maxLen == 0) {
            Entry dest = db.lookup(key, hash, ctx);
            if (dest != null) {
                db.delete(dest);
            }
            out.raw(ZERO);
            return;
        }
        byte[] res = new byte[maxLen];
        for (int i = 0; i < maxLen; i++) {
            int v = i < src[0].len ? src[0].buf[i] : 0;
            if (not) {
                v = ~v;
            }
            for (int j = 1; j < n; j++) {
                int b = i < src[j].len ? src[j].buf[i] : 0;
                v = and ? v & b : or ? v | b : v ^ b;
            }
            res[i] = (byte) v;
        }
        RawString value = new RawString(res, maxLen); // Redis's createObject: "raw" at any length
        Entry dest = db.lookup(key, hash, ctx);
        if (dest == null) {
            db.add(key, hash, value);
        } else {
            db.overwrite(dest, value, false);
        }
        out.integer(maxLen);
    }

    /** One parsed BITFIELD operation. */
    private record FieldOp(int opcode, long offset, int bits, boolean signed, long value, int overflow) {}

    /* BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
     *     <SET encoding offset value | INCRBY encoding offset increment> ...]
     * BITFIELD_RO key [GET encoding offset ...] */
    private void bitfield(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean readOnly) {
        // At most (argc - 2) / 3 operations: the list is bounded by the command's own length.
        FieldOp[] ops = new FieldOp[(argv.size() - 2) / 3 + 1];
        int numOps = parseFieldOps(argv, ops, out);
        if (numOps < 0) {
            return;
        }
        boolean writes = false;
        long highestWriteBit = 0;
        for (int i = 0; i < numOps; i++) {
            if (ops[i].opcode != OP_GET) {
                writes = true;
                highestWriteBit = Math.max(highestWriteBit, ops[i].offset + ops[i].bits - 1);
            }
        }
        Entry e;
        if (!writes) {
            e = db.lookup(argv.get(1), ctx);
            if (!checkString(e, out)) {
                return;
            }
        } else {
            if (readOnly) {
                out.error(EngineErrors.BITFIELD_RO_GET_ONLY);
                return;
            }
            if ((highestWriteBit >>> 3) + 1 > stringBytesMax) {
                // Redis lets a field end up to 8 bytes past proto-max-bulk-len; refused here.
                out.error(ErrorReplies.STRING_TOO_LONG);
                return;
            }
            e = stringForBitWrite(argv.get(1), highestWriteBit, ctx, out);
            if (e == null) {
                return;
            }
        }
        out.array(numOps);
        Content c = e == null ? new Content(new byte[0], 0) : Content.of(e.value);
        for (int i = 0; i < numOps; i++) {
            FieldOp op = ops[i];
            if (op.opcode == OP_GET) {
                out.integer(readField(c.buf, c.len, op.offset, op.bits, op.signed));
            } else {
                applyWrite(op, (RawString) e.value, out);
            }
        }
    }

    /**
     * Parses BITFIELD's operations from argv[2] on into ops, as Redis does before touching the key:
     * the first bad argument is replied. Returns the number of operations, or -1 after an error.
     */
    private int parseFieldOps(List<byte[]> argv, FieldOp[] ops, RespWriter out) {
        int argc = argv.size();
        int numOps = 0;
        int overflow = WRAP;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            byte[] sub = argv.get(j);
            int opcode;
            if (Args.is(sub, "get") && remaining >= 2) {
                opcode = OP_GET;
            } else if (Args.is(sub, "set") && remaining >= 3) {
                opcode = OP_SET;
            } else if (Args.is(sub, "incrby") && remaining >= 3) {
                opcode = OP_INCRBY;
            } else if (Args.is(sub, "overflow") && remaining >= 1) {
                overflow = parseOverflow(argv.get(++j));
                if (overflow < 0) {
                    out.error(EngineErrors.BITFIELD_OVERFLOW_TYPE);
                    return -1;
                }
                continue;
            } else {
                out.error(ErrorReplies.SYNTAX);
                return -1;
            }
            int type = parseFieldType(argv.get(j + 1), out);
            if (type == 0 || !parseBitOffset(argv.get(j + 2), Math.abs(type), out)) {
                return -1;
            }
            long offset = parsed[0];
            if (opcode != OP_GET && !parseLong(argv.get(j + 3), out)) {
                return -1;
            }
            long value = opcode == OP_GET ? 0 : parsed[0];
            ops[numOps++] = new FieldOp(opcode, offset, Math.abs(type), type < 0, value, overflow);
            j += opcode == OP_GET ? 2 : 3;
        }
        return numOps;
    }

    /** WRAP, SAT or FAIL for an OVERFLOW argument, or -1. */
    private static int parseOverflow(byte[] arg) {
        if (Args.is(arg, "wrap")) {
            return WRAP;
        }
        if (Args.is(arg, "sat")) {
            return SAT;
        }
        return Args.is(arg, "fail") ? FAIL : -1;
    }

    /** SET or INCRBY on one field; replies the old (SET) or new (INCRBY) value, or null on FAIL. */
    private static void applyWrite(FieldOp op, RawString raw, RespWriter out) {
        long old = readField(raw.buf, raw.len, op.offset, op.bits, op.signed);
        long incr = op.opcode == OP_INCRBY ? op.value : 0;
        long start = op.opcode == OP_INCRBY ? old : op.value;
        long[] limit = new long[1];
        boolean overflowed = op.signed
            ? signedOverflow(start, incr, op.bits, op.overflow, limit)
            : unsignedOverflow(start, incr, op.bits, op.overflow, limit);
        if (overflowed && op.overflow == FAIL) {
            out.nullBulk();
            return;
        }
        long result = overflowed ? limit[0] : start + incr;
        out.integer(op.opcode == OP_INCRBY ? result : old);
        writeField(raw.buf, op.offset, op.bits, result);
    }

    /**
     * Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63.
     *
     * @return -bits for a signed type, +bits for unsigned, 0 after the error reply
     */
    private int parseFieldType(byte[] arg, RespWriter out) {
        int sign = arg.length == 0 ? 0 : arg[0] == 'i' ? -1 : arg[0] == 'u' ? 1 : 0;
        if (sign != 0) {
            byte[] digits = Arrays.copyOfRange(arg, 1, Args.cLength(arg, arg.length)); // C string
            if (RedisIntegers.string2ll(digits, parsed) && parsed[0] >= 1
                    && parsed[0] <= (sign < 0 ? 64 : 63)) {
                return sign * (int) parsed[0];
            }
        }
        out.error(EngineErrors.BITFIELD_TYPE);
        return 0;
    }

    /** Reads a bits-wide field at a bit offset of buf[0, len), bytes past len reading as zero. */
    private static long readField(byte[] buf, int len, long offset, int bits, boolean signed) {
        long v = 0;
        for (int j = 0; j < bits; j++, offset++) {
            long at = offset >>> 3;
            int bit = at < len ? (buf[(int) at] >> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        if (signed && bits < 64 && (v & (1L << (bits - 1))) != 0) {
            v |= -1L << bits;
        }
        return v;
    }

    private static void writeField(byte[] buf, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            int at = (int) (offset >>> 3);
            int mask = 1 << (7 - (int) (offset & 7));
            boolean on = ((value >>> (bits - 1 - j)) & 1) != 0;
            buf[at] = (byte) (on ? buf[at] | mask : buf[at] & ~mask);
        }
    }

    /** Redis's checkUnsignedBitfieldOverflow (value is read as unsigned 64-bit). */
    private static boolean unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = (1L << bits) - 1; // bits <= 63
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > max - value)) {
            limit[0] = owtype == WRAP ? (value + incr) & max : max;
            return true;
        }
        if (incr < 0 && incr < -value) {
            limit[0] = owtype == WRAP ? (value + incr) & max : 0;
            return true;
        }
        return false;
    }

    /** Redis's checkSignedBitfieldOverflow. */
    private static boolean signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        boolean up = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean down = !up && (value < min || (bits != 64 && incr < minIncr)
            || (value < 0 && incr < 0 && incr < minIncr));
        if (!up && !down) {
            return false;
        }
        if (owtype == WRAP) {
            long c = value + incr;
            if (bits < 64) {
                long mask = -1L << bits;
                c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
            }
            limit[0] = c;
        } else {
            limit[0] = up ? max : min;
        }
        return true;
    }
}
