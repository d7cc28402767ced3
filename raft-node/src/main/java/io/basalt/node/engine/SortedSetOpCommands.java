package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The sorted set algebra (Redis's zunionInterDiffGenericCommand): ZUNION, ZINTER, ZDIFF, their
 * STORE forms and ZINTERCARD. Inputs may be zsets or plain sets (each member scoring 1).
 *
 * <p>As Redis does, the inputs are taken smallest first (a stable sort, so equal sizes keep key
 * order), which fixes the order in which a member's weighted scores are aggregated and so the
 * exact floating-point sum. A sum that is NaN (inf + -inf) counts as 0, and so does a weighted
 * score that is NaN (inf × 0) except in ZINTER's sets after the smallest, where Redis lets it
 * reach the aggregate (SUM then gives 0, MIN and MAX ignore it). The result is sorted once at the end, never built by inserting into the middle.
 */
final class SortedSetOpCommands extends CommandFamily {

    static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";

    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final int SUM = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;

    private final StrtoD strtod = new StrtoD();

    SortedSetOpCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("zunion", (argv, ctx, out) -> generic(argv, ctx, out, "zunion", UNION, false, false));
        r.register("zinter", (argv, ctx, out) -> generic(argv, ctx, out, "zinter", INTER, false, false));
        r.register("zdiff", (argv, ctx, out) -> generic(argv, ctx, out, "zdiff", DIFF, false, false));
        r.register("zunionstore", (argv, ctx, out) -> generic(argv, ctx, out, "zunionstore", UNION, true, false));
        r.register("zinterstore", (argv, ctx, out) -> generic(argv, ctx, out, "zinterstore", INTER, true, false));
        r.register("zdiffstore", (argv, ctx, out) -> generic(argv, ctx, out, "zdiffstore", DIFF, true, false));
        r.register("zintercard", (argv, ctx, out) -> generic(argv, ctx, out, "zintercard", INTER, false, true));
    }

    /** One input: a zset, a set (scores 1) or nothing (an absent key), with its weight. */
    private record Src(ZSet zset, SetValue set, double weight) {
        int size() {
            return zset != null ? zset.size : set != null ? set.size() : 0;
        }

        byte[] member(int i) {
            return zset != null ? zset.members[i] : set.get(i);
        }

        double score(int i) {
            return zset != null ? zset.scores[i] : 1.0;
        }

        /** The member's score, or null when absent. */
        Double scoreOf(byte[] m, long[] scratch) {
            if (zset != null) {
                return zset.score(m);
            }
            return set != null && set.contains(m, scratch) ? 1.0 : null;
        }
    }

    /* ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
     * ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
     * ZDIFF numkeys key [key ...] [WITHSCORES]
     * ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
     * ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
     * ZDIFFSTORE destination numkeys key [key ...]
     * ZINTERCARD numkeys key [key ...] [LIMIT limit]
     * As Redis: numkeys, then the keys' types, then the options are checked. */
    private void generic(List<byte[]> argv, ExecContext ctx, RespWriter out, String name, int op, boolean store,
            boolean cardOnly) {
        int numKeysIdx = store ? 2 : 1;
        if (!parseLong(argv.get(numKeysIdx), out)) {
            return;
        }
        if (parsed[0] < 1) {
            out.error("ERR at least 1 input key is needed for '" + name + "' command");
            return;
        }
        if (parsed[0] > argv.size() - numKeysIdx - 1) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int n = (int) parsed[0];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            Entry e = db.lookup(argv.get(numKeysIdx + 1 + i), ctx);
            if (e != null && !(e.value instanceof ZSet) && !(e.value instanceof SetValue)) {
                out.error(ErrorReplies.WRONGTYPE);
                return;
            }
            values[i] = e == null ? null : e.value;
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numKeysIdx + 1 + n;
        while (j < argv.size()) {
            int remaining = argv.size() - j;
            byte[] o = argv.get(j);
            if (op != DIFF && !cardOnly && remaining >= n + 1 && Args.is(o, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    if (!strtod.parseScore(argv.get(j))) {
                        out.error(WEIGHT_NOT_FLOAT);
                        return;
                    }
                    weights[i] = strtod.value;
                }
            } else if (op != DIFF && !cardOnly && remaining >= 2 && Args.is(o, "aggregate")) {
                byte[] a = argv.get(j + 1);
                if (Args.is(a, "sum")) {
                    aggregate = SUM;
                } else if (Args.is(a, "min")) {
                    aggregate = MIN;
                } else if (Args.is(a, "max")) {
                    aggregate = MAX;
                } else {
                    out.error(ErrorReplies.SYNTAX);
                    return;
                }
                j += 2;
            } else if (!store && !cardOnly && Args.is(o, "withscores")) {
                withScores = true;
                j++;
            } else if (cardOnly && remaining >= 2 && Args.is(o, "limit")) {
                if (!RedisIntegers.string2ll(argv.get(j + 1), parsed) || parsed[0] < 0) {
                    out.error(SetCommands.LIMIT_NEGATIVE);
                    return;
                }
                limit = parsed[0];
                j += 2;
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        List<Src> srcs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            srcs.add(new Src(v instanceof ZSet z ? z : null, v instanceof SetValue s ? s : null, weights[i]));
        }
        if (cardOnly) {
            out.integer(intersect(srcs, aggregate, limit, null));
            return;
        }
        Result result = new Result();
        if (op == INTER) {
            intersect(srcs, aggregate, 0, result);
        } else if (op == UNION) {
            union(srcs, aggregate, result);
        } else {
            diff(srcs, result);
        }
        ZSet z = result.sorted(db.limits());
        if (store) {
            SortedSetCommands.store(db, argv.get(1), z, ctx, out);
            return;
        }
        if (withScores) {
            out.pairs(z.size);
        } else {
            out.array(z.size);
        }
        for (int i = 0; i < z.size; i++) {
            out.bulk(z.members[i]);
            if (withScores) {
                out.dbl(z.scores[i]);
            }
        }
    }

    /** Members with their scores, in the order found; sorted into a ZSet at the end. */
    private static final class Result {
        final List<byte[]> members = new ArrayList<>();
        double[] scores = new double[16];

        void add(byte[] m, double score) {
            if (members.size() == scores.length) {
                scores = Arrays.copyOf(scores, scores.length * 2);
            }
            scores[members.size()] = score;
            members.add(m);
        }

        ZSet sorted(EncodingLimits limits) {
            Integer[] order = new Integer[members.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> ZSet.compare(scores[a], members.get(a), scores[b], members.get(b)));
            ZSet z = new ZSet(limits);
            for (int i : order) {
                z.insert(members.get(i), scores[i]); // ascending: each insert appends
            }
            return z;
        }
    }

    private static List<Src> bySize(List<Src> srcs) {
        List<Src> sorted = new ArrayList<>(srcs);
        sorted.sort((a, b) -> Integer.compare(a.size(), b.size())); // stable, as glibc's qsort
        return sorted;
    }

    private static double weighted(double weight, double score) {
        double v = weight * score;
        return Double.isNaN(v) ? 0 : v;
    }

    /** Redis's zunionInterAggregate. */
    private static double aggregate(int how, double acc, double v) {
        if (how == SUM) {
            double s = acc + v;
            return Double.isNaN(s) ? 0 : s;
        }
        if (how == MIN) {
            return v < acc ? v : acc; // C's comparisons: a NaN value leaves the score alone
        }
        return v > acc ? v : acc;
    }

    /** Members of the smallest input found in all; counts them up to limit (0: none) when result is null. */
    private long intersect(List<Src> srcs, int how, long limit, Result result) {
        List<Src> sorted = bySize(srcs);
        Src smallest = sorted.get(0);
        long found = 0;
        for (int i = 0; i < smallest.size(); i++) {
            byte[] m = smallest.member(i);
            double score = weighted(smallest.weight(), smallest.score(i));
            boolean inAll = true;
            for (int k = 1; k < sorted.size() && inAll; k++) {
                Src other = sorted.get(k);
                Double s = other.scoreOf(m, parsed);
                if (s == null) {
                    inAll = false;
                } else {
                    score = aggregate(how, score, other.weight() * s); // as Redis: NaN only via the sum
                }
            }
            if (inAll) {
                found++;
                if (result != null) {
                    result.add(m, score);
                } else if (limit != 0 && found >= limit) {
                    break;
                }
            }
        }
        return found;
    }

    private static void union(List<Src> srcs, int how, Result result) {
        // Looked up only, never iterated: the result list keeps the order.
        HashMap<ZSet.Member, Integer> at = new HashMap<>();
        for (Src src : bySize(srcs)) {
            for (int i = 0; i < src.size(); i++) {
                byte[] m = src.member(i);
                double v = weighted(src.weight(), src.score(i));
                Integer k = at.get(new ZSet.Member(m));
                if (k == null) {
                    at.put(new ZSet.Member(m), result.members.size());
                    result.add(m, v);
                } else {
                    result.scores[k] = aggregate(how, result.scores[k], v);
                }
            }
        }
    }

    private void diff(List<Src> srcs, Result result) {
        Src first = srcs.get(0);
        for (int i = 0; i < first.size(); i++) {
            byte[] m = first.member(i);
            boolean inOther = false;
            for (int k = 1; k < srcs.size() && !inOther; k++) {
                inOther = srcs.get(k).scoreOf(m, parsed) != null;
            }
            if (!inOther) {
                result.add(m, first.score(i));
            }
        }
    }
}
