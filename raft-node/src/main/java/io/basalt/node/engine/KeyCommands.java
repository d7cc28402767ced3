package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisGlob;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generic key commands (Redis's db.c and object.c): existence, type, delete, rename, copy,
 * iteration and introspection. Expiry commands are in {@link ExpireCommands}.
 */
final class KeyCommands extends CommandFamily {

    /** Redis's default number of databases: COPY ... DB accepts 0..15 (then refuses non-zero). */
    private static final int DATABASES = 16;
    /** RANDOMKEY picks at most this many expired keys before walking for a live one. */
    private static final int RANDOM_KEY_TRIES_MAX = 100;

    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "HELP",
        "    Prints this help.",
    };

    KeyCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("del", this::del);
        r.register("unlink", this::del);
        r.register("exists", this::exists);
        r.register("touch", this::exists);
        r.register("type", this::type);
        r.register("rename", (argv, ctx, out) -> rename(argv, ctx, out, false));
        r.register("renamenx", (argv, ctx, out) -> rename(argv, ctx, out, true));
        r.register("copy", this::copy);
        r.register("keys", this::keys);
        r.register("scan", this::scan);
        r.register("randomkey", this::randomkey);
        r.register("object|encoding", this::objectEncoding);
        r.register("object|help", this::objectHelp);
    }

    /* DEL key [key ...]
     * UNLINK key [key ...]
     * (UNLINK frees memory in the background in Redis; here both are O(1) per key.) */
    private void del(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long deleted = 0;
        for (int i = 1; i < argv.size(); i++) {
            Entry e = db.lookup(argv.get(i), ctx);
            if (e != null) {
                db.delete(e);
                deleted++;
            }
        }
        out.integer(deleted);
    }

    /* EXISTS key [key ...]
     * TOUCH key [key ...]
     * A key given twice counts twice. (TOUCH updates the access time in Redis; there is none here.) */
    private void exists(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        long found = 0;
        for (int i = 1; i < argv.size(); i++) {
            if (db.lookup(argv.get(i), ctx) != null) {
                found++;
            }
        }
        out.integer(found);
    }

    /* TYPE key */
    private void type(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(1), ctx);
        out.simple(e == null ? "none" : ValueType.of(e.value).redisName());
    }

    /* RENAME key newkey
     * RENAMENX key newkey
     * The value and its expiry time move to newkey; newkey's old value (and TTL) is dropped. */
    private void rename(List<byte[]> argv, ExecContext ctx, RespWriter out, boolean nx) {
        byte[] src = argv.get(1);
        byte[] dst = argv.get(2);
        Entry from = db.lookup(src, ctx);
        if (from == null) {
            out.error(ErrorReplies.NO_SUCH_KEY);
            return;
        }
        if (Args.same(src, dst)) {
            out.raw(nx ? ZERO : OK);
            return;
        }
        long expire = db.expireAt(from);
        int dstHash = db.hash(dst);
        Entry to = db.lookup(dst, dstHash, ctx);
        if (to != null) {
            if (nx) {
                out.raw(ZERO);
                return;
            }
            db.delete(to);
        }
        Object value = from.value;
        db.delete(from);
        Entry moved = db.add(dst, dstHash, value);
        if (expire != -1) {
            db.setExpire(moved, expire);
        }
        out.raw(nx ? ONE : OK);
    }

    /* COPY source destination [DB destination-db] [REPLACE]
     * Only database 0 exists (as in Redis Cluster): DB 1..15 is refused with Redis's cluster-mode
     * error, other numbers with "DB index is out of range". */
    private void copy(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        boolean replace = false;
        int dbId = 0;
        for (int j = 3; j < argv.size(); j++) {
            byte[] opt = argv.get(j);
            if (Args.is(opt, "replace")) {
                replace = true;
            } else if (Args.is(opt, "db") && j < argv.size() - 1) {
                if (!parseLong(argv.get(++j), out)) {
                    return;
                }
                if (parsed[0] < Integer.MIN_VALUE || parsed[0] > Integer.MAX_VALUE) {
                    out.error(EngineErrors.NOT_AN_INT);
                    return;
                }
                if (parsed[0] < 0 || parsed[0] >= DATABASES) {
                    out.error(ErrorReplies.DB_INDEX_OUT_OF_RANGE);
                    return;
                }
                dbId = (int) parsed[0];
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        if (dbId != 0) {
            out.error(EngineErrors.COPY_OTHER_DB);
            return;
        }
        byte[] src = argv.get(1);
        byte[] dst = argv.get(2);
        if (Args.same(src, dst)) {
            out.error(EngineErrors.SAME_OBJECT);
            return;
        }
        Entry from = db.lookup(src, ctx);
        if (from == null) {
            out.raw(ZERO);
            return;
        }
        long expire = db.expireAt(from);
        int dstHash = db.hash(dst);
        Entry to = db.lookup(dst, dstHash, ctx);
        if (to != null) {
            if (!replace) {
                out.raw(ZERO);
                return;
            }
            db.delete(to);
        }
        Entry copy = db.add(dst, dstHash, duplicate(from.value));
        if (expire != -1) {
            db.setExpire(copy, expire);
        }
        out.raw(ONE);
    }

    /** A copy of a value for COPY; each type says how it duplicates. */
    private static Object duplicate(Object value) {
        if (Strings.isString(value)) {
            return Strings.duplicate(value);
        }
        if (value instanceof CollectionValue c) {
            return c.duplicate();
        }
        throw new IllegalStateException("COPY of " + ValueType.of(value) + " is not implemented");
    }

    /* KEYS pattern
     * Every live key matching the glob pattern, in table order. */
    private void keys(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] pattern = argv.get(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        long nowMs = ctx.nowMs();
        KeyList found = new KeyList();
        db.table().forEach(e -> {
            if ((all || RedisGlob.matches(pattern, e.key, false)) && !db.isExpired(e, nowMs)) {
                found.add(e.key);
            }
        });
        found.writeArray(out);
    }

    /* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
     * Redis's scanGenericCommand for the keyspace: visit buckets until COUNT keys were gathered
     * or 10 × COUNT buckets were visited, then drop keys that fail MATCH, TYPE or are expired.
     * TYPE compares names case-insensitively; an unknown name matches nothing (7.0 behaviour). */
    private void scan(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (!parseCursor(argv.get(1), parsed)) {
            out.error(EngineErrors.INVALID_CURSOR);
            return;
        }
        long cursor = parsed[0];
        ScanOptions options = parseScanOptions(argv, 2, true, out);
        if (options == null) {
            return;
        }
        long count = options.count();
        byte[] pattern = options.pattern();
        byte[] typeName = options.typeName();
        EntryList visited = new EntryList();
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        KeyTable table = db.table();
        do {
            cursor = table.scan(cursor, visited::add);
        } while (cursor != 0 && maxIterations-- != 0 && visited.size < count);
        long nowMs = ctx.nowMs();
        KeyList keys = new KeyList();
        for (int i = 0; i < visited.size; i++) {
            Entry e = visited.items[i];
            if (pattern != null && !RedisGlob.matches(pattern, e.key, false)) {
                continue;
            }
            if (typeName != null && !Args.is(typeName, ValueType.of(e.value).redisName())) {
                continue;
            }
            if (db.isExpired(e, nowMs)) {
                continue;
            }
            keys.add(e.key);
        }
        out.array(2);
        out.bulk(Long.toUnsignedString(cursor));
        keys.writeArray(out);
    }

    /**
     * Redis's parseScanCursorOrReply: strtoul, so an optional sign ("-1" wraps to the largest
     * cursor), an empty string is 0, no leading space, nothing after the digits but the end of
     * the C string (a NUL), no overflow of 64 bits. On success the value is in {@code out[0]}.
     */
    static boolean parseCursor(byte[] s, long[] out) {
        Long v = io.basalt.router.text.RedisIntegers.parseScanCursor(s);
        if (v == null) {
            return false;
        }
        out[0] = v;
        return true;
    }

    /* RANDOMKEY
     * A pseudo-random live key, the choice derived from the command's place in the log. */
    private void randomkey(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        KeyTable table = db.table();
        SplittableRandom rnd = new SplittableRandom(ctx.randomSeed());
        long nowMs = ctx.nowMs();
        for (int tries = 0; tries < RANDOM_KEY_TRIES_MAX; tries++) {
            Entry e = table.random(rnd);
            if (e == null) {
                out.nullBulk();
                return;
            }
            if (!db.isExpired(e, nowMs)) {
                out.bulk(e.key);
                return;
            }
        }
        // Mostly expired keys: walk from a random bucket to the first live one.
        Entry live = table.firstFrom(rnd.nextLong(table.bucketSpan()), e -> !db.isExpired(e, nowMs));
        if (live == null) {
            out.nullBulk();
        } else {
            out.bulk(live.key);
        }
    }

    /* OBJECT ENCODING key */
    private void objectEncoding(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry e = db.lookup(argv.get(2), ctx);
        if (e == null) {
            out.nullBulk();
            return;
        }
        out.bulk(encoding(e.value));
    }

    private static String encoding(Object value) {
        if (Strings.isString(value)) {
            return Strings.encoding(value);
        }
        if (value instanceof CollectionValue c) {
            return c.encoding();
        }
        throw new IllegalStateException("no encoding for " + ValueType.of(value));
    }

    /* OBJECT HELP
     * Lists only the subcommands Basalt implements (Redis also lists FREQ, IDLETIME, REFCOUNT). */
    private void objectHelp(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        out.array(OBJECT_HELP.length);
        for (String line : OBJECT_HELP) {
            out.simple(line);
        }
    }

    /** Keys gathered for a reply. */
    private static final class KeyList {
        byte[][] items = new byte[16][];
        int size;

        void add(byte[] key) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = key;
        }

        void writeArray(RespWriter out) {
            out.array(size);
            for (int i = 0; i < size; i++) {
                out.bulk(items[i]);
            }
        }
    }

    /** Entries gathered by a SCAN step, before filtering. */
    private static final class EntryList {
        Entry[] items = new Entry[16];
        int size;

        void add(Entry e) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = e;
        }
    }
}
