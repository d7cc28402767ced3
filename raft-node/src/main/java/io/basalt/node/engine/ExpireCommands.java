package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import java.util.List;

/**
 * Commands that set, read or drop a key's expiry time (Redis's expire.c). EXPIRE, PEXPIRE,
 * EXPIREAT and PEXPIREAT share {@link #expireGeneric}; TTL, PTTL, EXPIRETIME and PEXPIRETIME
 * share {@link #ttlGeneric}.
 */
final class ExpireCommands extends CommandFamily {

    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GT = 1 << 2;
    private static final int LT = 1 << 3;
    private static final int OPTIONS_ERROR = -1;

    ExpireCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("expire", (argv, ctx, out) -> expireGeneric(argv, ctx, out, ctx.nowMs(), true, "expire"));
        r.register("pexpire", (argv, ctx, out) -> expireGeneric(argv, ctx, out, ctx.nowMs(), false, "pexpire"));
        r.register("expireat", (argv, ctx, out) -> expireGeneric(argv, ctx, out, 0, true, "expireat"));
        r.register("pexpireat", (argv, ctx, out) -> expireGeneric(argv, ctx, out, 0, false, "pexpireat"));
        r.register("ttl", (argv, ctx, out) -> ttlGeneric(argv, ctx, out, false, false));
        r.register("pttl", (argv, ctx, out) -> ttlGeneric(argv, ctx, out, true, false));
        r.register("expiretime", (argv, ctx, out) -> ttlGeneric(argv, ctx, out, false, true));
        r.register("pexpiretime", (argv, ctx, out) -> ttlGeneric(argv, ctx, out, true, true));
        r.register("persist", this::persist);
    }

    /* EXPIRE key seconds [NX | XX | GT | LT]
     * PEXPIRE key milliseconds [NX | XX | GT | LT]
     * EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
     * PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
     *
     * A time at or before now deletes the key (and replies 1), as Redis's checkAlreadyExpired. */
    private void expireGeneric(List<byte[]> argv, ExecContext ctx, RespWriter out, long baseMs,
                               boolean seconds, String name) {
        int flags = parseFlags(argv, out);
        if (flags == OPTIONS_ERROR || !parseLong(argv.get(2), out)) {
            return;
        }
        long when = parsed[0];
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                out.error(String.format(ErrorReplies.INVALID_EXPIRE, name));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - baseMs) {
            out.error(String.format(ErrorReplies.INVALID_EXPIRE, name));
            return;
        }
        when += baseMs;
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.raw(ZERO);
            return;
        }
        long current = db.expireAt(e);
        if (((flags & NX) != 0 && current != -1)
                || ((flags & XX) != 0 && current == -1)
                || ((flags & GT) != 0 && (when <= current || current == -1))
                || ((flags & LT) != 0 && current != -1 && when >= current)) {
            out.raw(ZERO);
            return;
        }
        if (when <= ctx.nowMs()) {
            db.delete(e);
        } else {
            db.setExpire(e, when);
        }
        out.raw(ONE);
    }

    /** Redis's parseExtendedExpireArgumentsOrReply; replies and returns OPTIONS_ERROR on error. */
    private static int parseFlags(List<byte[]> argv, RespWriter out) {
        int flags = 0;
        for (int j = 3; j < argv.size(); j++) {
            byte[] opt = argv.get(j);
            if (Args.is(opt, "nx")) {
                flags |= NX;
            } else if (Args.is(opt, "xx")) {
                flags |= XX;
            } else if (Args.is(opt, "gt")) {
                flags |= GT;
            } else if (Args.is(opt, "lt")) {
                flags |= LT;
            } else {
                EngineErrors.unsupportedOption(out, opt);
                return OPTIONS_ERROR;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            out.error(EngineErrors.EXPIRE_NX_CONFLICT);
            return OPTIONS_ERROR;
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            out.error(EngineErrors.EXPIRE_GT_LT_CONFLICT);
            return OPTIONS_ERROR;
        }
        return flags;
    }

    /* TTL key
     * PTTL key
     * EXPIRETIME key
     * PEXPIRETIME key
     *
     * -2 when the key does not exist, -1 when it has no expiry time. Seconds are rounded to the
     * nearest ((ms + 500) / 1000, computed unsigned as Redis's compiled code effectively does). */
    private void ttlGeneric(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean ms, boolean absolute) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.integer(-2);
            return;
        }
        long expire = db.expireAt(e);
        if (expire == -1) {
            out.integer(-1);
            return;
        }
        long ttl = absolute ? expire : expire - ctx.nowMs();
        if (ttl < 0) {
            ttl = 0;
        }
        out.integer(ms ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }

    /* PERSIST key */
    private void persist(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        replyBoolean(out, e != null && db.removeExpire(e));
    }
}
