package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import java.util.Arrays;
import java.util.List;

/**
 * LCS (Redis 7.0's lcsCommand in t_string.c): the same dynamic-programming table and the same
 * backtracking walk, so the same LCS string and the same match ranges as Redis, tie-breaks
 * included.
 *
 * <p>Redis keeps the whole (|a|+1) × (|b|+1) table of 32-bit cells, up to proto-max-bulk-len
 * (512 MiB) per command. Here the table is laid out along the longer string, only every K-th row
 * is kept (K ≈ √rows), and a block of K rows is recomputed from its checkpoint when the walk
 * reaches it: about 2·√rows rows of the shorter string's length, e.g. ~10 MB instead of 512 MB
 * at Redis's limit, for at most twice the CPU. A transient half-gigabyte allocation on the apply
 * path could take a replica down. The size check and its error stay Redis's, so replies match.
 */
final class LcsCommand extends CommandFamily {

    private static final byte[] EMPTY = new byte[0];

    private final long tableBytesMax;

    LcsCommand(Db db, long tableBytesMax) {
        super(db);
        this.tableBytesMax = tableBytesMax;
    }

    @Override
    void register(CommandRegistry r) {
        r.register("lcs", this::lcs);
    }

    /* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
    private void lcs(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Entry ea = db.lookup(argv.get(1), ctx);
        Entry eb = db.lookup(argv.get(2), ctx);
        if ((ea != null && !Strings.isString(ea.value)) || (eb != null && !Strings.isString(eb.value))) {
            out.error(EngineErrors.LCS_NOT_STRINGS);
            return;
        }
        byte[] a = ea == null ? EMPTY : Strings.bytes(ea.value);
        byte[] b = eb == null ? EMPTY : Strings.bytes(eb.value);
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.size(); j++) {
            byte[] opt = argv.get(j);
            boolean moreArgs = j < argv.size() - 1;
            if (Args.is(opt, "idx")) {
                getIdx = true;
            } else if (Args.is(opt, "len")) {
                getLen = true;
            } else if (Args.is(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(opt, "minmatchlen") && moreArgs) {
                if (!parseLong(argv.get(++j), out)) {
                    return;
                }
                minMatchLen = Math.max(0, parsed[0]);
            } else {
                out.error(ErrorReplies.SYNTAX);
                return;
            }
        }
        if (getIdx && getLen) {
            out.error(EngineErrors.LCS_LEN_AND_IDX);
            return;
        }
        if ((a.length + 1L) * (b.length + 1L) * Integer.BYTES > tableBytesMax) {
            out.error(EngineErrors.LCS_TABLE_TOO_BIG);
            return;
        }
        if (getLen) {
            out.integer(length(a, b));
            return;
        }
        walk(a, b, getIdx, withMatchLen, minMatchLen, out);
    }

    /** LCS length with two rows: LEN needs no walk. */
    private static int length(byte[] a, byte[] b) {
        byte[] x = a.length >= b.length ? a : b;
        byte[] y = x == a ? b : a;
        int[] prev = new int[y.length + 1];
        int[] cur = new int[y.length + 1];
        for (int r = 1; r <= x.length; r++) {
            Table.nextRow(x[r - 1], y, prev, cur);
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length];
    }

    /** Redis's backtracking walk from (|a|, |b|), building the LCS string and the match ranges. */
    private void walk(byte[] a, byte[] b, boolean getIdx, boolean withMatchLen, long minMatchLen, RespWriter out) {
        Table t = new Table(a, b);
        int alen = a.length;
        int blen = b.length;
        int idx = t.total;
        byte[] result = new byte[idx];
        int[] ranges = new int[0];
        int rangeCount = 0;
        int aStart = alen; // alen: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                t.load(i, j);
                if (t.cell(i - 1, j) > t.cell(i, j - 1)) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1L;
                if (getIdx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    if (ranges.length < (rangeCount + 1) * 5) {
                        ranges = Arrays.copyOf(ranges, Math.max(20, ranges.length * 2));
                    }
                    int at = rangeCount++ * 5;
                    ranges[at] = aStart;
                    ranges[at + 1] = aEnd;
                    ranges[at + 2] = bStart;
                    ranges[at + 3] = bEnd;
                    ranges[at + 4] = (int) matchLen;
                }
                aStart = alen;
            }
        }
        if (!getIdx) {
            out.bulk(result);
            return;
        }
        out.map(2);
        out.bulk("matches");
        out.array(rangeCount);
        for (int k = 0; k < rangeCount; k++) {
            int at = k * 5;
            out.array(withMatchLen ? 3 : 2);
            out.array(2).integer(ranges[at]).integer(ranges[at + 1]);
            out.array(2).integer(ranges[at + 2]).integer(ranges[at + 3]);
            if (withMatchLen) {
                out.integer(ranges[at + 4]);
            }
        }
        out.bulk("len");
        out.integer(t.total);
    }

    /**
     * The LCS table, cell(i, j) = LCS length of a[0, i) and b[0, j), stored by rows along the
     * longer string x (row r = prefix x[0, r)) with the shorter string y across. Keeps every K-th
     * row and one recomputed block of K + 1 rows; {@link #load} makes the two rows a walk step
     * reads present. Rows only decrease during the walk, so each block is computed once.
     */
    private static final class Table {
        private final byte[] x;
        private final byte[] y;
        private final boolean transposed;
        private final int k;
        private final int[][] checkpoints;
        private final int[][] block;
        private int blockBase = -1;
        final int total;

        Table(byte[] a, byte[] b) {
            transposed = a.length < b.length;
            x = transposed ? b : a;
            y = transposed ? a : b;
            k = Math.max(1, (int) Math.ceil(Math.sqrt(x.length + 1.0)));
            checkpoints = new int[x.length / k + 1][];
            block = new int[k + 1][y.length + 1];
            int[] prev = new int[y.length + 1];
            int[] cur = new int[y.length + 1];
            checkpoints[0] = prev.clone();
            for (int r = 1; r <= x.length; r++) {
                nextRow(x[r - 1], y, prev, cur);
                if (r % k == 0) {
                    checkpoints[r / k] = cur.clone();
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            total = prev[y.length];
        }

        /** Computes row r (into cur) from row r - 1 (prev); c is x[r - 1]. */
        static void nextRow(byte c, byte[] y, int[] prev, int[] cur) {
            cur[0] = 0;
            for (int col = 1; col <= y.length; col++) {
                cur[col] = c == y[col - 1] ? prev[col - 1] + 1 : Math.max(prev[col], cur[col - 1]);
            }
        }

        /** Makes cell(i - 1, j) and cell(i, j - 1) readable (i, j >= 1). */
        void load(int i, int j) {
            int high = transposed ? j : i;
            if (blockBase >= 0 && high - 1 >= blockBase && high <= blockBase + k) {
                return;
            }
            blockBase = ((high - 1) / k) * k;
            System.arraycopy(checkpoints[blockBase / k], 0, block[0], 0, y.length + 1);
            int last = Math.min(blockBase + k, x.length);
            for (int r = blockBase + 1; r <= last; r++) {
                nextRow(x[r - 1], y, block[r - blockBase - 1], block[r - blockBase]);
            }
        }

        int cell(int i, int j) {
            return transposed ? block[j - blockBase][i] : block[i - blockBase][j];
        }
    }
}
