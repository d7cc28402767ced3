package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisGlob;
import io.basalt.router.text.RedisIntegers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Set commands (Redis's t_set.c), Redis 7.0.15's replies. Values are {@link SetValue}s; a set
 * that becomes empty is deleted. SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count reply
 * with RESP3's set type as Redis 7 does; SRANDMEMBER with a count replies an array. Random
 * choices come only from {@link ExecContext#randomSeed()}.
 */
final class SetCommands extends CommandFamily {

    static final String SPOP_COUNT_RANGE = "ERR value is out of range, must be positive";
    /**
     * The most members SRANDMEMBER returns with a negative count: its reply is built in one
     * buffer on every replica, so an unbounded one (-9223372036854775807) would exhaust memory.
     */
    static final long SRANDMEMBER_REPEATS_MAX = 1L << 20;
    static final String SRANDMEMBER_COUNT_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    static final String NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
    static final String NUMKEYS_TOO_MANY = "ERR Number of keys can't be greater than number of args";
    static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    /** Result of {@link #setOrReply}: the lookup found a non-set value and replied WRONGTYPE. */
    private boolean wrongType;

    SetCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("sadd", this::sadd);
        r.register("srem", this::srem);
        r.register("smembers", (argv, ctx, out) -> sinter(argv, 1, argv.size(), null, ctx, out));
        r.register("sismember", this::sismember);
        r.register("smismember", this::smismember);
        r.register("scard", this::scard);
        r.register("spop", this::spop);
        r.register("srandmember", this::srandmember);
        r.register("smove", this::smove);
        r.register("sinter", (argv, ctx, out) -> sinter(argv, 1, argv.size(), null, ctx, out));
        r.register("sinterstore", (argv, ctx, out) -> sinter(argv, 2, argv.size(), argv.get(1), ctx, out));
        r.register("sintercard", this::sintercard);
        r.register("sunion", (argv, ctx, out) -> unionDiff(argv, 1, null, false, ctx, out));
        r.register("sunionstore", (argv, ctx, out) -> unionDiff(argv, 2, argv.get(1), false, ctx, out));
        r.register("sdiff", (argv, ctx, out) -> unionDiff(argv, 1, null, true, ctx, out));
        r.register("sdiffstore", (argv, ctx, out) -> unionDiff(argv, 2, argv.get(1), true, ctx, out));
        r.register("sscan", this::sscan);
    }

    /** The set under an entry; null when absent, or (with {@link #wrongType} set) not a set. */
    private SetValue setOrReply(Entry e, RespWriter out) {
        wrongType = false;
        if (e == null) {
            return null;
        }
        if (ValueType.of(e.value) != ValueType.SET) {
            out.error(ErrorReplies.WRONGTYPE);
            wrongType = true;
            return null;
        }
        return (SetValue) e.value;
    }

    /* SADD key member [member ...] */
    private void sadd(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        SetValue set = setOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (set == null) {
            set = SetValue.createFor(argv.get(2), parsed, db.limits());
            e = db.add(key, hash, set);
        }
        long before = set.memoryBytes();
        long added = 0;
        for (int i = 2; i < argv.size(); i++) {
            if (set.add(argv.get(i), parsed)) {
                added++;
            }
        }
        db.valueResized(e, before);
        out.integer(added);
    }

    /* SREM key member [member ...] */
    private void srem(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        SetValue set = setOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (set == null) {
            out.raw(ZERO);
            return;
        }
        long before = set.memoryBytes();
        long removed = 0;
        for (int i = 2; i < argv.size() && set.size() > 0; i++) {
            if (set.remove(argv.get(i), parsed)) {
                removed++;
            }
        }
        changed(e, set, before);
        out.integer(removed);
    }

    /** Accounts a set changed in place, deleting the key when it became empty. */
    private void changed(Entry e, SetValue set, long bytesBefore) {
        db.valueResized(e, bytesBefore);
        if (set.size() == 0) {
            db.delete(e);
        }
    }

    /* SISMEMBER key member */
    private void sismember(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        SetValue set = setOrReply(db.lookup(argv.get(1), ctx), out);
        if (!wrongType) {
            replyBoolean(out, set != null && set.contains(argv.get(2), parsed));
        }
    }

    /* SMISMEMBER key member [member ...] */
    private void smismember(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        SetValue set = setOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        out.array(argv.size() - 2);
        for (int i = 2; i < argv.size(); i++) {
            replyBoolean(out, set != null && set.contains(argv.get(i), parsed));
        }
    }

    /* SCARD key */
    private void scard(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        SetValue set = setOrReply(db.lookup(argv.get(1), ctx), out);
        if (!wrongType) {
            out.integer(set == null ? 0 : set.size());
        }
    }

    /* SPOP key [count]
     * Without count: one random member or null. With count: a set of min(count, SCARD) distinct
     * random members, all removed; the key goes when it empties. */
    private void spop(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() > 3) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        boolean withCount = argv.size() == 3;
        long count = 1;
        if (withCount) {
            if (!RedisIntegers.string2ll(argv.get(2), parsed) || parsed[0] < 0) {
                out.error(SPOP_COUNT_RANGE);
                return;
            }
            count = parsed[0];
        }
        Entry e = db.lookup(argv.get(1), ctx);
        SetValue set = setOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (set == null || count == 0) {
            if (withCount) {
                out.set(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        SplittableRandom rnd = new SplittableRandom(ctx.randomSeed());
        byte[][] chosen = pickDistinct(set, (int) Math.min(count, set.size()), rnd);
        long before = set.memoryBytes();
        for (byte[] m : chosen) {
            set.remove(m, parsed);
        }
        changed(e, set, before);
        if (withCount) {
            out.set(chosen.length);
        }
        for (byte[] m : chosen) {
            out.bulk(m);
        }
    }

    /* SRANDMEMBER key [count]
     * count >= 0: min(count, SCARD) distinct members; count < 0: |count| members, repeats allowed,
     * at most SRANDMEMBER_REPEATS_MAX of them (Redis has no limit), as HRANDFIELD and ZRANDMEMBER. */
    private void srandmember(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() > 3) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        boolean withCount = argv.size() == 3;
        long count = 1;
        if (withCount) {
            if (!parseLong(argv.get(2), out)) {
                return;
            }
            if (parsed[0] == Long.MIN_VALUE) {
                out.error(SRANDMEMBER_COUNT_RANGE);
                return;
            }
            count = parsed[0];
        }
        SetValue set = setOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (set == null || count == 0) {
            if (withCount) {
                out.array(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        SplittableRandom rnd = new SplittableRandom(ctx.randomSeed());
        if (!withCount) {
            out.bulk(set.get(rnd.nextInt(set.size())));
            return;
        }
        if (count < 0) {
            long n = -count;
            if (n > SRANDMEMBER_REPEATS_MAX) {
                out.error(EngineErrors.VALUE_OUT_OF_RANGE);
                return;
            }
            out.array((int) n);
            for (long i = 0; i < n; i++) {
                out.bulk(set.get(rnd.nextInt(set.size())));
            }
            return;
        }
        byte[][] chosen = pickDistinct(set, (int) Math.min(count, set.size()), rnd);
        out.array(chosen.length);
        for (byte[] m : chosen) {
            out.bulk(m);
        }
    }

    /**
     * {@code n} distinct members, 0 < n <= size: the whole set in iteration order when n is the
     * size, otherwise a uniform random choice in the order drawn.
     */
    private static byte[][] pickDistinct(SetValue set, int n, SplittableRandom rnd) {
        int size = set.size();
        byte[][] chosen = new byte[n][];
        if (n == size) {
            for (int i = 0; i < n; i++) {
                chosen[i] = set.get(i);
            }
            return chosen;
        }
        if (n * 3L < size) {
            // Few of many: draw positions, redrawing repeats; O(n) expected, whatever the size.
            // The HashSet only answers "seen?", it is never iterated.
            HashSet<Integer> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int p = rnd.nextInt(size);
                while (!seen.add(p)) {
                    p = rnd.nextInt(size);
                }
                chosen[i] = set.get(p);
            }
            return chosen;
        }
        // Many of few: partial Fisher-Yates over the positions (at most 3n of them).
        int[] pos = new int[size];
        for (int i = 0; i < size; i++) {
            pos[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
            chosen[i] = set.get(pos[i]);
        }
        return chosen;
    }

    /* SMOVE source destination member */
    private void smove(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] src = argv.get(1);
        byte[] dst = argv.get(2);
        byte[] member = argv.get(3);
        Entry from = db.lookup(src, ctx);
        int dstHash = db.hash(dst);
        Entry to = db.lookup(dst, dstHash, ctx);
        if (from == null) {
            out.raw(ZERO);
            return;
        }
        SetValue srcSet = setOrReply(from, out);
        if (wrongType) {
            return;
        }
        SetValue dstSet = setOrReply(to, out);
        if (wrongType) {
            return;
        }
        if (srcSet == dstSet) {
            replyBoolean(out, srcSet.contains(member, parsed));
            return;
        }
        long before = srcSet.memoryBytes();
        if (!srcSet.remove(member, parsed)) {
            out.raw(ZERO);
            return;
        }
        changed(from, srcSet, before);
        if (dstSet == null) {
            dstSet = SetValue.createFor(member, parsed, db.limits());
            to = db.add(dst, dstHash, dstSet);
        }
        before = dstSet.memoryBytes();
        dstSet.add(member, parsed);
        db.valueResized(to, before);
        out.raw(ONE);
    }

    /**
     * Looks up keys argv[from, to) as sets into {@code sets} (null for a missing key); false when
     * one is not a set (WRONGTYPE replied). Every key is type-checked, as Redis 7.0 does.
     */
    private boolean lookupSets(List<byte[]> argv, int from, int to, ExecContext ctx, RespWriter out,
            List<SetValue> sets) {
        for (int i = from; i < to; i++) {
            SetValue s = setOrReply(db.lookup(argv.get(i), ctx), out);
            if (wrongType) {
                return false;
            }
            sets.add(s);
        }
        return true;
    }

    /* SMEMBERS key
     * SINTER key [key ...]
     * SINTERSTORE destination key [key ...]
     * Members of the smallest set present in every other, in the smallest set's order. */
    private void sinter(List<byte[]> argv, int from, int to, byte[] dstKey, ExecContext ctx, RespWriter out) {
        List<SetValue> sets = new ArrayList<>(to - from);
        if (!lookupSets(argv, from, to, ctx, out, sets)) {
            return;
        }
        List<byte[]> result = sets.contains(null) ? List.of() : intersect(sets, 0);
        if (dstKey == null) {
            out.set(result.size());
            for (byte[] m : result) {
                out.bulk(m);
            }
            return;
        }
        store(dstKey, result, ctx, out);
    }

    /** The intersection of non-null sets, stopping at {@code limit} members (0: no limit). */
    private List<byte[]> intersect(List<SetValue> sets, long limit) {
        List<SetValue> sorted = new ArrayList<>(sets);
        sorted.sort((a, b) -> Integer.compare(a.size(), b.size())); // stable: ties keep key order
        SetValue smallest = sorted.get(0);
        List<byte[]> result = new ArrayList<>();
        for (int i = 0; i < smallest.size(); i++) {
            byte[] m = smallest.get(i);
            boolean inAll = true;
            for (int j = 1; j < sorted.size() && inAll; j++) {
                inAll = sorted.get(j) == smallest || sorted.get(j).contains(m, parsed);
            }
            if (inAll) {
                result.add(m);
                if (limit != 0 && result.size() >= limit) {
                    break;
                }
            }
        }
        return result;
    }

    /* SINTERCARD numkeys key [key ...] [LIMIT limit] */
    private void sintercard(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!RedisIntegers.string2ll(argv.get(1), parsed) || parsed[0] <= 0) {
            out.error(NUMKEYS_NOT_POSITIVE);
            return;
        }
        if (parsed[0] > argv.size() - 2) {
            out.error(NUMKEYS_TOO_MANY);
            return;
        }
        int numKeys = (int) parsed[0];
        long limit = 0;
        for (int i = 2 + numKeys; i < argv.size(); i++) {
            if (Args.is(argv.get(i), "limit") && i + 1 < argv.size()) {
                if (!RedisIntegers.string2ll(argv.get(++i), parsed) || parsed[0] < 0) {
                    out.error(LIMIT_NEGATIVE);
                    return;
                }
                limit = parsed[0];
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        List<SetValue> sets = new ArrayList<>(numKeys);
        if (!lookupSets(argv, 2, 2 + numKeys, ctx, out, sets)) {
            return;
        }
        out.integer(sets.contains(null) ? 0 : intersect(sets, limit).size());
    }

    /* SUNION key [key ...]
     * SUNIONSTORE destination key [key ...]
     * SDIFF key [key ...]
     * SDIFFSTORE destination key [key ...]
     * The result is built as a new set (an intset while it can be) and replied in its order. */
    private void unionDiff(List<byte[]> argv, int from, byte[] dstKey, boolean diff, ExecContext ctx,
            RespWriter out) {
        List<SetValue> sets = new ArrayList<>(argv.size() - from);
        if (!lookupSets(argv, from, argv.size(), ctx, out, sets)) {
            return;
        }
        SetValue result = new SetValue(db.limits());
        if (!diff) {
            for (SetValue s : sets) {
                for (int i = 0; s != null && i < s.size(); i++) {
                    result.add(s.get(i), parsed);
                }
            }
        } else if (sets.get(0) != null) {
            SetValue first = sets.get(0);
            for (int i = 0; i < first.size(); i++) {
                byte[] m = first.get(i);
                boolean inOther = false;
                for (int j = 1; j < sets.size() && !inOther; j++) {
                    SetValue other = sets.get(j);
                    inOther = other != null && (other == first || other.contains(m, parsed));
                }
                if (!inOther) {
                    result.add(m, parsed);
                }
            }
        }
        if (dstKey == null) {
            out.set(result.size());
            for (int i = 0; i < result.size(); i++) {
                out.bulk(result.get(i));
            }
            return;
        }
        storeSet(dstKey, result, ctx, out);
    }

    /** Stores members as a new set at dstKey (as Redis's createIntsetObject plus setTypeAdd). */
    private void store(byte[] dstKey, List<byte[]> members, ExecContext ctx, RespWriter out) {
        SetValue result = new SetValue(db.limits());
        for (byte[] m : members) {
            result.add(m, parsed);
        }
        storeSet(dstKey, result, ctx, out);
    }

    /** Replaces dstKey with the set (its TTL goes), or deletes it when the set is empty. */
    private void storeSet(byte[] dstKey, SetValue result, ExecContext ctx, RespWriter out) {
        int hash = db.hash(dstKey);
        Entry e = db.lookup(dstKey, hash, ctx);
        if (result.size() == 0) {
            if (e != null) {
                db.delete(e);
            }
            out.raw(ZERO);
            return;
        }
        if (e == null) {
            db.add(dstKey, hash, result);
        } else {
            db.overwrite(e, result, false);
        }
        out.integer(result.size());
    }

    /* SSCAN key cursor [MATCH pattern] [COUNT count]
     * An intset is returned whole with cursor 0, as Redis does for its compact encodings. A
     * hashtable set is walked from its last position down, COUNT members per call; the cursor
     * is how many positions are still to visit. Removal moves the last member into the hole, so
     * an unvisited member never moves into the visited part, and additions land in the visited
     * part: SCAN's guarantee (every member present throughout is returned) holds; members may
     * be returned twice, as with Redis. */
    private void sscan(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!KeyCommands.parseCursor(argv.get(2), parsed)) {
            out.error(EngineErrors.INVALID_CURSOR);
            return;
        }
        long cursor = parsed[0];
        SetValue set = setOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (set == null) {
            replyEmptyScan(out);
            return;
        }
        ScanOptions options = parseScanOptions(argv, 3, false, out);
        if (options == null) {
            return;
        }
        long count = options.count();
        byte[] pattern = options.pattern();
        int end = set.size(); // visit positions [start, end), from the top down
        int start = 0;
        if (!set.isIntset()) {
            if (cursor != 0 && Long.compareUnsigned(cursor, end) < 0) {
                end = (int) cursor;
            }
            start = (int) Math.max(0, end - count);
        }
        List<byte[]> found = new ArrayList<>();
        for (int k = 0; k < end - start; k++) {
            byte[] m = set.get(set.isIntset() ? k : end - 1 - k);
            if (pattern == null || RedisGlob.matches(pattern, m, false)) {
                found.add(m);
            }
        }
        out.array(2);
        out.bulk(Integer.toString(start));
        out.array(found.size());
        for (byte[] m : found) {
            out.bulk(m);
        }
    }
}
