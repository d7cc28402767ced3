package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocking commands (Redis's blocked.c with t_list.c and t_zset.c): BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP, and the internal commands a gateway uses to
 * follow a blocked client (see docs/ARCHITECTURE.md, "Blocking commands").
 *
 * <p>Every one is a write. With data available it replies exactly as Redis does, by running the
 * non-blocking form (LPOP, LMOVE, LMPOP, ZPOPMIN, ZMPOP) on the key that has it. Without, it
 * records a waiter in the replicated {@link WaitTable} and replies
 * {@code -BASALTBLOCKED <token> <timeoutMs>}, which the gateway consumes. After every write
 * command, {@link #serveReady} serves the waiters of keys that got a value (Redis's
 * handleClientsBlockedOnKeys), oldest first, and keeps each reply in the table by token until the
 * gateway claims it.
 */
final class BlockingCommands extends CommandFamily {

    /** A waiter not renewed by its gateway for this long is dropped (its gateway is gone). */
    static final long LEASE_MS = 30_000;
    /** A served reply not claimed for this long is dropped. */
    static final long SERVED_TTL_MS = 60_000;
    /** Positions in a batch are below this; token = entryIndex * this + position. */
    private static final long POSITIONS_MAX = 1L << 20;

    private final WaitTable waits;
    private CommandRegistry registry;

    BlockingCommands(Db db, WaitTable waits) {
        super(db);
        this.waits = waits;
    }

    @Override
    void register(CommandRegistry r) {
        registry = r;
        r.register("blpop", (argv, ctx, out) -> bpop(argv, ctx, out, WaitTable.Kind.LIST));
        r.register("brpop", (argv, ctx, out) -> bpop(argv, ctx, out, WaitTable.Kind.LIST));
        r.register("bzpopmin", (argv, ctx, out) -> bpop(argv, ctx, out, WaitTable.Kind.ZSET));
        r.register("bzpopmax", (argv, ctx, out) -> bpop(argv, ctx, out, WaitTable.Kind.ZSET));
        r.register("blmove", this::blmove);
        r.register("brpoplpush", this::brpoplpush);
        r.register("blmpop", (argv, ctx, out) -> bmpop(argv, ctx, out, WaitTable.Kind.LIST));
        r.register("bzmpop", (argv, ctx, out) -> bmpop(argv, ctx, out, WaitTable.Kind.ZSET));
        r.register(InternalCommandSpecs.AWAIT, this::await);
        r.register(InternalCommandSpecs.UNBLOCK, this::unblock);
        r.register(InternalCommandSpecs.CLAIM, this::claim);
        r.register(InternalCommandSpecs.RENEW, this::renew);
    }

    /* BLPOP key [key ...] timeout      BRPOP key [key ...] timeout
     * BZPOPMIN key [key ...] timeout   BZPOPMAX key [key ...] timeout
     * The timeout is checked first; then the first key holding a value pops (a key of another
     * type is WRONGTYPE, even when a later key has data). */
    private void bpop(List<byte[]> argv, ExecContext ctx, RespWriter out, WaitTable.Kind kind) {
        long timeoutMs = BlockingTimeout.parse(argv.get(argv.size() - 1), ctx.nowMs(), out);
        if (timeoutMs < 0) {
            return;
        }
        popFirstOrBlock(argv, argv.subList(1, argv.size() - 1), kind, timeoutMs, ctx, out);
    }

    /* BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
     * Directions first (syntax error), then the timeout; an absent source blocks whatever the
     * destination holds (LMOVE's checks run when it is served). */
    private void blmove(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!isEnd(argv.get(3)) || !isEnd(argv.get(4))) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        long timeoutMs = BlockingTimeout.parse(argv.get(5), ctx.nowMs(), out);
        if (timeoutMs >= 0) {
            popFirstOrBlock(argv, argv.subList(1, 2), WaitTable.Kind.LIST, timeoutMs, ctx, out);
        }
    }

    /* BRPOPLPUSH source destination timeout   (BLMOVE source destination RIGHT LEFT timeout) */
    private void brpoplpush(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long timeoutMs = BlockingTimeout.parse(argv.get(3), ctx.nowMs(), out);
        if (timeoutMs >= 0) {
            popFirstOrBlock(argv, argv.subList(1, 2), WaitTable.Kind.LIST, timeoutMs, ctx, out);
        }
    }

    /* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
     * BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
     * Redis 7.0 checks BLMPOP's timeout before the rest, and BZMPOP's after the rest. */
    private void bmpop(List<byte[]> argv, ExecContext ctx, RespWriter out, WaitTable.Kind kind) {
        long timeoutMs = 0;
        if (kind == WaitTable.Kind.LIST && (timeoutMs = BlockingTimeout.parse(argv.get(1), ctx.nowMs(), out)) < 0) {
            return;
        }
        int whereIdx = mpopWhereIndex(argv, out);
        if (whereIdx < 0) {
            return;
        }
        boolean whereOk = kind == WaitTable.Kind.LIST ? isEnd(argv.get(whereIdx))
                : Args.is(argv.get(whereIdx), "min") || Args.is(argv.get(whereIdx), "max");
        if (!whereOk) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        if (parseMpopCount(argv, whereIdx + 1, out) < 0) {
            return;
        }
        if (kind == WaitTable.Kind.ZSET && (timeoutMs = BlockingTimeout.parse(argv.get(1), ctx.nowMs(), out)) < 0) {
            return;
        }
        popFirstOrBlock(argv, argv.subList(3, whereIdx), kind, timeoutMs, ctx, out);
    }

    /** Index of LEFT|RIGHT / MIN|MAX after "timeout numkeys key...", or -1 after an error reply. */
    private int mpopWhereIndex(List<byte[]> argv, RespWriter out) {
        if (!RedisIntegers.string2ll(argv.get(2), parsed) || parsed[0] < 1) {
            out.error(ListCommands.NUMKEYS_NOT_POSITIVE);
            return -1;
        }
        if (parsed[0] >= argv.size() - 3) {
            out.error(ErrorReplies.SYNTAX);
            return -1;
        }
        return 3 + (int) parsed[0];
    }

    private static boolean isEnd(byte[] arg) {
        return Args.is(arg, "left") || Args.is(arg, "right");
    }

    /** Pops from the first key holding a value, or records a waiter on all of them. */
    private void popFirstOrBlock(List<byte[]> argv, List<byte[]> keys, WaitTable.Kind kind, long timeoutMs,
                                 ExecContext ctx, RespWriter out) {
        for (byte[] key : keys) {
            Entry e = db.lookup(key, ctx);
            if (e == null) {
                continue;
            }
            if (!holds(e, kind)) {
                out.error(ErrorReplies.WRONGTYPE);
                return;
            }
            serve(argv, key, ctx, out);
            return;
        }
        long token = ctx.entryIndex() * POSITIONS_MAX + ctx.position();
        long now = ctx.nowMs();
        waits.add(new WaitTable.Waiter(token, kind, argv, List.copyOf(keys), timeoutMs == 0 ? 0 : now + timeoutMs,
            now + LEASE_MS));
        out.error(InternalCommandSpecs.BLOCKED_PREFIX + token + " " + timeoutMs);
    }

    private static boolean holds(Entry e, WaitTable.Kind kind) {
        return kind == WaitTable.Kind.LIST ? e.value instanceof ListValue : e.value instanceof ZSet;
    }

    /**
     * Runs a blocking command's non-blocking form on {@code key}, which holds a value of its kind,
     * writing the reply the blocked client gets.
     */
    private void serve(List<byte[]> argv, byte[] key, ExecContext ctx, RespWriter out) {
        String name = new String(argv.get(0), StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        switch (name) {
            case "blpop", "brpop" -> {
                out.array(2).bulk(key);
                run(name.substring(1), List.of(argv.get(0), key), ctx, out);
            }
            case "bzpopmin", "bzpopmax" -> {
                // ZPOPMIN key writes [member, score]; BZPOPMIN adds the key in front
                RespWriter pair = new RespWriter(64);
                run(name.substring(1), List.of(argv.get(0), key), ctx, pair);
                out.array(3).bulk(key);
                out.raw(java.util.Arrays.copyOfRange(pair.buffer(), 4, pair.size())); // drop "*2\r\n"
            }
            case "blmove" -> run("lmove", List.of(argv.get(0), argv.get(1), argv.get(2), argv.get(3), argv.get(4)), ctx, out);
            case "brpoplpush" -> run("rpoplpush", List.of(argv.get(0), argv.get(1), argv.get(2)), ctx, out);
            case "blmpop", "bzmpop" -> {
                int whereIdx = 3 + (int) Long.parseLong(new String(argv.get(2), StandardCharsets.US_ASCII));
                List<byte[]> form = new ArrayList<>();
                form.add(argv.get(0));
                form.add(ONE_KEY);
                form.add(key);
                form.addAll(argv.subList(whereIdx, argv.size()));
                run(name.substring(1), form, ctx, out);
            }
            default -> throw new IllegalStateException("not a blocking command: " + name);
        }
    }

    private static final byte[] ONE_KEY = {'1'};

    private void run(String command, List<byte[]> argv, ExecContext ctx, RespWriter out) {
        registry.lookup(command.getBytes(StandardCharsets.US_ASCII)).handler.handle(argv, ctx, out);
    }

    /**
     * After a write command: serves the waiters of every key that got a value, oldest waiter
     * first, until the key is empty; a served BLMOVE may make its destination ready in turn. Then
     * sweeps expired waiters and replies (by engine time, so every replica does the same).
     */
    void serveReady(ExecContext ctx) {
        for (byte[] key = waits.pollReady(); key != null; key = waits.pollReady()) {
            for (WaitTable.Waiter w : waits.waitersOn(key)) {
                if (w.expired(ctx.nowMs())) {
                    waits.remove(w); // its gateway is gone or its time is up: never serve it
                    continue;
                }
                Entry e = db.lookup(key, ctx);
                if (e == null) {
                    break;
                }
                if (!holds(e, w.kind)) {
                    continue; // a list does not serve BZPOPMIN; it stays blocked, as in Redis 7.0
                }
                RespWriter reply = new RespWriter(64);
                serve(w.argv, key, ctx, reply);
                waits.served(w, reply.toByteArray(), ctx.nowMs() + SERVED_TTL_MS);
            }
        }
        waits.sweep(ctx.nowMs());
    }

    // ---- internal commands -----------------------------------------------------------------

    /** Parses the token argument; replies an error and returns -1 when it is not one. */
    private long token(List<byte[]> argv, RespWriter out) {
        if (!RedisIntegers.string2ll(argv.get(2), parsed) || parsed[0] < 0) {
            out.error("ERR invalid token");
            return -1;
        }
        return parsed[0];
    }

    /* basalt.await key token   (a read; the state machine re-runs it when the table changes) */
    private void await(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long token = token(argv, out);
        if (token < 0) {
            return;
        }
        WaitTable.Served s = waits.servedReply(token);
        if (s != null && ctx.nowMs() <= s.expiresMs()) {
            out.raw(s.reply());
            return;
        }
        WaitTable.Waiter w = waits.waiter(token);
        out.error(w != null && !w.expired(ctx.nowMs()) ? InternalCommandSpecs.WAIT_REPLY : InternalCommandSpecs.GONE_REPLY);
    }

    /* basalt.unblock key token
     * The served reply if there is one (kept: only CLAIM forgets it, so a retried UNBLOCK whose
     * first reply was lost still gets it); otherwise the waiter goes and the reply is Redis's
     * timeout reply, a null array. */
    private void unblock(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long token = token(argv, out);
        if (token < 0) {
            return;
        }
        WaitTable.Served s = waits.servedReply(token);
        if (s != null && ctx.nowMs() <= s.expiresMs()) {
            out.raw(s.reply());
            return;
        }
        WaitTable.Waiter w = waits.waiter(token);
        if (w != null) {
            waits.remove(w);
        }
        out.nullArray();
    }

    /* basalt.claim key token */
    private void claim(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long token = token(argv, out);
        if (token >= 0) {
            out.integer(waits.claim(token) ? 1 : 0);
        }
    }

    /* basalt.renew key token */
    private void renew(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long token = token(argv, out);
        if (token < 0) {
            return;
        }
        WaitTable.Waiter w = waits.waiter(token);
        if (w == null || w.expired(ctx.nowMs())) {
            out.integer(0);
            return;
        }
        w.leaseMs = ctx.nowMs() + LEASE_MS;
        out.integer(1);
    }
}
