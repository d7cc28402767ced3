package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HyperLogLog commands (Redis's hyperloglog.c). An HLL is a string holding
 * {@link HyperLogLog}'s representation; commands that change it turn the value into a
 * {@link RawString} (Redis's {@code dbUnshareStringValue}) and edit its bytes in place.
 *
 * <p>PFCOUNT is a read here: unlike Redis it never stores the cardinality it computes in the
 * value's cache bytes (see the package documentation).
 */
final class HyperLogLogCommands extends CommandFamily {

    private static final String NO_SUCH_KEY = "ERR The specified key does not exist";
    private static final String NOT_SPARSE = "ERR HLL encoding is not sparse";
    /** Ours: Redis would build the text of any length. */
    private static final String DECODE_TOO_LONG = "ERR HLL value too long to decode";

    HyperLogLogCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("pfadd", this::pfadd);
        r.register("pfcount", this::pfcount);
        r.register("pfmerge", this::pfmerge);
        r.register("pfdebug", this::pfdebug);
    }

    /** A stored string's content without copying: {@code buf[0, len)}. */
    private record Content(byte[] buf, int len) {}

    /**
     * The entry's HLL content, or null after replying WRONGTYPE: Redis's generic one for a
     * non-string, its HLL-specific one for a string that is not an HLL (an int-encoded string
     * never is one).
     */
    private static Content hll(Entry e, RespWriter out) {
        if (!checkString(e, out)) {
            return null;
        }
        Content c = null;
        if (e.value instanceof byte[] b) {
            c = new Content(b, b.length);
        } else if (e.value instanceof RawString r) {
            c = new Content(r.buf, r.len);
        }
        if (c == null || !HyperLogLog.isValid(c.buf, c.len)) {
            out.error(EngineErrors.HLL_WRONGTYPE);
            return null;
        }
        return c;
    }

    /** The entry's value as a raw string to edit in place, stored back if it was not one. */
    private RawString writable(Entry e) {
        RawString raw = Strings.unshare(e.value);
        if (raw != e.value) {
            db.setValue(e, raw);
        }
        return raw;
    }

    /* PFADD key [element [element ...]] */
    private void pfadd(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        int updated = 0;
        if (e == null) {
            e = db.add(key, hash, HyperLogLog.create());
            updated++;
        } else if (hll(e, out) == null) {
            return;
        }
        RawString r = writable(e);
        long before = MemoryModel.value(r);
        boolean corrupted = false;
        for (int j = 2; j < argv.size() && !corrupted; j++) {
            int changed = HyperLogLog.add(r, argv.get(j), HyperLogLog.SPARSE_BYTES_MAX);
            corrupted = changed < 0;
            updated += Math.max(changed, 0);
        }
        // As Redis: registers changed before a corrupted opcode was met stay changed.
        if (updated > 0 && !corrupted) {
            HyperLogLog.invalidateCache(r.buf);
        }
        db.valueResized(e, before);
        if (corrupted) {
            out.error(EngineErrors.HLL_CORRUPTED);
        } else {
            replyBoolean(out, updated > 0);
        }
    }

    /* PFCOUNT key [key ...] */
    private void pfcount(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() > 2) {
            // Several keys: the count of their union, computed aside; no key is touched.
            byte[] max = new byte[HyperLogLog.REGISTERS];
            if (mergeAll(argv, ctx, max, out) < 0) {
                return;
            }
            out.integer(HyperLogLog.countRegisters(max));
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        if (e == null) {
            out.raw(ZERO);
            return;
        }
        Content c = hll(e, out);
        if (c == null) {
            return;
        }
        if (HyperLogLog.cacheValid(c.buf)) {
            out.integer(HyperLogLog.cachedCardinality(c.buf));
            return;
        }
        // Redis would store the result in the cache; a read must not change the value.
        long card = HyperLogLog.count(c.buf, c.len);
        if (card == HyperLogLog.CORRUPTED) {
            out.error(EngineErrors.HLL_CORRUPTED);
        } else {
            out.integer(card);
        }
    }

    /**
     * Folds the HLLs at argv[1..] into {@code max} (absent keys count as empty). Returns 1 when one
     * of them is dense, 0 when none is, -1 after replying an error.
     */
    private int mergeAll(List<byte[]> argv, ExecContext ctx, byte[] max, RespWriter out) {
        int dense = 0;
        for (int j = 1; j < argv.size(); j++) {
            Entry e = db.lookup(argv.get(j), ctx);
            if (e == null) {
                continue;
            }
            Content c = hll(e, out);
            if (c == null) {
                return -1;
            }
            if (!HyperLogLog.isSparse(c.buf)) {
                dense = 1;
            }
            if (!HyperLogLog.mergeInto(max, c.buf, c.len)) {
                out.error(EngineErrors.HLL_CORRUPTED);
                return -1;
            }
        }
        return dense;
    }

    /* PFMERGE destkey [sourcekey [sourcekey ...]] */
    private void pfmerge(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        int dense = mergeAll(argv, ctx, max, out); // destkey is argv[1]: it takes part in the union
        if (dense < 0) {
            return;
        }
        byte[] key = argv.get(1);
        int hash = db.hash(key);
        Entry e = db.lookup(key, hash, ctx);
        if (e == null) {
            e = db.add(key, hash, HyperLogLog.create());
        }
        RawString r = writable(e);
        long before = MemoryModel.value(r);
        // Dense as soon as one input is, as Redis, to skip growing a sparse value step by step.
        if (dense == 1 && !HyperLogLog.toDense(r)) {
            db.valueResized(e, before);
            out.error(EngineErrors.HLL_CORRUPTED);
            return;
        }
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] == 0) {
                continue;
            }
            if (HyperLogLog.isSparse(r.buf)) {
                HyperLogLog.sparseSet(r, j, max[j], HyperLogLog.SPARSE_BYTES_MAX);
            } else {
                HyperLogLog.denseSet(r.buf, j, max[j]);
            }
        }
        HyperLogLog.invalidateCache(r.buf);
        db.valueResized(e, before);
        out.raw(OK);
    }

    /* PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
    private void pfdebug(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] sub = argv.get(1);
        Entry e = db.lookup(argv.get(2), ctx);
        if (e == null) {
            out.error(NO_SUCH_KEY);
            return;
        }
        if (hll(e, out) == null) {
            return;
        }
        RawString r = writable(e); // Redis unshares before it looks at the subcommand
        if (Args.is(sub, "getreg")) {
            if (!toDense(e, r, out)) {
                return;
            }
            out.array(HyperLogLog.REGISTERS);
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                out.integer(HyperLogLog.denseGet(r.buf, HyperLogLog.HEADER_BYTES, j));
            }
        } else if (Args.is(sub, "decode")) {
            if (!HyperLogLog.isSparse(r.buf)) {
                out.error(NOT_SPARSE);
                return;
            }
            if (r.len > HyperLogLog.DECODE_BYTES_MAX) {
                out.error(DECODE_TOO_LONG);
                return;
            }
            out.bulk(HyperLogLog.decode(r.buf, r.len).getBytes(StandardCharsets.US_ASCII));
        } else if (Args.is(sub, "encoding")) {
            out.simple(HyperLogLog.isSparse(r.buf) ? "sparse" : "dense");
        } else if (Args.is(sub, "todense")) {
            boolean sparse = HyperLogLog.isSparse(r.buf);
            if (toDense(e, r, out)) {
                replyBoolean(out, sparse);
            }
        } else {
            EngineErrors.unknownPfdebugSubcommand(out, sub);
        }
    }

    /** Converts the entry's HLL to dense; false after replying that it is corrupted. */
    private boolean toDense(Entry e, RawString r, RespWriter out) {
        long before = MemoryModel.value(r);
        if (!HyperLogLog.toDense(r)) {
            out.error(EngineErrors.HLL_CORRUPTED);
            return false;
        }
        db.valueResized(e, before);
        return true;
    }
}
