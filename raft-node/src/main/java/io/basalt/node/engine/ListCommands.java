package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.util.ArrayList;
import java.util.List;

/**
 * List commands (Redis's t_list.c), Redis 7.0.15's replies; the blocking ones (BLPOP and the like)
 * are in {@link BlockingCommands} and run these handlers when data is there. Values are
 * {@link ListValue}s; a list that becomes empty is deleted. Argument checks come in Redis's order
 * (some before the key lookup, some after), since that order decides which error a client sees.
 */
final class ListCommands extends CommandFamily {

    static final String POP_COUNT_RANGE = "ERR value is out of range, must be positive";
    static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";
    static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    static final String NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";

    /** Result of {@link #listOrReply}: the lookup found a non-list value and replied WRONGTYPE. */
    private boolean wrongType;

    ListCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("lpush", (argv, ctx, out) -> push(argv, true, false, ctx, out));
        r.register("rpush", (argv, ctx, out) -> push(argv, false, false, ctx, out));
        r.register("lpushx", (argv, ctx, out) -> push(argv, true, true, ctx, out));
        r.register("rpushx", (argv, ctx, out) -> push(argv, false, true, ctx, out));
        r.register("lpop", (argv, ctx, out) -> pop(argv, true, ctx, out));
        r.register("rpop", (argv, ctx, out) -> pop(argv, false, ctx, out));
        r.register("llen", this::llen);
        r.register("lrange", this::lrange);
        r.register("lindex", this::lindex);
        r.register("lset", this::lset);
        r.register("linsert", this::linsert);
        r.register("lrem", this::lrem);
        r.register("ltrim", this::ltrim);
        r.register("lpos", this::lpos);
        r.register("lmove", this::lmove);
        r.register("rpoplpush", (argv, ctx, out) -> move(argv, false, true, ctx, out));
        r.register("lmpop", this::lmpop);
    }

    /** The list under an entry; null when absent, or (with {@link #wrongType} set) not a list. */
    private ListValue listOrReply(Entry e, RespWriter out) {
        wrongType = false;
        if (e == null) {
            return null;
        }
        if (!(e.value instanceof ListValue l)) {
            out.error(ErrorReplies.WRONGTYPE);
            wrongType = true;
            return null;
        }
        return l;
    }

    /** Accounts a list changed in place, deleting the key when it became empty. */
    private void changed(Entry e, ListValue list, long bytesBefore) {
        db.valueResized(e, bytesBefore);
        if (list.size() == 0) {
            db.delete(e);
        }
    }

    /* LPUSH key element [element ...]   RPUSH ...   LPUSHX ...   RPUSHX ...
     * Replies the new length; the X forms push only onto an existing list (else 0). */
    private void push(List<byte[]> argv, boolean head, boolean onlyExisting, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            if (onlyExisting) {
                out.raw(ZERO);
                return;
            }
            list = new ListValue();
            e = db.add(key, hash, list);
        }
        long before = list.memoryBytes();
        for (int i = 2; i < argv.size(); i++) {
            list.add(head, argv.get(i));
        }
        db.valueResized(e, before);
        out.integer(list.size());
    }

    /* LPOP key [count]   RPOP key [count]
     * Without a count: one element or a null bulk. With one: an array, a null array when the key
     * is absent, and an empty array for count 0 on an existing list (Redis 7.0's replies). */
    private void pop(List<byte[]> argv, boolean head, ExecContext ctx, RespWriter out) {
        if (argv.size() > 3) {
            out.error(String.format(ErrorReplies.WRONG_ARITY, head ? "lpop" : "rpop"));
            return;
        }
        boolean hasCount = argv.size() == 3;
        long count = 1;
        if (hasCount) {
            if (!RedisIntegers.string2ll(argv.get(2), parsed) || parsed[0] < 0) {
                out.error(POP_COUNT_RANGE);
                return;
            }
            count = parsed[0];
        }
        Entry e = db.lookup(argv.get(1), ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            if (hasCount) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            out.array(0);
            return;
        }
        long before = list.memoryBytes();
        if (!hasCount) {
            out.bulk(list.remove(head));
        } else {
            int n = (int) Math.min(count, list.size());
            out.array(n);
            for (int i = 0; i < n; i++) {
                out.bulk(list.remove(head));
            }
        }
        changed(e, list, before);
    }

    /* LLEN key */
    private void llen(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ListValue list = listOrReply(db.lookup(argv.get(1), ctx), out);
        if (!wrongType) {
            out.integer(list == null ? 0 : list.size());
        }
    }

    /* LRANGE key start stop
     * Negative indexes count from the end; the range is clamped to the list. */
    private void lrange(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long start = parsed[0];
        if (!parseLong(argv.get(3), out)) {
            return;
        }
        long end = parsed[0];
        ListValue list = listOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.array(0);
            return;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            out.array(0);
            return;
        }
        if (end >= len) {
            end = len - 1;
        }
        out.array((int) (end - start + 1));
        for (long i = start; i <= end; i++) {
            out.bulk(list.get((int) i));
        }
    }

    /** An index of LINDEX/LSET made absolute, or -1 when outside the list. */
    private static int absoluteIndex(long index, int size) {
        if (index < 0) {
            index += size;
        }
        return index < 0 || index >= size ? -1 : (int) index;
    }

    /* LINDEX key index */
    private void lindex(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ListValue list = listOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.nullBulk();
            return;
        }
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        int i = absoluteIndex(parsed[0], list.size());
        if (i < 0) {
            out.nullBulk();
        } else {
            out.bulk(list.get(i));
        }
    }

    /* LSET key index element */
    private void lset(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.error(ErrorReplies.NO_SUCH_KEY);
            return;
        }
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        int i = absoluteIndex(parsed[0], list.size());
        if (i < 0) {
            out.error(ErrorReplies.INDEX_OUT_OF_RANGE);
            return;
        }
        long before = list.memoryBytes();
        list.set(i, argv.get(3));
        db.valueResized(e, before);
        out.raw(OK);
    }

    /* LINSERT key BEFORE|AFTER pivot element
     * The new length, 0 when the key is absent, -1 when the pivot is not in the list. */
    private void linsert(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        boolean after;
        if (Args.is(argv.get(2), "after")) {
            after = true;
        } else if (Args.is(argv.get(2), "before")) {
            after = false;
        } else {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.raw(ZERO);
            return;
        }
        byte[] pivot = argv.get(3);
        for (int i = 0; i < list.size(); i++) {
            if (Args.same(list.get(i), pivot)) {
                long before = list.memoryBytes();
                list.insert(after ? i + 1 : i, argv.get(4));
                db.valueResized(e, before);
                out.integer(list.size());
                return;
            }
        }
        out.integer(-1);
    }

    /* LREM key count element
     * count > 0: the first count matches from the head; < 0: from the tail; 0: all. */
    private void lrem(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long count = parsed[0];
        Entry e = db.lookup(argv.get(1), ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.raw(ZERO);
            return;
        }
        // Redis negates a negative count; -LONG_MIN stays negative there and no limit is ever hit.
        long limit = count == Long.MIN_VALUE ? 0 : Math.abs(count);
        long before = list.memoryBytes();
        long removed = list.removeEqual(argv.get(3), limit, count < 0);
        changed(e, list, before);
        out.integer(removed);
    }

    /* LTRIM key start stop
     * Keeps the range LRANGE would reply; deletes the key when nothing is left. */
    private void ltrim(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseLong(argv.get(2), out)) {
            return;
        }
        long start = parsed[0];
        if (!parseLong(argv.get(3), out)) {
            return;
        }
        long end = parsed[0];
        Entry e = db.lookup(argv.get(1), ctx);
        ListValue list = listOrReply(e, out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            out.raw(OK);
            return;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        long before = list.memoryBytes();
        if (start > end || start >= len) {
            list.retain(0, -1);
        } else {
            list.retain((int) start, (int) Math.min(end, len - 1));
        }
        changed(e, list, before);
        out.raw(OK);
    }

    /* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
     * Redis's loop, literally: RANK -LONG_MIN stays negative there, so every match qualifies. */
    private void lpos(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.size(); j++) {
            byte[] opt = argv.get(j);
            boolean more = j + 1 < argv.size();
            if (Args.is(opt, "rank") && more) {
                if (!parseLong(argv.get(++j), out)) {
                    return;
                }
                rank = parsed[0];
                if (rank == 0) {
                    out.error(RANK_ZERO);
                    return;
                }
            } else if (Args.is(opt, "count") && more) {
                if (!RedisIntegers.string2ll(argv.get(++j), parsed) || parsed[0] < 0) {
                    out.error(COUNT_NEGATIVE);
                    return;
                }
                count = parsed[0];
            } else if (Args.is(opt, "maxlen") && more) {
                if (!RedisIntegers.string2ll(argv.get(++j), parsed) || parsed[0] < 0) {
                    out.error(MAXLEN_NEGATIVE);
                    return;
                }
                maxlen = parsed[0];
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        ListValue list = listOrReply(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        if (list == null) {
            if (count == -1) {
                out.nullBulk();
            } else {
                out.array(0);
            }
            return;
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank;
        }
        int len = list.size();
        byte[] element = argv.get(2);
        List<Long> found = new ArrayList<>();
        long matches = 0;
        for (int index = 0; index < len && (maxlen == 0 || index < maxlen); index++) {
            int at = fromTail ? len - 1 - index : index;
            if (Args.same(list.get(at), element)) {
                matches++;
                if (matches >= rank) {
                    found.add((long) at);
                    if (count != -1 ? count != 0 && matches - rank + 1 >= count : true) {
                        break;
                    }
                }
            }
        }
        if (count == -1) {
            if (found.isEmpty()) {
                out.nullBulk();
            } else {
                out.integer(found.get(0));
            }
            return;
        }
        out.array(found.size());
        for (long at : found) {
            out.integer(at);
        }
    }

    /** LEFT is the head, RIGHT the tail; null (after a syntax error reply) for anything else. */
    private static Boolean parseEnd(byte[] arg, RespWriter out) {
        if (Args.is(arg, "left")) {
            return Boolean.TRUE;
        }
        if (Args.is(arg, "right")) {
            return Boolean.FALSE;
        }
        out.error(ErrorReplies.SYNTAX);
        return null;
    }

    /* LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
    private void lmove(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Boolean fromHead = parseEnd(argv.get(3), out);
        if (fromHead == null) {
            return;
        }
        Boolean toHead = parseEnd(argv.get(4), out);
        if (toHead != null) {
            move(argv, fromHead, toHead, ctx, out);
        }
    }

    /* RPOPLPUSH source destination (LMOVE source destination RIGHT LEFT)
     * Pops from source and pushes onto destination, which may be source itself (a rotation).
     * A destination of the wrong type is refused before anything is popped. */
    private void move(List<byte[]> argv, boolean fromHead, boolean toHead, ExecContext ctx, RespWriter out) {
        Entry src = db.lookup(argv.get(1), ctx);
        ListValue from = listOrReply(src, out);
        if (wrongType) {
            return;
        }
        if (from == null) {
            out.nullBulk();
            return;
        }
        byte[] dstKey = argv.get(2);
        int dstHash = db.hash(dstKey);
        Entry dst = db.lookup(dstKey, dstHash, ctx);
        ListValue to = listOrReply(dst, out);
        if (wrongType) {
            return;
        }
        long fromBefore = from.memoryBytes();
        byte[] value = from.remove(fromHead);
        db.valueResized(src, fromBefore);
        if (to == null) {
            to = new ListValue();
            dst = db.add(dstKey, dstHash, to);
        }
        long toBefore = to.memoryBytes();
        to.add(toHead, value);
        db.valueResized(dst, toBefore);
        if (from.size() == 0) {
            db.delete(src);
        }
        out.bulk(value);
    }

    /* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
     * Pops from the first non-empty list: [key, [elements]], or a null array when all are empty. */
    private void lmpop(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!RedisIntegers.string2ll(argv.get(1), parsed) || parsed[0] <= 0) {
            out.error(NUMKEYS_NOT_POSITIVE);
            return;
        }
        long numKeys = parsed[0];
        if (numKeys >= argv.size() - 2) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int whereIdx = 2 + (int) numKeys;
        Boolean head = parseEnd(argv.get(whereIdx), out);
        if (head == null) {
            return;
        }
        long count = parseMpopCount(argv, whereIdx + 1, out);
        if (count < 0) {
            return;
        }
        for (int k = 2; k < whereIdx; k++) {
            Entry e = db.lookup(argv.get(k), ctx);
            ListValue list = listOrReply(e, out);
            if (wrongType) {
                return;
            }
            if (list == null) {
                continue;
            }
            long before = list.memoryBytes();
            int n = (int) Math.min(count, list.size());
            out.array(2);
            out.bulk(argv.get(k));
            out.array(n);
            for (int i = 0; i < n; i++) {
                out.bulk(list.remove(head));
            }
            changed(e, list, before);
            return;
        }
        out.nullArray();
    }
}
