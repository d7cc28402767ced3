package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisGlob;
import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hash commands (Redis's t_hash.c), over {@link Hash}. An emptied hash is deleted. Fields past
 * their expiry time (see {@link HashFieldTtlCommands}) are invisible here: reads ask the hash
 * with the command's time, and a write's lookup has already removed them ({@link Db#lookup}).
 */
final class HashCommands extends CommandFamily {

    /**
     * Largest |count| of HRANDFIELD with a negative count (repeats allowed). Redis has no limit
     * and builds the whole reply; here a single command must not exhaust the node's heap, so a
     * larger count is refused with Redis's range error.
     */
    static final long RANDFIELD_REPEATS_MAX = 1L << 20;

    HashCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("hset", (argv, ctx, out) -> hset(argv, ctx, out, false));
        r.register("hmset", (argv, ctx, out) -> hset(argv, ctx, out, true));
        r.register("hsetnx", this::hsetnx);
        r.register("hget", this::hget);
        r.register("hmget", this::hmget);
        r.register("hdel", this::hdel);
        r.register("hexists", this::hexists);
        r.register("hlen", this::hlen);
        r.register("hstrlen", this::hstrlen);
        r.register("hgetall", (argv, ctx, out) -> hgetall(argv, ctx, out, true, true));
        r.register("hkeys", (argv, ctx, out) -> hgetall(argv, ctx, out, true, false));
        r.register("hvals", (argv, ctx, out) -> hgetall(argv, ctx, out, false, true));
        r.register("hincrby", this::hincrby);
        r.register("hincrbyfloat", this::hincrbyfloat);
        r.register("hscan", this::hscan);
        r.register("hrandfield", this::hrandfield);
    }

    /** The hash at the entry (already type-checked), or null for an absent key. */
    private static Hash hashOf(Entry e) {
        return e == null ? null : (Hash) e.value;
    }

    /** The hash under key for writing, created (not yet stored) when absent; null after WRONGTYPE. */
    private Entry lookupWrite(byte[] key, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(key, ctx);
        return checkHash(e, out) ? e : null;
    }

    /** Stores a hash built for an absent key, or records the size change of an existing one. */
    private void commit(byte[] key, Entry e, Hash h, long oldBytes) {
        if (e == null) {
            db.add(key, db.hash(key), h);
        } else if (h.size() == 0) {
            db.valueResized(e, oldBytes);
            db.delete(e);
        } else {
            db.valueResized(e, oldBytes);
        }
    }

    /* HSET key field value [field value ...]
     * HMSET key field value [field value ...]
     * HSET replies the number of new fields, HMSET OK. */
    private void hset(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean hmset) {
        if (argv.size() % 2 == 1) {
            out.error(ErrorReplies.wrongArity(hmset ? "hmset" : "hset"));
            return;
        }
        byte[] key = argv.get(1);
        Entry e = db.lookup(key, ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = e == null ? new Hash(db::hash, db.limits()) : hashOf(e);
        long oldBytes = MemoryModel.value(h);
        for (int i = 2; i < argv.size(); i++) {
            h.convertIfLong(argv.get(i));
        }
        long created = 0;
        for (int i = 2; i < argv.size(); i += 2) {
            if (h.set(argv.get(i), argv.get(i + 1))) {
                created++;
            }
        }
        commit(key, e, h, oldBytes);
        if (hmset) {
            out.raw(OK);
        } else {
            out.integer(created);
        }
    }

    /* HSETNX key field value
     * An existing field leaves the hash as it is, encoding included. */
    private void hsetnx(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        Entry e = db.lookup(key, ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = e == null ? new Hash(db::hash, db.limits()) : hashOf(e);
        long oldBytes = MemoryModel.value(h);
        boolean set = h.get(argv.get(2)) == null;
        if (set) {
            h.set(argv.get(2), argv.get(3));
        }
        commit(key, e, h, oldBytes);
        replyBoolean(out, set);
    }

    /* HGET key field */
    private void hget(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        byte[] v = e == null ? null : hashOf(e).get(argv.get(2), ctx.nowMs());
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v);
        }
    }

    /* HMGET key field [field ...] */
    private void hmget(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = hashOf(e);
        out.array(argv.size() - 2);
        for (int i = 2; i < argv.size(); i++) {
            byte[] v = h == null ? null : h.get(argv.get(i), ctx.nowMs());
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
    }

    /* HDEL key field [field ...] */
    private void hdel(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        if (e == null) {
            out.raw(ZERO);
            return;
        }
        Hash h = hashOf(e);
        long oldBytes = MemoryModel.value(h);
        long deleted = 0;
        for (int i = 2; i < argv.size() && h.size() > 0; i++) {
            if (h.remove(argv.get(i))) {
                deleted++;
            }
        }
        commit(argv.get(1), e, h, oldBytes);
        out.integer(deleted);
    }

    /* HEXISTS key field */
    private void hexists(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (checkHash(e, out)) {
            replyBoolean(out, e != null && hashOf(e).get(argv.get(2), ctx.nowMs()) != null);
        }
    }

    /* HLEN key */
    private void hlen(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (checkHash(e, out)) {
            out.integer(e == null ? 0 : hashOf(e).liveSize(ctx.nowMs()));
        }
    }

    /* HSTRLEN key field */
    private void hstrlen(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        byte[] v = e == null ? null : hashOf(e).get(argv.get(2), ctx.nowMs());
        out.integer(v == null ? 0 : v.length);
    }

    /* HGETALL key   (a map in RESP3)
     * HKEYS key
     * HVALS key */
    private void hgetall(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean keys, boolean values) {
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = hashOf(e);
        int n = h == null ? 0 : (int) h.liveSize(ctx.nowMs());
        if (keys && values) {
            out.map(n);
        } else {
            out.array(n);
        }
        if (h != null) {
            h.forEachLive(ctx.nowMs(), (f, v) -> {
                if (keys) {
                    out.bulk(f);
                }
                if (values) {
                    out.bulk(v);
                }
            });
        }
    }

    /* HINCRBY key field increment */
    private void hincrby(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(3), out)) {
            return;
        }
        long incr = parsed[0];
        byte[] key = argv.get(1);
        Entry e = db.lookup(key, ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = e == null ? new Hash(db::hash, db.limits()) : hashOf(e);
        byte[] old = h.get(argv.get(2));
        long value = 0;
        if (old != null) {
            if (!RedisIntegers.string2ll(old, parsed)) {
                out.error(EngineErrors.HASH_NOT_INTEGER);
                return;
            }
            value = parsed[0];
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            out.error(ErrorReplies.OVERFLOW);
            return;
        }
        value += incr;
        long oldBytes = MemoryModel.value(h);
        h.setKeepTtl(argv.get(2), Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        commit(key, e, h, oldBytes);
        out.integer(value);
    }

    /* HINCRBYFLOAT key field increment
     * long double arithmetic, printed as INCRBYFLOAT prints it. */
    private void hincrbyfloat(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] incrArg = argv.get(3);
        LongDouble incr = LongDouble.parse(incrArg, incrArg.length);
        if (incr == null) {
            out.error(ErrorReplies.NOT_FLOAT);
            return;
        }
        if (!incr.isFinite()) {
            out.error(EngineErrors.VALUE_NAN_OR_INFINITY);
            return;
        }
        byte[] key = argv.get(1);
        Entry e = db.lookup(key, ctx);
        if (!checkHash(e, out)) {
            return;
        }
        Hash h = e == null ? new Hash(db::hash, db.limits()) : hashOf(e);
        byte[] old = h.get(argv.get(2));
        LongDouble value = LongDouble.of(0);
        if (old != null) {
            value = LongDouble.parse(old, old.length);
            if (value == null) {
                out.error(EngineErrors.HASH_NOT_FLOAT);
                return;
            }
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            out.error(ErrorReplies.NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        long oldBytes = MemoryModel.value(h);
        h.setKeepTtl(argv.get(2), text);
        commit(key, e, h, oldBytes);
        out.bulk(text);
    }

    /* HSCAN key cursor [MATCH pattern] [COUNT count]
     * A listpack is returned whole with cursor 0, as Redis does; a hashtable is scanned like the
     * keyspace (at most 10 × COUNT buckets, COUNT counting fields and values). */
    private void hscan(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseCursor(argv.get(2))) {
            out.error(EngineErrors.INVALID_CURSOR);
            return;
        }
        long cursor = parsedCursor;
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        if (e == null) {
            replyEmptyScan(out);
            return;
        }
        ScanOptions options = parseScanOptions(argv, 3, false, out);
        if (options == null) {
            return;
        }
        long count = options.count();
        byte[] pattern = options.pattern();
        List<byte[]> found = new ArrayList<>();
        Hash h = hashOf(e);
        long now = ctx.nowMs();
        if (h.isListpack()) {
            h.forEachLive(now, (f, v) -> {
                found.add(f);
                found.add(v);
            });
            cursor = 0;
        } else {
            long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
            do {
                cursor = h.scan(cursor, (f, v) -> {
                    if (!h.isExpired(f, now)) {
                        found.add(f);
                        found.add(v);
                    }
                });
            } while (cursor != 0 && maxIterations-- != 0 && found.size() < count);
        }
        List<byte[]> kept = found;
        if (pattern != null) {
            kept = new ArrayList<>(found.size());
            for (int i = 0; i < found.size(); i += 2) {
                if (RedisGlob.matches(pattern, found.get(i), false)) {
                    kept.add(found.get(i));
                    kept.add(found.get(i + 1));
                }
            }
        }
        out.array(2);
        out.bulk(Long.toUnsignedString(cursor));
        out.array(kept.size());
        for (byte[] b : kept) {
            out.bulk(b);
        }
    }

    /* HRANDFIELD key [count [WITHVALUES]]
     * Randomness from the command's place in the log. A negative count allows repeats; with
     * WITHVALUES each field and value come as a pair (a 2-element array: the RESP3 form; a RESP2
     * client gets them flattened by the gateway). */
    private void hrandfield(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() == 2) {
            Entry e = db.lookup(argv.get(1), ctx);
            if (!checkHash(e, out)) {
                return;
            }
            if (e == null) {
                out.nullBulk();
                return;
            }
            out.bulk(hashOf(e).random(new SplittableRandom(ctx.randomSeed()), ctx.nowMs()).key);
            return;
        }
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long l = parsed[0];
        if (l == Long.MIN_VALUE) {
            out.error(EngineErrors.rangeError(-Long.MAX_VALUE, Long.MAX_VALUE));
            return;
        }
        boolean withValues = false;
        if (argv.size() > 4 || (argv.size() == 4 && !Args.is(argv.get(3), "withvalues"))) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        if (argv.size() == 4) {
            withValues = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                out.error(EngineErrors.VALUE_OUT_OF_RANGE);
                return;
            }
        }
        Entry e = db.lookup(argv.get(1), ctx);
        if (!checkHash(e, out)) {
            return;
        }
        if (e == null || l == 0) {
            out.array(0);
            return;
        }
        Hash h = hashOf(e);
        SplittableRandom rnd = new SplittableRandom(ctx.randomSeed());
        if (l < 0 || l == 1) {
            long count = l < 0 ? -l : 1;
            if (count > RANDFIELD_REPEATS_MAX) {
                out.error(EngineErrors.VALUE_OUT_OF_RANGE);
                return;
            }
            header(out, (int) count, withValues);
            for (long i = 0; i < count; i++) {
                writeField(out, h.random(rnd, ctx.nowMs()), withValues);
            }
            return;
        }
        Entry[] all = h.entries(ctx.nowMs());
        int n = (int) Math.min(l, all.length);
        if (n < all.length) { // a partial Fisher-Yates shuffle picks n distinct fields
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(all.length - i);
                Entry t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
        }
        header(out, n, withValues);
        for (int i = 0; i < n; i++) {
            writeField(out, all[i], withValues);
        }
    }

    /** WITHVALUES replies [field, value] pairs in RESP3 and a flat list in RESP2, as Redis 7. */
    private static void header(RespWriter out, int count, boolean withValues) {
        if (withValues) {
            out.pairs(count);
        } else {
            out.array(count);
        }
    }

    private static void writeField(RespWriter out, Entry field, boolean withValues) {
        out.bulk(field.key);
        if (withValues) {
            out.bulk((byte[]) field.value);
        }
    }
}
