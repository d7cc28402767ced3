package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.util.List;

/**
 * The sorted set commands (Redis's t_zset.c) over {@link ZSet}. ZRANGE and its older forms share
 * {@link #zrangeGeneric}; ZPOPMIN/ZPOPMAX share {@link #zpop}; the ZREMRANGEBY* share
 * {@link #zremrange}.
 *
 * <p>Replies with scores use RESP3 doubles. Where Redis 7.0 nests [member, score] pairs for RESP3
 * clients only (ZRANGE ... WITHSCORES, ZPOPMIN/ZPOPMAX with a count, ZRANDMEMBER ... WITHSCORES)
 * they are written with {@link RespWriter#pairs}, which the gateway flattens for RESP2; ZMPOP nests
 * them in both protocols, as Redis does. The set algebra (ZUNION, ZINTER, ZDIFF, their STORE
 * forms, ZINTERCARD) is in {@link SortedSetOpCommands}; walking and sampling (ZSCAN,
 * ZRANDMEMBER) in {@link SortedSetSampleCommands}.
 */
final class SortedSetCommands extends ZSetFamily {

    static final String XX_NX = "ERR XX and NX options at the same time are not compatible";
    static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    static final String INCR_PAIRS = "ERR INCR option supports a single increment-element pair";
    static final String NAN_SCORE = "ERR resulting score is not a number (NaN)";
    static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
    static final String LIMIT_RANK = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    static final String WITHSCORES_LEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    private static final int RANK = 0;
    private static final int SCORE = 1;
    private static final int LEX = 2;

    private final StrtoD strtod = new StrtoD();

    SortedSetCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("zadd", (argv, ctx, out) -> zadd(argv, ctx, out, false));
        r.register("zincrby", (argv, ctx, out) -> zadd(argv, ctx, out, true));
        r.register("zscore", this::zscore);
        r.register("zmscore", this::zmscore);
        r.register("zcard", this::zcard);
        r.register("zrem", this::zrem);
        r.register("zrank", (argv, ctx, out) -> zrank(argv, ctx, out, false));
        r.register("zrevrank", (argv, ctx, out) -> zrank(argv, ctx, out, true));
        r.register("zcount", (argv, ctx, out) -> zcount(argv, ctx, out, SCORE));
        r.register("zlexcount", (argv, ctx, out) -> zcount(argv, ctx, out, LEX));
        r.register("zrange", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, -1, false, null));
        r.register("zrangestore", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, -1, false, argv.get(1)));
        r.register("zrevrange", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, RANK, true, null));
        r.register("zrangebyscore", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, SCORE, false, null));
        r.register("zrevrangebyscore", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, SCORE, true, null));
        r.register("zrangebylex", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, LEX, false, null));
        r.register("zrevrangebylex", (argv, ctx, out) -> zrangeGeneric(argv, ctx, out, LEX, true, null));
        r.register("zpopmin", (argv, ctx, out) -> zpop(argv, ctx, out, false));
        r.register("zpopmax", (argv, ctx, out) -> zpop(argv, ctx, out, true));
        r.register("zremrangebyrank", (argv, ctx, out) -> zremrange(argv, ctx, out, RANK));
        r.register("zremrangebyscore", (argv, ctx, out) -> zremrange(argv, ctx, out, SCORE));
        r.register("zremrangebylex", (argv, ctx, out) -> zremrange(argv, ctx, out, LEX));
        r.register("zmpop", this::zmpop);
    }

    /* ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
     * ZINCRBY key increment member */
    private void zadd(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean zincrby) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = zincrby;
        int scoreIdx = 2;
        if (!zincrby) {
            for (; scoreIdx < argv.size(); scoreIdx++) {
                byte[] o = argv.get(scoreIdx);
                if (Args.is(o, "nx")) {
                    nx = true;
                } else if (Args.is(o, "xx")) {
                    xx = true;
                } else if (Args.is(o, "ch")) {
                    ch = true;
                } else if (Args.is(o, "incr")) {
                    incr = true;
                } else if (Args.is(o, "gt")) {
                    gt = true;
                } else if (Args.is(o, "lt")) {
                    lt = true;
                } else {
                    break;
                }
            }
        }
        int elements = argv.size() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        elements /= 2;
        if (nx && xx) {
            out.error(XX_NX);
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            out.error(GT_LT_NX);
            return;
        }
        if (incr && elements > 1) {
            out.error(INCR_PAIRS);
            return;
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            if (!strtod.parseScore(argv.get(scoreIdx + 2 * j))) {
                out.error(ErrorReplies.NOT_FLOAT);
                return;
            }
            scores[j] = strtod.value + 0.0; // -0 is stored as 0, as Redis 7.0 replies it
        }
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        ZSet z = lookup(e, out);
        if (wrongType) {
            return;
        }
        if (z == null && xx) {
            replyAdd(out, incr, false, 0, 0);
            return;
        }
        if (z == null) {
            z = new ZSet(db.limits());
            e = db.add(key, hash, z);
        }
        long oldBytes = z.memoryBytes();
        long added = 0, updated = 0;
        boolean processed = false;
        double last = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = argv.get(scoreIdx + 2 * j + 1);
            double score = scores[j];
            Double cur = z.score(member);
            if (cur != null) {
                if (nx) {
                    continue;
                }
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        db.valueResized(e, oldBytes);
                        out.error(NAN_SCORE);
                        return;
                    }
                }
                if ((lt && score >= cur) || (gt && score <= cur)) {
                    continue;
                }
                last = score;
                processed = true;
                if (score != cur) {
                    z.update(member, cur, score);
                    updated++;
                }
            } else {
                if (xx) {
                    continue;
                }
                z.insert(member, score);
                last = score;
                processed = true;
                added++;
            }
        }
        db.valueResized(e, oldBytes);
        if (z.size == 0) {
            db.delete(e);
        }
        replyAdd(out, incr, processed, last, ch ? added + updated : added);
    }

    private static void replyAdd(RespWriter out, boolean incr, boolean processed, double score, long count) {
        if (!incr) {
            out.integer(count);
        } else if (processed) {
            out.dbl(score);
        } else {
            out.nullBulk();
        }
    }

    /* ZSCORE key member */
    private void zscore(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        Double s = z == null ? null : z.score(argv.get(2));
        if (s == null) {
            out.nullBulk();
        } else {
            out.dbl(s);
        }
    }

    /* ZMSCORE key member [member ...] */
    private void zmscore(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        out.array(argv.size() - 2);
        for (int i = 2; i < argv.size(); i++) {
            Double s = z == null ? null : z.score(argv.get(i));
            if (s == null) {
                out.nullBulk();
            } else {
                out.dbl(s);
            }
        }
    }

    /* ZCARD key */
    private void zcard(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (!wrongType) {
            out.integer(z == null ? 0 : z.size);
        }
    }

    /* ZREM key member [member ...] */
    private void zrem(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        ZSet z = lookup(e, out);
        if (wrongType) {
            return;
        }
        if (z == null) {
            out.raw(ZERO);
            return;
        }
        long oldBytes = z.memoryBytes();
        long removed = 0;
        for (int i = 2; i < argv.size() && z.size > 0; i++) {
            Double s = z.score(argv.get(i));
            if (s != null) {
                z.remove(argv.get(i), s);
                removed++;
            }
        }
        finishRemoval(e, z, oldBytes);
        out.integer(removed);
    }

    private void finishRemoval(Entry e, ZSet z, long oldBytes) {
        db.valueResized(e, oldBytes); // first, so that delete subtracts what the value costs now
        if (z.size == 0) {
            db.delete(e);
        }
    }

    /* ZRANK key member
     * ZREVRANK key member */
    private void zrank(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean rev) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        Double s = z == null ? null : z.score(argv.get(2));
        if (s == null) {
            out.nullBulk();
            return;
        }
        int rank = z.search(s, argv.get(2));
        out.integer(rev ? z.size - 1 - rank : rank);
    }

    /** A parsed score or lex range: ranks [first, last] once resolved against a set. */
    private double minScore, maxScore;
    private boolean minEx, maxEx;
    private ZSet.LexBound minLex, maxLex;

    private boolean parseScoreRange(byte[] min, byte[] max) {
        return parseScoreBound(min, true) && parseScoreBound(max, false);
    }

    private boolean parseScoreBound(byte[] b, boolean isMin) {
        boolean ex = b.length > 0 && b[0] == '(';
        if (!strtod.parseBound(b, ex ? 1 : 0)) {
            return false;
        }
        if (isMin) {
            minScore = strtod.value;
            minEx = ex;
        } else {
            maxScore = strtod.value;
            maxEx = ex;
        }
        return true;
    }

    private boolean parseLexRange(byte[] min, byte[] max) {
        minLex = ZSet.LexBound.parse(min);
        maxLex = ZSet.LexBound.parse(max);
        return minLex != null && maxLex != null;
    }

    /** First rank in the parsed range; {@link #last} the last (first > last when empty). */
    private int first, last;

    private void resolve(ZSet z, int type) {
        if (type == SCORE) {
            first = z.firstInScore(minScore, minEx);
            last = z.lastInScore(maxScore, maxEx);
        } else {
            first = z.firstInLex(minLex);
            last = z.lastInLex(maxLex);
        }
    }

    /* ZCOUNT key min max
     * ZLEXCOUNT key min max */
    private void zcount(List<byte[]> argv, ExecContext ctx, RespWriter out, int type) {
        if (type == SCORE ? !parseScoreRange(argv.get(2), argv.get(3)) : !parseLexRange(argv.get(2), argv.get(3))) {
            out.error(type == SCORE ? NOT_FLOAT_RANGE : NOT_LEX_RANGE);
            return;
        }
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (z == null) {
            out.raw(ZERO);
            return;
        }
        resolve(z, type);
        out.integer(Math.max(0, last - first + 1));
    }

    /* ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
     * ZREVRANGE key start stop [WITHSCORES]
     * ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
     * ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
     * ZRANGEBYLEX key min max [LIMIT offset count]
     * ZREVRANGEBYLEX key max min [LIMIT offset count]
     * ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
     * Redis's zrangeGenericCommand: type -1 and rev false mean "as the options say" (ZRANGE);
     * a non-null dst stores the range there (replacing any value) and replies its size. */
    private void zrangeGeneric(List<byte[]> argv, ExecContext ctx, RespWriter out, int forcedType, boolean forcedRev,
            byte[] dst) {
        int b = dst == null ? 0 : 1; // the store form has its arguments one place later
        boolean auto = forcedType < 0;
        int type = forcedType;
        boolean rev = forcedRev;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = 4 + b; j < argv.size(); j++) {
            byte[] o = argv.get(j);
            int left = argv.size() - j - 1;
            if (dst == null && Args.is(o, "withscores")) {
                withScores = true;
            } else if (Args.is(o, "limit") && left >= 2) {
                if (!parseLong(argv.get(j + 1), out)) {
                    return;
                }
                offset = parsed[0];
                if (!parseLong(argv.get(j + 2), out)) {
                    return;
                }
                limit = parsed[0];
                j += 2;
            } else if (auto && !rev && Args.is(o, "rev")) {
                rev = true;
            } else if (auto && type < 0 && Args.is(o, "bylex")) {
                type = LEX;
            } else if (auto && type < 0 && Args.is(o, "byscore")) {
                type = SCORE;
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        if (type < 0) {
            type = RANK;
        }
        if (limit != -1 && type == RANK) {
            out.error(LIMIT_RANK);
            return;
        }
        if (withScores && type == LEX) {
            out.error(WITHSCORES_LEX);
            return;
        }
        byte[] minArg = argv.get(2 + b);
        byte[] maxArg = argv.get(3 + b);
        if (rev && type != RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0, end = 0;
        if (type == RANK) {
            if (!parseLong(minArg, out)) {
                return;
            }
            start = parsed[0];
            if (!parseLong(maxArg, out)) {
                return;
            }
            end = parsed[0];
        } else if (type == SCORE ? !parseScoreRange(minArg, maxArg) : !parseLexRange(minArg, maxArg)) {
            out.error(type == SCORE ? NOT_FLOAT_RANGE : NOT_LEX_RANGE);
            return;
        }
        ZSet z = lookup(db.lookup(argv.get(1 + b), ctx), out);
        if (wrongType) {
            return;
        }
        if (z == null) {
            emptyRange(dst, ctx, out);
            return;
        }
        int lo, hi; // ranks [lo, hi] in ascending order
        if (type == RANK) {
            long n = z.size;
            if (start < 0) {
                start += n;
            }
            if (end < 0) {
                end += n;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= n) {
                emptyRange(dst, ctx, out);
                return;
            }
            if (end >= n) {
                end = n - 1;
            }
            lo = rev ? (int) (n - 1 - end) : (int) start;
            hi = rev ? (int) (n - 1 - start) : (int) end;
        } else {
            resolve(z, type);
            lo = first;
            hi = last;
            long count = Math.max(0, hi - lo + 1);
            if (offset < 0 || offset >= count) {
                count = 0;
            } else {
                count -= offset;
            }
            if (limit >= 0 && limit < count) {
                count = limit;
            }
            if (count == 0) {
                emptyRange(dst, ctx, out);
                return;
            }
            if (rev) {
                hi -= (int) offset;
                lo = hi - (int) count + 1;
            } else {
                lo += (int) offset;
                hi = lo + (int) count - 1;
            }
        }
        if (dst == null) {
            writeRange(out, z, lo, hi, rev, withScores, true);
            return;
        }
        ZSet result = new ZSet(db.limits());
        for (int i = lo; i <= hi; i++) {
            result.insert(z.members[i], z.scores[i]); // ascending: each insert appends
        }
        store(db, dst, result, ctx, out);
    }

    private void emptyRange(byte[] dst, ExecContext ctx, RespWriter out) {
        if (dst == null) {
            out.array(0);
        } else {
            store(db, dst, new ZSet(db.limits()), ctx, out);
        }
    }

    /** Replaces dst with the zset (its TTL goes) and replies its size; an empty zset deletes dst. */
    static void store(Db db, byte[] dst, ZSet result, ExecContext ctx, RespWriter out) {
        int hash = db.hash(dst);
        Entry e = db.lookup(dst, hash, ctx);
        if (result.size == 0) {
            if (e != null) {
                db.delete(e);
            }
            out.raw(ZERO);
            return;
        }
        if (e == null) {
            db.add(dst, hash, result);
        } else {
            db.overwrite(e, result, false);
        }
        out.integer(result.size);
    }

    /**
     * Ranks [lo, hi], descending when rev. With scores, {@code pairs} makes them [member, score]
     * pairs for RESP3 clients (flat for RESP2), as Redis 7 replies to ZRANGE ... WITHSCORES and
     * to ZPOPMIN/ZPOPMAX with a count; without it the list is flat in both protocols.
     */
    private static void writeRange(RespWriter out, ZSet z, int lo, int hi, boolean rev, boolean withScores, boolean pairs) {
        int n = hi - lo + 1;
        if (withScores && pairs) {
            out.pairs(n);
        } else {
            out.array(withScores ? 2 * n : n);
        }
        for (int k = 0; k < n; k++) {
            int i = rev ? hi - k : lo + k;
            out.bulk(z.members[i]);
            if (withScores) {
                out.dbl(z.scores[i]);
            }
        }
    }

    /* ZPOPMIN key [count]
     * ZPOPMAX key [count] */
    private void zpop(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean max) {
        if (argv.size() > 3) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        long count = 1;
        if (argv.size() == 3) {
            // getPositiveLongFromObjectOrReply: one message for both not-a-number and negative
            if (!io.basalt.router.text.RedisIntegers.string2ll(argv.get(2), parsed) || parsed[0] < 0) {
                out.error(NOT_POSITIVE);
                return;
            }
            count = parsed[0];
        }
        Entry e = db.lookup(argv.get(1), ctx);
        ZSet z = lookup(e, out);
        if (wrongType) {
            return;
        }
        if (z == null || count == 0) {
            out.array(0);
            return;
        }
        int n = (int) Math.min(count, z.size);
        int lo = max ? z.size - n : 0;
        int hi = lo + n - 1;
        writeRange(out, z, lo, hi, max, true, argv.size() == 3);
        long oldBytes = z.memoryBytes();
        z.removeRange(lo, hi);
        finishRemoval(e, z, oldBytes);
    }

    /* ZREMRANGEBYRANK key start stop
     * ZREMRANGEBYSCORE key min max
     * ZREMRANGEBYLEX key min max */
    private void zremrange(List<byte[]> argv, ExecContext ctx, RespWriter out, int type) {
        long start = 0, end = 0;
        if (type == RANK) {
            if (!parseLong(argv.get(2), out)) {
                return;
            }
            start = parsed[0];
            if (!parseLong(argv.get(3), out)) {
                return;
            }
            end = parsed[0];
        } else if (type == SCORE ? !parseScoreRange(argv.get(2), argv.get(3)) : !parseLexRange(argv.get(2), argv.get(3))) {
            out.error(type == SCORE ? NOT_FLOAT_RANGE : NOT_LEX_RANGE);
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        ZSet z = lookup(e, out);
        if (wrongType) {
            return;
        }
        if (z == null) {
            out.raw(ZERO);
            return;
        }
        int lo, hi;
        if (type == RANK) {
            long n = z.size;
            if (start < 0) {
                start += n;
            }
            if (end < 0) {
                end += n;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= n) {
                out.raw(ZERO);
                return;
            }
            if (end >= n) {
                end = n - 1;
            }
            lo = (int) start;
            hi = (int) end;
        } else {
            resolve(z, type);
            lo = first;
            hi = last;
        }
        if (lo > hi) {
            out.raw(ZERO);
            return;
        }
        long oldBytes = z.memoryBytes();
        z.removeRange(lo, hi);
        finishRemoval(e, z, oldBytes);
        out.integer(hi - lo + 1);
    }

    /* ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
     * Pops from the first key that holds a zset; nested [member, score] pairs in RESP2 too. */
    private void zmpop(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!RedisIntegers.string2ll(argv.get(1), parsed) || parsed[0] < 1) {
            out.error(SetCommands.NUMKEYS_NOT_POSITIVE);
            return;
        }
        if (parsed[0] > argv.size() - 3) { // no room for MIN | MAX
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int numKeys = (int) parsed[0];
        int whereIdx = 2 + numKeys;
        boolean max;
        if (Args.is(argv.get(whereIdx), "min")) {
            max = false;
        } else if (Args.is(argv.get(whereIdx), "max")) {
            max = true;
        } else {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        long count = parseMpopCount(argv, whereIdx + 1, out);
        if (count < 0) {
            return;
        }
        for (int k = 2; k < whereIdx; k++) {
            Entry e = db.lookup(argv.get(k), ctx);
            ZSet z = lookup(e, out);
            if (wrongType) {
                return;
            }
            if (z == null) {
                continue;
            }
            int n = (int) Math.min(count, z.size);
            int lo = max ? z.size - n : 0;
            int hi = lo + n - 1;
            out.array(2);
            out.bulk(argv.get(k));
            out.array(n);
            for (int i = 0; i < n; i++) {
                int r = max ? hi - i : lo + i;
                out.array(2);
                out.bulk(z.members[r]);
                out.dbl(z.scores[r]);
            }
            long oldBytes = z.memoryBytes();
            z.removeRange(lo, hi);
            finishRemoval(e, z, oldBytes);
            return;
        }
        out.nullArray();
    }
}
