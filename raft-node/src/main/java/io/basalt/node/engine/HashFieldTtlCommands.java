package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.util.List;

/**
 * Hash field expiration (Redis 7.4's HEXPIRE family in t_hash.c): per-field expiry times over
 * {@link Hash}. Each command takes {@code FIELDS numfields field...} and replies one integer per
 * field, in the order given.
 *
 * <p>Expired fields are removed by the write's lookup before the command sees the hash
 * ({@link Db#lookup}), so here a field is either live or absent; reads (HTTL and friends) may
 * still meet an expired field and report it absent (-2), as Redis does.
 */
final class HashFieldTtlCommands extends CommandFamily {

    /**
     * Largest absolute expiry time a command may set, in Unix ms: Redis's HFE_MAX_ABS_TIME_MSEC,
     * (2^48 - 1) >> 2 (its expiry buckets keep 48 bits and reserve two).
     */
    static final long EXPIRE_AT_MS_MAX = ((1L << 48) - 1) >> 2;

    static final String NUMFIELDS_NOT_POSITIVE = "ERR Parameter `numFields` should be greater than 0";
    static final String NUMFIELDS_MISMATCH = "ERR The `numfields` parameter must match the number of arguments";
    static final String FIELDS_MISSING = "ERR Mandatory argument FIELDS is missing or not at the right position";
    static final String EXPIRE_NEGATIVE = "ERR invalid expire time, must be >= 0";

    // per-field reply codes
    static final long NO_FIELD = -2;
    static final long NO_TTL = -1;
    static final long CONDITION_NOT_MET = 0;
    static final long SET = 1;
    static final long DELETED = 2;

    private enum Condition { NONE, NX, XX, GT, LT }

    HashFieldTtlCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("hexpire", (argv, ctx, out) -> hexpire(argv, ctx, out, "hexpire", true, 1000));
        r.register("hpexpire", (argv, ctx, out) -> hexpire(argv, ctx, out, "hpexpire", true, 1));
        r.register("hexpireat", (argv, ctx, out) -> hexpire(argv, ctx, out, "hexpireat", false, 1000));
        r.register("hpexpireat", (argv, ctx, out) -> hexpire(argv, ctx, out, "hpexpireat", false, 1));
        r.register("httl", (argv, ctx, out) -> httl(argv, ctx, out, true, true));
        r.register("hpttl", (argv, ctx, out) -> httl(argv, ctx, out, true, false));
        r.register("hexpiretime", (argv, ctx, out) -> httl(argv, ctx, out, false, true));
        r.register("hpexpiretime", (argv, ctx, out) -> httl(argv, ctx, out, false, false));
        r.register("hpersist", this::hpersist);
    }

    /**
     * Checks {@code FIELDS numfields field...} with numfields at {@code numFieldsAt}; replies the
     * error and returns -1 when it is wrong, else returns numfields.
     */
    private int parseFields(List<byte[]> argv, int numFieldsAt, RespWriter out) {
        if (!Args.is(argv.get(numFieldsAt - 1), "fields")) {
            out.error(FIELDS_MISSING);
            return -1;
        }
        if (!RedisIntegers.string2ll(argv.get(numFieldsAt), parsed) || parsed[0] < 1) {
            out.error(NUMFIELDS_NOT_POSITIVE);
            return -1;
        }
        if (parsed[0] != argv.size() - numFieldsAt - 1) {
            out.error(NUMFIELDS_MISMATCH);
            return -1;
        }
        return (int) parsed[0];
    }

    private static void replyAll(RespWriter out, int n, long code) {
        out.array(n);
        for (int i = 0; i < n; i++) {
            out.integer(code);
        }
    }

    /* HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
     * HPEXPIRE key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
     * HEXPIREAT key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
     * HPEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
     * Per field: -2 no such field, 0 condition not met, 1 set, 2 deleted (time not in the future).
     * A field without a TTL counts as an infinite one for GT and LT. The checks run in Redis's
     * order: type, time, condition, FIELDS, numfields. */
    private void hexpire(List<byte[]> argv, ExecContext ctx, RespWriter out, String name, boolean relative,
            long unitMs) {
        byte[] key = argv.get(1);
        Entry e = db.lookup(key, ctx);
        if (!checkHash(e, out)) {
            return;
        }
        long atMs = parseExpireAt(argv.get(2), name, relative ? ctx.nowMs() : 0, unitMs, out);
        if (atMs < 0) {
            return;
        }
        Condition cond = parseCondition(argv.get(3));
        int fieldsAt = cond == Condition.NONE ? 3 : 4; // where the FIELDS keyword is
        int n = parseFields(argv, fieldsAt + 1, out);
        if (n < 0) {
            return;
        }
        if (e == null) {
            replyAll(out, n, NO_FIELD);
            return;
        }
        Hash h = (Hash) e.value;
        long oldBytes = MemoryModel.value(h);
        h.toTtlForm(); // Redis converts a listpack to listpackex before looking at the fields
        out.array(n);
        for (int i = fieldsAt + 2; i < argv.size(); i++) {
            out.integer(setFieldExpiry(h, argv.get(i), atMs, cond, ctx.nowMs()));
        }
        db.valueResized(e, oldBytes);
        if (h.size() == 0) {
            db.delete(e);
        }
    }

    private static long setFieldExpiry(Hash h, byte[] field, long atMs, Condition cond, long nowMs) {
        if (h.get(field) == null) {
            return NO_FIELD;
        }
        long prev = h.expireAt(field);
        boolean met = switch (cond) {
            case NONE -> true;
            case NX -> prev < 0;
            case XX -> prev >= 0;
            case GT -> prev >= 0 && atMs > prev;
            case LT -> prev < 0 || atMs < prev;
        };
        if (!met) {
            return CONDITION_NOT_MET;
        }
        if (atMs <= nowMs) {
            h.remove(field);
            return DELETED;
        }
        h.setExpireAt(field, atMs);
        return SET;
    }

    /**
     * The absolute expiry time in ms from the time argument, or -1 after replying the error: not
     * an integer, negative, or past {@link #EXPIRE_AT_MS_MAX} once made absolute.
     */
    private long parseExpireAt(byte[] arg, String name, long baseMs, long unitMs, RespWriter out) {
        if (!parseLong(arg, out)) {
            return -1;
        }
        long when = parsed[0];
        if (when < 0) {
            out.error(EXPIRE_NEGATIVE);
            return -1;
        }
        if (when > EXPIRE_AT_MS_MAX / unitMs || when * unitMs > EXPIRE_AT_MS_MAX - baseMs) {
            out.error(String.format(ErrorReplies.INVALID_EXPIRE, name));
            return -1;
        }
        return when * unitMs + baseMs;
    }

    private static Condition parseCondition(byte[] arg) {
        if (Args.is(arg, "nx")) {
            return Condition.NX;
        } else if (Args.is(arg, "xx")) {
            return Condition.XX;
        } else if (Args.is(arg, "gt")) {
            return Condition.GT;
        } else if (Args.is(arg, "lt")) {
            return Condition.LT;
        }
        return Condition.NONE;
    }

    /* HTTL key FIELDS numfields field [field ...]
     * HPTTL key FIELDS numfields field [field ...]
     * HEXPIRETIME key FIELDS numfields field [field ...]
     * HPEXPIRETIME key FIELDS numfields field [field ...]
     * Per field: -2 no such field (or expired), -1 no TTL, else the TTL or the Unix time; seconds
     * are rounded up, as Redis does ((ms + 999) / 1000). */
    private void httl(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean remaining, boolean seconds) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        int n = parseFields(argv, 3, out);
        if (n < 0) {
            return;
        }
        if (e == null) {
            replyAll(out, n, NO_FIELD);
            return;
        }
        Hash h = (Hash) e.value;
        long now = ctx.nowMs();
        long base = remaining ? now : 0;
        out.array(n);
        for (int i = 4; i < argv.size(); i++) {
            byte[] field = argv.get(i);
            long at = h.expireAt(field);
            if (h.get(field, now) == null) {
                out.integer(NO_FIELD);
            } else if (at < 0) {
                out.integer(NO_TTL);
            } else {
                out.integer(seconds ? (at + 999 - base) / 1000 : at - base);
            }
        }
    }

    /* HPERSIST key FIELDS numfields field [field ...]
     * Per field: -2 no such field, -1 no TTL, 1 TTL removed. A listpack hash stays listpackex. */
    private void hpersist(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        int n = parseFields(argv, 3, out);
        if (n < 0) {
            return;
        }
        if (e == null) {
            replyAll(out, n, NO_FIELD);
            return;
        }
        Hash h = (Hash) e.value;
        long oldBytes = MemoryModel.value(h);
        out.array(n);
        for (int i = 4; i < argv.size(); i++) {
            byte[] field = argv.get(i);
            if (h.get(field) == null) {
                out.integer(NO_FIELD);
            } else {
                out.integer(h.persist(field) ? SET : NO_TTL);
            }
        }
        db.valueResized(e, oldBytes);
    }
}
