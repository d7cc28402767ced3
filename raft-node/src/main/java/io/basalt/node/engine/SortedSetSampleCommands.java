package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RedisDoubles;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisGlob;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Walking and sampling a sorted set: ZSCAN and ZRANDMEMBER (Redis's t_zset.c). The other
 * sorted-set commands are in {@link SortedSetCommands} and {@link SortedSetOpCommands}.
 */
final class SortedSetSampleCommands extends ZSetFamily {

    /** Bounds the reply of ZRANDMEMBER with a negative count (Redis builds any length). */
    static final long ZRANDMEMBER_REPEATS_MAX = 1L << 20;

    SortedSetSampleCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("zscan", this::zscan);
        r.register("zrandmember", this::zrandmember);
    }

    /* ZSCAN key cursor [MATCH pattern] [COUNT count]
     * A listpack is returned whole with cursor 0, as Redis does. A larger zset is walked in
     * (score, member) order and the cursor names the score to resume at (its bits, mapped so
     * that the unsigned order of cursors is the order of scores; 0 is never a score's cursor).
     * A call returns COUNT members and then the rest of the last one's score, so a cursor never
     * points into a run of equal scores: every member present throughout the scan is returned,
     * whatever is added or removed in between. Many members sharing one score come back in one
     * call, however many (the price of a cursor that survives writes). */
    private void zscan(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseCursor(argv.get(2))) {
            out.error(EngineErrors.INVALID_CURSOR);
            return;
        }
        long cursor = parsedCursor;
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (z == null) {
            replyEmptyScan(out);
            return;
        }
        ScanOptions options = parseScanOptions(argv, 3, false, out);
        if (options == null) {
            return;
        }
        long count = options.count();
        byte[] pattern = options.pattern();
        int from = 0;
        int to = z.size;
        long next = 0;
        if (z.index != null) {
            from = cursor == 0 ? 0 : z.firstInScore(scoreOfCursor(cursor), false);
            to = (int) Math.min(z.size, from + Math.min(count, z.size));
            while (to > from && to < z.size && z.scores[to] == z.scores[to - 1]) {
                to++;
            }
            next = to >= z.size ? 0 : cursorOfScore(z.scores[to]);
        }
        int matched = 0;
        boolean[] keep = new boolean[to - from];
        for (int i = from; i < to; i++) {
            keep[i - from] = pattern == null || RedisGlob.matches(pattern, z.members[i], false);
            matched += keep[i - from] ? 1 : 0;
        }
        out.array(2);
        out.bulk(Long.toUnsignedString(next));
        out.array(2 * matched);
        for (int i = from; i < to; i++) {
            if (keep[i - from]) {
                out.bulk(z.members[i]);
                out.bulk(RedisDoubles.format(z.scores[i]));
            }
        }
    }

    /** A score's cursor: its bits with the sign flipped (positives) or all flipped (negatives). */
    static long cursorOfScore(double score) {
        long bits = Double.doubleToRawLongBits(score);
        return bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
    }

    static double scoreOfCursor(long cursor) {
        return Double.longBitsToDouble(cursor < 0 ? cursor ^ Long.MIN_VALUE : ~cursor);
    }

    /* ZRANDMEMBER key [count [WITHSCORES]]
     * Randomness from the command's place in the log. count >= 0: distinct members (the whole
     * zset from the highest rank down when count >= its size, as Redis); count < 0: |count| members, repeats allowed, at most
     * ZRANDMEMBER_REPEATS_MAX (Redis has no limit). WITHSCORES writes [member, score] pairs. */
    private void zrandmember(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() == 2) {
            ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
            if (wrongType) {
                return;
            }
            if (z == null) {
                out.nullBulk();
            } else {
                out.bulk(z.members[new SplittableRandom(ctx.randomSeed()).nextInt(z.size)]);
            }
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
        if (argv.size() > 4 || (argv.size() == 4 && !Args.is(argv.get(3), "withscores"))) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        boolean withScores = argv.size() == 4;
        if (withScores && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
            out.error(EngineErrors.VALUE_OUT_OF_RANGE);
            return;
        }
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (z == null || l == 0) {
            out.array(0);
            return;
        }
        SplittableRandom rnd = new SplittableRandom(ctx.randomSeed());
        int[] ranks;
        if (l < 0) {
            if (-l > ZRANDMEMBER_REPEATS_MAX) {
                out.error(EngineErrors.VALUE_OUT_OF_RANGE);
                return;
            }
            ranks = new int[(int) -l];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = rnd.nextInt(z.size);
            }
        } else if (l >= z.size) {
            ranks = new int[z.size];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = z.size - 1 - i; // Redis 7.0 replies the whole zset highest first
            }
        } else {
            ranks = pickDistinct(z.size, (int) l, rnd);
        }
        if (withScores) {
            out.pairs(ranks.length);
        } else {
            out.array(ranks.length);
        }
        for (int r : ranks) {
            out.bulk(z.members[r]);
            if (withScores) {
                out.dbl(z.scores[r]);
            }
        }
    }

    /** n distinct ranks of [0, size), 0 < n < size, uniformly chosen, in the order drawn. */
    private static int[] pickDistinct(int size, int n, SplittableRandom rnd) {
        int[] chosen = new int[n];
        if (n * 3L < size) { // few of many: redraw repeats; the set only answers "seen?"
            HashSet<Integer> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int p = rnd.nextInt(size);
                while (!seen.add(p)) {
                    p = rnd.nextInt(size);
                }
                chosen[i] = p;
            }
            return chosen;
        }
        int[] pos = new int[size]; // many of few: partial Fisher-Yates over at most 3n positions
        for (int i = 0; i < size; i++) {
            pos[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
            chosen[i] = pos[i];
        }
        return chosen;
    }
}
