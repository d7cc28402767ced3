package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c): sort or just page a list, set or sorted set, weighing each
 * element by itself or by a key (or hash field) named after it, and reply or store the elements
 * or values named after them.
 *
 * <p><b>Cluster rule.</b> A shard holds only its own slots, so a BY or GET pattern may only name
 * keys that provably live in the sorted key's slot: the pattern's hash tag (or the whole pattern,
 * when it has no wildcard) must hash to that slot, as Redis Cluster decides since 7.4
 * (patternHashSlot). Redis 7.0 in cluster mode refuses every BY pattern and every GET; standalone
 * Redis allows any pattern. A STORE destination outside the key's slot is refused with CROSSSLOT,
 * as Redis Cluster refuses it. See the package documentation.
 */
final class SortCommands extends CommandFamily {

    static final String BY_CROSS_SLOT =
            "ERR BY option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.";
    static final String GET_CROSS_SLOT =
            "ERR GET option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.";
    static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    private final StrtoD strtod = new StrtoD();

    SortCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("sort", (argv, ctx, out) -> sort(argv, false, ctx, out));
        r.register("sort_ro", (argv, ctx, out) -> sort(argv, true, ctx, out));
    }

    /** One element being sorted: the element, and what it is weighed by (a score, or bytes for ALPHA). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] weight;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** The parsed options; limitCount -1 means "to the end". */
    private static final class Options {
        boolean desc;
        boolean alpha;
        boolean dontSort;
        long limitStart;
        long limitCount = -1;
        byte[] storeKey;
        byte[] by;
        final List<byte[]> gets = new ArrayList<>();
    }

    /* SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC]
     *      [ALPHA] [STORE destination]
     * SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC]
     *      [ALPHA]
     * Options are parsed (and refused) before the key is looked up, as Redis does. */
    private void sort(List<byte[]> argv, boolean readOnly, ExecContext ctx, RespWriter out) {
        Options o = parseOptions(argv, readOnly, out);
        if (o == null) {
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        Object value = e == null ? null : e.value;
        if (value != null && !(value instanceof ListValue) && !(value instanceof SetValue) && !(value instanceof ZSet)) {
            out.error(ErrorReplies.WRONGTYPE);
            return;
        }
        // A set has no order of its own: unsorted, a stored result would depend on the table
        // layout, so Redis sorts it (binary ALPHA) whenever it stores.
        if (o.dontSort && value instanceof SetValue && o.storeKey != null) {
            o.dontSort = false;
            o.alpha = true;
            o.by = null;
        }
        int size = sizeOf(value);
        // LIMIT as Redis clamps it: start in [0, size], an empty range when start is past the end.
        long start = Math.min(Math.max(o.limitStart, 0), size);
        long count = Math.min(Math.max(o.limitCount, -1), size);
        long end = count < 0 ? size - 1 : start + count - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) {
            end = size - 1;
        }
        Item[] items;
        if (o.dontSort && !(value instanceof SetValue)) {
            // Lists and sorted sets keep their own order; only the LIMIT range is loaded.
            items = loadRange(value, (int) start, (int) end, o.desc);
            end -= start;
            start = 0;
        } else {
            items = loadAll(value);
        }
        if (!o.dontSort && !weigh(items, o, ctx)) {
            out.error(NOT_DOUBLE);
            return;
        }
        if (!o.dontSort) {
            Arrays.sort(items, comparator(o));
        }
        int n = (int) (end - start + 1);
        if (o.storeKey == null) {
            reply(items, (int) start, n, o, ctx, out);
        } else {
            store(items, (int) start, n, o, ctx, out);
        }
    }

    /** Parses argv[2..]; replies the error and returns null on a bad option. */
    private Options parseOptions(List<byte[]> argv, boolean readOnly, RespWriter out) {
        Options o = new Options();
        int argc = argv.size();
        int keySlot = -1;
        for (int j = 2; j < argc; j++) {
            byte[] arg = argv.get(j);
            int left = argc - j - 1;
            if (Args.is(arg, "asc")) {
                o.desc = false;
            } else if (Args.is(arg, "desc")) {
                o.desc = true;
            } else if (Args.is(arg, "alpha")) {
                o.alpha = true;
            } else if (Args.is(arg, "limit") && left >= 2) {
                if (!parseLong(argv.get(j + 1), out)) {
                    return null;
                }
                o.limitStart = parsed[0];
                if (!parseLong(argv.get(j + 2), out)) {
                    return null;
                }
                o.limitCount = parsed[0];
                j += 2;
            } else if (!readOnly && Args.is(arg, "store") && left >= 1) {
                o.storeKey = argv.get(++j);
            } else if (Args.is(arg, "by") && left >= 1) {
                o.by = argv.get(++j);
                // A pattern without '*' names no key per element: nothing to sort by.
                if (indexOf(o.by, (byte) '*', 0, cLength(o.by)) < 0) {
                    o.dontSort = true;
                } else {
                    keySlot = keySlot < 0 ? HashSlot.of(argv.get(1)) : keySlot;
                    if (patternSlot(o.by) != keySlot) {
                        out.error(BY_CROSS_SLOT);
                        return null;
                    }
                }
            } else if (Args.is(arg, "get") && left >= 1) {
                byte[] pattern = argv.get(++j);
                if (!isHash(pattern)) {
                    keySlot = keySlot < 0 ? HashSlot.of(argv.get(1)) : keySlot;
                    if (patternSlot(pattern) != keySlot) {
                        out.error(GET_CROSS_SLOT);
                        return null;
                    }
                }
                o.gets.add(pattern);
            } else {
                out.error(ErrorReplies.SYNTAX);
                return null;
            }
        }
        // The destination is written on this shard, so it must be in this slot. Redis Cluster
        // refuses it with CROSSSLOT before running the command; the gateway routes SORT by its
        // first key only, so the engine checks.
        if (o.storeKey != null && HashSlot.of(o.storeKey) != HashSlot.of(argv.get(1))) {
            out.error(ErrorReplies.CROSSSLOT);
            return null;
        }
        return o;
    }

    private static int sizeOf(Object value) {
        return switch (value) {
            case null -> 0;
            case ListValue l -> l.size();
            case SetValue s -> s.size();
            case ZSet z -> z.size;
            default -> throw new IllegalStateException("not sortable: " + value.getClass());
        };
    }

    /** Elements start..end (ranks, counted from the tail when desc) of a list or sorted set, in order. */
    private static Item[] loadRange(Object value, int start, int end, boolean desc) {
        int size = sizeOf(value);
        Item[] items = new Item[Math.max(0, end - start + 1)];
        for (int i = 0; i < items.length; i++) {
            int rank = desc ? size - 1 - (start + i) : start + i;
            items[i] = new Item(value instanceof ListValue l ? l.get(rank) : ((ZSet) value).members[rank]);
        }
        return items;
    }

    /** Every element in the collection's own iteration order (the order ties keep). */
    private static Item[] loadAll(Object value) {
        int size = sizeOf(value);
        Item[] items = new Item[size];
        for (int i = 0; i < size; i++) {
            byte[] element = switch (value) {
                case ListValue l -> l.get(i);
                case SetValue s -> s.get(i);
                case ZSet z -> z.members[i];
                default -> throw new IllegalStateException("not sortable");
            };
            items[i] = new Item(element);
        }
        return items;
    }

    /**
     * Loads what each element is weighed by: with ALPHA the BY value (none without BY: the
     * element is compared itself), else a score parsed as Redis's strtod check does. An element
     * whose BY key is missing weighs 0 (null with ALPHA). False when a score is not a double.
     */
    private boolean weigh(Item[] items, Options o, ExecContext ctx) {
        boolean ok = true;
        for (Item item : items) {
            byte[] by = o.by == null ? item.element : lookupByPattern(o.by, item.element, ctx);
            if (by == null) {
                continue;
            }
            if (o.alpha) {
                item.weight = o.by == null ? null : by;
            } else if (!parseScore(by)) {
                ok = false; // Redis keeps going and reports once
            } else {
                item.score = strtod.value;
            }
        }
        return ok;
    }

    /**
     * strtod over a C string, as sort.c checks it: the parse must reach the end of the string or
     * a NUL byte (where C stops reading), without ERANGE (overflow or underflow) and not NaN. An
     * empty string is 0.
     */
    private boolean parseScore(byte[] s) {
        strtod.parse(s);
        boolean toEnd = strtod.end == s.length || s[strtod.end] == 0;
        return toEnd && !strtod.range && !Double.isNaN(strtod.value);
    }

    /**
     * Redis's sortCompare. Numbers: by score, equal scores by the elements' bytes (so the result
     * does not depend on the input order). ALPHA: the BY values (a missing one first) or the
     * elements themselves, compared bytewise when storing, else as strcoll in the C locale does
     * (strcmp: byte order up to the first NUL byte, so "a" and "a\0b" tie). Arrays.sort is stable,
     * as glibc's merge-sort qsort is, so ties keep the collection's order.
     */
    private static Comparator<Item> comparator(Options o) {
        Comparator<Item> c;
        boolean binary = o.storeKey != null;
        if (!o.alpha) {
            c = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element, b.element);
        } else if (o.by != null) {
            c = (a, b) -> {
                if (a.weight == null || b.weight == null) {
                    return a.weight == b.weight ? 0 : a.weight == null ? -1 : 1;
                }
                return binary ? Arrays.compareUnsigned(a.weight, b.weight) : strcmp(a.weight, b.weight);
            };
        } else {
            c = (a, b) -> binary ? Arrays.compareUnsigned(a.element, b.element) : strcmp(a.element, b.element);
        }
        return o.desc ? c.reversed() : c;
    }

    /** C's strcmp: unsigned bytes up to the first NUL (or the end of the array). */
    static int strcmp(byte[] a, byte[] b) {
        int la = cLength(a);
        int lb = cLength(b);
        int n = Math.min(la, lb);
        int m = Arrays.compareUnsigned(a, 0, n, b, 0, n);
        return m != 0 ? m : Integer.compare(la, lb);
    }

    private void reply(Item[] items, int start, int n, Options o, ExecContext ctx, RespWriter out) {
        int gets = o.gets.size();
        out.array(gets == 0 ? n : gets * n);
        for (int j = start; j < start + n; j++) {
            if (gets == 0) {
                out.bulk(items[j].element);
            }
            for (byte[] pattern : o.gets) {
                byte[] v = lookupByPattern(pattern, items[j].element, ctx);
                if (v == null) {
                    out.nullBulk();
                } else {
                    out.bulk(v);
                }
            }
        }
    }

    /** STORE: the result replaces the destination as a list (its TTL goes); an empty one deletes it. */
    private void store(Item[] items, int start, int n, Options o, ExecContext ctx, RespWriter out) {
        ListValue list = new ListValue();
        for (int j = start; j < start + n; j++) {
            if (o.gets.isEmpty()) {
                list.addLast(items[j].element);
            }
            for (byte[] pattern : o.gets) {
                byte[] v = lookupByPattern(pattern, items[j].element, ctx);
                list.addLast(v == null ? EMPTY : v);
            }
        }
        int hash = db.hash(o.storeKey);
        Entry dst = db.lookup(o.storeKey, hash, ctx);
        if (list.size() == 0) {
            if (dst != null) {
                db.delete(dst);
            }
        } else if (dst == null) {
            db.add(o.storeKey, hash, list);
        } else {
            db.overwrite(dst, list, false);
        }
        out.integer(list.size());
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced
     * by the element to form a key, whose string value is returned, or, when "->field" follows
     * the '*', that field of the hash at the key. Null when there is no '*', no such key, the
     * wrong type or no such field. Like Redis it reads the pattern as a C string when looking for
     * '#', '*' and "->" (a NUL byte ends the search) but keeps every byte in the key and field.
     */
    private byte[] lookupByPattern(byte[] pattern, byte[] element, ExecContext ctx) {
        if (isHash(pattern)) {
            return element;
        }
        int clen = cLength(pattern);
        int star = indexOf(pattern, (byte) '*', 0, clen);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < clen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        boolean hasField = arrow >= 0 && arrow + 2 < clen;
        int keyEnd = hasField ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Entry e = db.lookup(key, ctx);
        if (e == null) {
            return null;
        }
        if (hasField) {
            return e.value instanceof Hash h ? h.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length), ctx.nowMs()) : null;
        }
        return Strings.isString(e.value) ? Strings.bytes(e.value) : null;
    }

    /** "#" as C reads it (a NUL byte after the '#' ends the string). */
    private static boolean isHash(byte[] pattern) {
        return pattern.length >= 1 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0);
    }

    /**
     * Redis's patternHashSlot: the one slot every key the glob pattern can match hashes to, or -1
     * when there may be several: a wildcard, a character class or an escape before a complete
     * hash tag means any slot; a non-empty {tag} decides; otherwise the pattern is one key.
     */
    static int patternSlot(byte[] pattern) {
        int open = -1;
        for (int i = 0; i < pattern.length; i++) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return -1;
            } else if (open == -1 && b == '{') {
                open = i;
            } else if (open >= 0 && b == '}' && i == open + 1) {
                open = -2; // "{}" is no tag: the whole key is hashed
            } else if (open >= 0 && b == '}') {
                return HashSlot.crc16(pattern, open + 1, i) & (HashSlot.SLOT_COUNT - 1);
            }
        }
        return HashSlot.crc16(pattern, 0, pattern.length) & (HashSlot.SLOT_COUNT - 1);
    }

    private static int cLength(byte[] s) {
        return Args.cLength(s, s.length);
    }

    private static int indexOf(byte[] s, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
