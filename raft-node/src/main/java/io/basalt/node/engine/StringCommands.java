package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The string commands (Redis's t_string.c), LCS aside ({@link LcsCommand}). SET, SETNX, SETEX and
 * PSETEX share {@link #setGeneric}; INCR, DECR, INCRBY and DECRBY share {@link #incrDecr}.
 */
final class StringCommands extends CommandFamily {

    // Option flags of SET and GETEX (Redis's OBJ_SET_NX, OBJ_EX, ...).
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int PERSIST = 1 << 4;
    private static final int EX = 1 << 5;
    private static final int PX = 1 << 6;
    private static final int EXAT = 1 << 7;
    private static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    /** Returned by {@link #parseOptions} for a syntax error. */
    private static final long SYNTAX_ERROR = -1;
    /** Returned by {@link #expireMs} after it replied an error. */
    private static final long EXPIRE_ERROR = Long.MIN_VALUE;

    private final long stringBytesMax;

    StringCommands(Db db, long stringBytesMax) {
        super(db);
        this.stringBytesMax = stringBytesMax;
    }

    @Override
    void register(CommandRegistry r) {
        r.register("get", this::get);
        r.register("set", this::set);
        r.register("setnx", this::setnx);
        r.register("setex", (argv, ctx, out) -> setex(argv, ctx, out, EX, "setex"));
        r.register("psetex", (argv, ctx, out) -> setex(argv, ctx, out, PX, "psetex"));
        r.register("getset", this::getset);
        r.register("getdel", this::getdel);
        r.register("getex", this::getex);
        r.register("mget", this::mget);
        r.register("mset", (argv, ctx, out) -> mset(argv, ctx, out, false));
        r.register("msetnx", (argv, ctx, out) -> mset(argv, ctx, out, true));
        r.register("append", this::append);
        r.register("strlen", this::strlen);
        r.register("getrange", this::getrange);
        r.register("substr", this::getrange);
        r.register("setrange", this::setrange);
        r.register("incr", (argv, ctx, out) -> incrDecr(argv.get(1), 1, ctx, out));
        r.register("decr", (argv, ctx, out) -> incrDecr(argv.get(1), -1, ctx, out));
        r.register("incrby", this::incrby);
        r.register("decrby", this::decrby);
        r.register("incrbyfloat", this::incrbyfloat);
    }

    /* GET key */
    private void get(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        replyGet(db.lookup(argv.get(1), ctx), out);
    }

    /* SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
     *     PXAT unix-time-milliseconds | KEEPTTL] */
    private void set(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long options = parseOptions(argv, 3, true);
        if (options == SYNTAX_ERROR) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int flags = (int) options;
        int expireAt = (int) (options >>> 32);
        Object value = Strings.fromArgument(argv.get(2), parsed);
        setGeneric(ctx, out, flags, argv.get(1), value, expireAt > 0 ? argv.get(expireAt) : null, "set", OK, null);
    }

    /* SETNX key value */
    private void setnx(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        setGeneric(ctx, out, NX, argv.get(1), Strings.fromArgument(argv.get(2), parsed), null, "setnx", ONE, ZERO);
    }

    /* SETEX key seconds value
     * PSETEX key milliseconds value */
    private void setex(List<byte[]> argv, ExecContext ctx, RespWriter out, int unitFlag, String name) {
        setGeneric(ctx, out, unitFlag, argv.get(1), Strings.fromArgument(argv.get(3), parsed), argv.get(2), name, OK, null);
    }

    /**
     * Redis's setGenericCommand: validates the expire time, does GET's reply when asked, applies
     * NX/XX, stores the value (dropping the TTL unless KEEPTTL) and sets the new expiry.
     *
     * @param abortReply reply when NX/XX prevents the set; null for a null bulk
     */
    private void setGeneric(ExecContext ctx, RespWriter out, int flags, byte[] key, Object value,
                            byte[] expireArg, String name, byte[] okReply, byte[] abortReply) {
        long whenMs = 0;
        if (expireArg != null) {
            whenMs = expireMs(expireArg, flags, ctx.nowMs(), name, out);
            if (whenMs == EXPIRE_ERROR) {
                return;
            }
        }
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if ((flags & GET) != 0 && !replyGet(e, out)) {
            return;
        }
        boolean found = e != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                if (abortReply == null) {
                    out.nullBulk();
                } else {
                    out.raw(abortReply);
                }
            }
            return;
        }
        if (found) {
            db.overwrite(e, value, (flags & KEEPTTL) != 0);
        } else {
            e = db.add(key, hash, value);
        }
        if (expireArg != null) {
            db.setExpire(e, whenMs);
        }
        if ((flags & GET) == 0) {
            out.raw(okReply);
        }
    }

    /**
     * Parses SET's (forSet) or GETEX's options from argv[start] on, as Redis's
     * parseExtendedStringArgumentsOrReply, conflicts and repeats included (a repeated EX is
     * accepted and the last one wins).
     *
     * @return the flags, with the index of the expire-time argument in the upper 32 bits (0 when
     *     none), or {@link #SYNTAX_ERROR}
     */
    private static long parseOptions(List<byte[]> argv, int start, boolean forSet) {
        int flags = 0;
        int expireAt = 0;
        int argc = argv.size();
        for (int j = start; j < argc; j++) {
            byte[] opt = argv.get(j);
            boolean hasNext = j < argc - 1;
            if (forSet && Args.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && Args.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && Args.is(opt, "get")) {
                flags |= GET;
            } else if (forSet && Args.is(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!forSet && Args.is(opt, "persist") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
                flags |= PERSIST;
            } else if (hasNext && (flags & (KEEPTTL | PERSIST)) == 0 && expireOption(opt) != 0
                    && (flags & ANY_EXPIRE & ~expireOption(opt)) == 0) {
                flags |= expireOption(opt);
                expireAt = ++j;
            } else {
                return SYNTAX_ERROR;
            }
        }
        return flags | ((long) expireAt << 32);
    }

    /** The flag of an expire option (EX, PX, EXAT, PXAT), or 0. */
    private static int expireOption(byte[] opt) {
        if (Args.is(opt, "ex")) {
            return EX;
        }
        if (Args.is(opt, "px")) {
            return PX;
        }
        if (Args.is(opt, "exat")) {
            return EXAT;
        }
        return Args.is(opt, "pxat") ? PXAT : 0;
    }

    /**
     * The absolute expiry time in ms for an EX/PX/EXAT/PXAT argument, as Redis's
     * getExpireMillisecondsOrReply; replies the error and returns {@link #EXPIRE_ERROR} when the
     * argument is not an integer, not positive, or overflows.
     */
    private long expireMs(byte[] arg, int flags, long nowMs, String name, RespWriter out) {
        if (!parseLong(arg, out)) {
            return EXPIRE_ERROR;
        }
        long ms = parsed[0];
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
            out.error(String.format(ErrorReplies.INVALID_EXPIRE, name));
            return EXPIRE_ERROR;
        }
        if (seconds) {
            ms *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            ms += nowMs; // may wrap negative: caught below, as in Redis
        }
        if (ms <= 0) {
            out.error(String.format(ErrorReplies.INVALID_EXPIRE, name));
            return EXPIRE_ERROR;
        }
        return ms;
    }

    /* GETSET key value */
    private void getset(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (!replyGet(e, out)) {
            return;
        }
        Object value = Strings.fromArgument(argv.get(2), parsed);
        if (e == null) {
            db.add(key, hash, value);
        } else {
            db.overwrite(e, value, false);
        }
    }

    /* GETDEL key */
    private void getdel(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (replyGet(e, out) && e != null) {
            db.delete(e);
        }
    }

    /* GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
    private void getex(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long options = parseOptions(argv, 2, false);
        if (options == SYNTAX_ERROR) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int flags = (int) options;
        int expireAt = (int) (options >>> 32);
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.nullBulk(); // Redis answers a missing key before looking at the expire time
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        long whenMs = 0;
        if (expireAt > 0) {
            whenMs = expireMs(argv.get(expireAt), flags, ctx.nowMs(), "getex", out);
            if (whenMs == EXPIRE_ERROR) {
                return;
            }
        }
        Strings.writeBulk(out, e.value, digits);
        if ((flags & (EXAT | PXAT)) != 0 && whenMs <= ctx.nowMs()) {
            db.delete(e);
        } else if (expireAt > 0) {
            db.setExpire(e, whenMs);
        } else if ((flags & PERSIST) != 0) {
            db.removeExpire(e);
        }
    }

    /* MGET key [key ...] */
    private void mget(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        out.array(argv.size() - 1);
        for (int i = 1; i < argv.size(); i++) {
            Entry e = db.lookup(argv.get(i), ctx);
            if (e == null || !Strings.isString(e.value)) {
                out.nullBulk();
            } else {
                Strings.writeBulk(out, e.value, digits);
            }
        }
    }

    /* MSET key value [key value ...]
     * MSETNX key value [key value ...] */
    private void mset(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean nx) {
        if (argv.size() % 2 == 0) {
            out.error(ErrorReplies.wrongArity(nx ? "msetnx" : "mset"));
            return;
        }
        if (nx) {
            for (int j = 1; j < argv.size(); j += 2) {
                if (db.lookup(argv.get(j), ctx) != null) {
                    out.raw(ZERO);
                    return;
                }
            }
        }
        for (int j = 1; j < argv.size(); j += 2) {
            byte[] key = argv.get(j);
            Object value = Strings.fromArgument(argv.get(j + 1), parsed);
            int hash = db.hash(key);
            Entry e = db.lookup(key, hash, ctx);
            if (e == null) {
                db.add(key, hash, value);
            } else {
                db.overwrite(e, value, false);
            }
        }
        out.raw(nx ? ONE : OK);
    }

    /* APPEND key value */
    private void append(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        byte[] tail = argv.get(2);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (e == null) {
            db.add(key, hash, Strings.fromArgument(tail, parsed));
            out.integer(tail.length);
            return;
        }
        if (!checkString(e, out) || !checkStringLength(Strings.length(e.value), tail.length, out)) {
            return;
        }
        RawString raw = unshare(e);
        long before = MemoryModel.value(raw);
        raw.append(tail);
        db.valueResized(e, before);
        out.integer(raw.len);
    }

    /* STRLEN key */
    private void strlen(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (checkString(e, out)) {
            out.integer(e == null ? 0 : Strings.length(e.value));
        }
    }

    /* GETRANGE key start end
     * SUBSTR key start end */
    private void getrange(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long start = parsed[0];
        if (!parseLong(argv.get(3), out)) {
            return;
        }
        long end = parsed[0];
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.raw(EMPTY_BULK);
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        long len = Strings.length(e.value);
        if (start < 0 && end < 0 && start > end) {
            out.raw(EMPTY_BULK);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            out.raw(EMPTY_BULK);
        } else {
            Strings.writeBulkRange(out, e.value, (int) start, (int) (end - start + 1), digits);
        }
    }

    /* SETRANGE key offset value */
    private void setrange(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long offset = parsed[0];
        if (offset < 0) {
            out.error(ErrorReplies.OFFSET_OUT_OF_RANGE);
            return;
        }
        byte[] key = argv.get(1);
        byte[] patch = argv.get(3);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (e == null) {
            if (patch.length == 0) {
                out.raw(ZERO);
                return;
            }
            if (!checkStringLength(offset, patch.length, out)) {
                return;
            }
            int total = (int) (offset + patch.length);
            byte[] buf = new byte[total];
            System.arraycopy(patch, 0, buf, (int) offset, patch.length);
            db.add(key, hash, new RawString(buf, total));
            out.integer(total);
            return;
        }
        if (!checkString(e, out)) {
            return;
        }
        if (patch.length == 0) {
            out.integer(Strings.length(e.value));
            return;
        }
        if (!checkStringLength(offset, patch.length, out)) {
            return;
        }
        RawString raw = unshare(e);
        long before = MemoryModel.value(raw);
        raw.growZero((int) Math.max(raw.len, offset + patch.length));
        System.arraycopy(patch, 0, raw.buf, (int) offset, patch.length);
        db.valueResized(e, before);
        out.integer(raw.len);
    }

    /** Redis's checkStringLength: size + append must not exceed proto-max-bulk-len nor overflow. */
    private boolean checkStringLength(long size, long append, RespWriter out) {
        long total = size + append;
        if (total > stringBytesMax || total < size || total < append) {
            out.error(ErrorReplies.STRING_TOO_LONG);
            return false;
        }
        return true;
    }

    /** The entry's value as a raw string to change in place, stored back if it had another form. */
    private RawString unshare(Entry e) {
        RawString raw = Strings.unshare(e.value);
        if (raw != e.value) {
            db.setValue(e, raw);
        }
        return raw;
    }

    /* INCRBY key increment */
    private void incrby(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (parseLong(argv.get(2), out)) {
            incrDecr(argv.get(1), parsed[0], ctx, out);
        }
    }

    /* DECRBY key decrement */
    private void decrby(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        if (parsed[0] == Long.MIN_VALUE) {
            out.error(EngineErrors.DECREMENT_OVERFLOW);
            return;
        }
        incrDecr(argv.get(1), -parsed[0], ctx, out);
    }

    /** Redis's incrDecrCommand; keeps the key's TTL. */
    private void incrDecr(byte[] key, long incr, ExecContext ctx, RespWriter out) {
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (!checkString(e, out)) {
            return;
        }
        long value = 0;
        if (e != null) {
            if (!stringToLong(e.value)) {
                out.error(ErrorReplies.NOT_INTEGER);
                return;
            }
            value = parsed[0];
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            out.error(ErrorReplies.OVERFLOW);
            return;
        }
        IntString result = IntString.of(value + incr);
        if (e == null) {
            db.add(key, hash, result);
        } else {
            db.setValue(e, result);
        }
        out.integer(result.value);
    }

    /** Parses a stored string as string2ll into parsed[0]. */
    private boolean stringToLong(Object s) {
        if (s instanceof IntString i) {
            parsed[0] = i.value;
            return true;
        }
        if (s instanceof byte[] b) {
            return RedisIntegers.string2ll(b, parsed);
        }
        RawString r = (RawString) s;
        return RedisIntegers.string2ll(r.buf, r.len, parsed);
    }

    /* INCRBYFLOAT key increment */
    private void incrbyfloat(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (!checkString(e, out)) {
            return;
        }
        LongDouble value = e == null ? LongDouble.of(0) : toLongDouble(e.value);
        byte[] incrArg = argv.get(2);
        LongDouble incr = value == null ? null : LongDouble.parse(incrArg, incrArg.length);
        if (incr == null) {
            out.error(ErrorReplies.NOT_FLOAT);
            return;
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            out.error(ErrorReplies.NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        if (e == null) {
            db.add(key, hash, text); // stored as text, never int-encoded, as Redis does
        } else {
            db.setValue(e, text);
        }
        out.bulk(text);
    }

    private static LongDouble toLongDouble(Object s) {
        if (s instanceof IntString i) {
            return LongDouble.of(i.value);
        }
        if (s instanceof byte[] b) {
            return LongDouble.parse(b, b.length);
        }
        RawString r = (RawString) s;
        return LongDouble.parse(r.buf, r.len);
    }
}
