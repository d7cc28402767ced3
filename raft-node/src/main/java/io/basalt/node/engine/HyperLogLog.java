package io.basalt.node.engine;

import java.util.Arrays;

/**
 * Redis's HyperLogLog representation (hyperloglog.c), byte for byte, over a string's bytes, so
 * that GET, SET, APPEND and the rest see exactly what redis-server stores.
 *
 * <pre>
 * header (16 bytes): "HYLL" | encoding (0 dense, 1 sparse) | 3 unused | cached cardinality,
 *                    8 bytes little endian; bit 7 of the last byte set = cache invalid
 * dense:  16384 registers of 6 bits, register i at bit 6*i, least significant bits first
 * sparse: opcodes ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx yyyyyyyy (1..16384),
 *         VAL 1vvvvvxx (1..4 registers of value 1..32)
 * </pre>
 *
 * An element's 64-bit MurmurHash64A (seed 0xadc83b19) picks the register with its low 14 bits;
 * the register keeps the longest run, plus one, of zero bits seen from bit 14 up. The estimate is
 * the one Redis 7 uses (Ertl, "New cardinality estimation algorithms for HyperLogLog sketches").
 *
 * <p>Reading past the end of the content yields 0, as Redis reads the terminating NUL of its sds
 * string; a few corrupted values rely on that.
 */
final class HyperLogLog {
    private HyperLogLog() {}

    static final int INDEX_BITS = 14;
    static final int REGISTERS = 1 << INDEX_BITS;
    /** Bits of the hash left after the index: a register holds a run length of at most 51. */
    static final int RUN_BITS = 64 - INDEX_BITS;
    static final int REGISTER_BITS = 6;
    static final int REGISTER_MAX = (1 << REGISTER_BITS) - 1;
    static final int HEADER_BYTES = 16;
    static final int DENSE_BYTES = HEADER_BYTES + (REGISTERS * REGISTER_BITS + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    static final int ENCODING_AT = 4;
    private static final int CACHE_AT = 8;
    /** What {@link #count} answers for a sparse value whose opcodes do not cover the registers. */
    static final long CORRUPTED = -1;
    /** The longest value PFDEBUG DECODE spells out (a sparse value PFADD made is at most 3000 bytes). */
    static final int DECODE_BYTES_MAX = 1 << 20;
    /** Redis's hll-sparse-max-bytes default; past it a sparse value turns dense. */
    static final int SPARSE_BYTES_MAX = 3000;

    private static final int VAL_VALUE_MAX = 32;
    private static final int VAL_LEN_MAX = 4;
    private static final int ZERO_LEN_MAX = 64;
    private static final int XZERO_LEN_MAX = 16384;
    private static final long SEED = 0xadc83b19L;
    /** 0.5 / ln(2), the estimator's alpha for an infinite number of registers. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    // ---- the value as a whole ----------------------------------------------------------------

    /** A new, empty HLL as PFADD creates it: sparse, one XZERO of all registers, cache valid at 0. */
    static RawString create() {
        byte[] b = new byte[HEADER_BYTES + 2];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[ENCODING_AT] = SPARSE;
        putXzero(b, HEADER_BYTES, REGISTERS);
        return new RawString(b, b.length);
    }

    /** Redis's isHLLObjectOrReply on a string's content: magic, a known encoding, dense size. */
    static boolean isValid(byte[] b, int len) {
        if (len < HEADER_BYTES || b[0] != 'H' || b[1] != 'Y' || b[2] != 'L' || b[3] != 'L') {
            return false;
        }
        int encoding = b[ENCODING_AT] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && len == DENSE_BYTES);
    }

    static boolean isSparse(byte[] b) {
        return b[ENCODING_AT] == SPARSE;
    }

    static boolean cacheValid(byte[] b) {
        return (b[CACHE_AT + 7] & 0x80) == 0;
    }

    static long cachedCardinality(byte[] b) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (b[CACHE_AT + i] & 0xff);
        }
        return card;
    }

    static void invalidateCache(byte[] b) {
        b[CACHE_AT + 7] |= (byte) 0x80;
    }

    // ---- hashing -----------------------------------------------------------------------------

    /** MurmurHash64A as Redis has it (little-endian 8-byte blocks). */
    static long murmur64a(byte[] key) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = SEED ^ (len * m);
        int blocks = len - (len & 7);
        for (int i = 0; i < blocks; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (key[i + j] & 0xffL);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = len & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (key[blocks + j] & 0xffL) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** The register an element lands in. */
    static int registerOf(long hash) {
        return (int) (hash & (REGISTERS - 1));
    }

    /** The value the element offers its register: 1 + the zero bits above the index, at most 51. */
    static int runOf(long hash) {
        return Long.numberOfTrailingZeros((hash >>> INDEX_BITS) | (1L << RUN_BITS)) + 1;
    }

    // ---- dense registers (6-bit fields, our own bitfield helpers) --------------------------------

    /** Register {@code reg} of the dense registers that start at {@code b[from]}. */
    static int denseGet(byte[] b, int from, int reg) {
        int bit = reg * REGISTER_BITS;
        int at = from + (bit >>> 3);
        int shift = bit & 7;
        int lo = b[at] & 0xff;
        int hi = at + 1 < b.length ? b[at + 1] & 0xff : 0;
        return ((lo >>> shift) | (hi << (8 - shift))) & REGISTER_MAX;
    }

    static void densePut(byte[] b, int from, int reg, int value) {
        int bit = reg * REGISTER_BITS;
        int at = from + (bit >>> 3);
        int shift = bit & 7;
        b[at] = (byte) ((b[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 8 - REGISTER_BITS) { // the field crosses into the next byte
            int spill = 8 - shift;
            b[at + 1] = (byte) ((b[at + 1] & ~(REGISTER_MAX >>> spill)) | (value >>> spill));
        }
    }

    /** Raises a dense register to {@code run}; true when it changed (Redis's hllDenseSet). */
    static boolean denseSet(byte[] b, int reg, int run) {
        if (run <= denseGet(b, HEADER_BYTES, reg)) {
            return false;
        }
        densePut(b, HEADER_BYTES, reg, run);
        return true;
    }

    // ---- sparse opcodes ----------------------------------------------------------------------

    private static int at(byte[] b, int len, int i) {
        return i < len ? b[i] & 0xff : 0;
    }

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int valValue(int op) {
        return ((op >>> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 3) + 1;
    }

    private static int xzeroLen(int op, int next) {
        return (((op & 0x3f) << 8) | next) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    private static void putXzero(byte[] b, int p, int len) {
        b[p] = (byte) (0x40 | ((len - 1) >>> 8));
        b[p + 1] = (byte) (len - 1);
    }

    /**
     * Redis's hllSparseToDense: the registers of a sparse value in the dense form, header (cache
     * included) kept. Returns false, changing nothing, when the opcodes do not cover exactly the
     * 16384 registers. A no-op on a dense value.
     */
    static boolean toDense(RawString r) {
        byte[] b = r.buf;
        if (b[ENCODING_AT] == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_BYTES];
        System.arraycopy(b, 0, dense, 0, HEADER_BYTES);
        dense[ENCODING_AT] = DENSE;
        int end = r.len;
        long reg = 0;
        for (int p = HEADER_BYTES; p < end && reg <= REGISTERS; ) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                reg += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                reg += xzeroLen(op, at(b, end, p + 1));
                p += 2;
            } else {
                int run = valLen(op);
                if (reg + run > REGISTERS) {
                    break;
                }
                for (int i = 0; i < run; i++) {
                    densePut(dense, HEADER_BYTES, (int) reg++, valValue(op));
                }
                p++;
            }
        }
        if (reg != REGISTERS) {
            return false;
        }
        r.buf = dense;
        r.len = DENSE_BYTES;
        return true;
    }

    /**
     * Redis's hllSparseSet: raises register {@code reg} of a sparse value to {@code run}, splitting
     * the opcode that covers it and merging equal neighbours after, in place. Promotes the value to
     * dense when {@code run} exceeds what VAL holds or the value would pass {@code sparseBytesMax}.
     * Returns 1 when the register changed, 0 when not, -1 when the value is corrupted.
     */
    static int sparseSet(RawString r, int reg, int run, int sparseBytesMax) {
        if (run > VAL_VALUE_MAX) {
            return promote(r, reg, run);
        }
        if (r.buf.length < r.len + 8) { // room for the worst split (XZERO -> XZERO VAL XZERO)
            r.buf = Arrays.copyOf(r.buf, Math.max(r.len * 2, r.len + 8));
        }
        byte[] b = r.buf;
        int end = r.len;
        // Step 1: find the opcode covering the register.
        int p = HEADER_BYTES;
        int prev = -1;
        long first = 0;
        long span = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            int opLen = 1;
            if (isZero(op)) {
                span = (op & 0x3f) + 1;
            } else if (!isXzero(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(op, at(b, end, p + 1));
                opLen = 2;
            }
            if (reg <= first + span - 1) {
                break;
            }
            prev = p;
            p += opLen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = b[p] & 0xff;
        int next = isXzero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = isZero(op);
        boolean xzero = isXzero(op);
        // Step 2: the trivial cases, updated in place.
        if (!zero && !xzero) {
            if (valValue(op) >= run) {
                return 0;
            }
            if (valLen(op) == 1) {
                b[p] = val(run, 1);
                return merged(r, prev, end);
            }
        }
        if (zero && span == 1) {
            b[p] = val(run, 1);
            return merged(r, prev, end);
        }
        // Step 3: split the opcode into up to three: before, the register, after.
        byte[] seq = new byte[5];
        int n = split(seq, op, (int) first, (int) (first + span - 1), reg, run);
        int delta = n - (xzero ? 2 : 1);
        if (delta > 0 && (long) r.len + delta > sparseBytesMax) {
            return promote(r, reg, run);
        }
        if (delta != 0 && next >= 0) {
            System.arraycopy(b, next, b, next + delta, end - next);
        }
        r.len += delta;
        System.arraycopy(seq, 0, b, p, n);
        return merged(r, prev, end + delta);
    }

    /**
     * The opcodes that replace {@code op}, which covers registers first..last, once register
     * {@code reg} holds {@code run}: the zeros or VAL run before it, a VAL for it, the run after.
     * Returns their length in {@code seq}, at most 5 bytes (XZERO VAL XZERO).
     */
    private static int split(byte[] seq, int op, int first, int last, int reg, int run) {
        int n = 0;
        if (isZero(op) || isXzero(op)) {
            if (reg != first) {
                n = putZeros(seq, n, reg - first);
            }
            seq[n++] = val(run, 1);
            if (reg != last) {
                n = putZeros(seq, n, last - reg);
            }
            return n;
        }
        int current = valValue(op);
        if (reg != first) {
            seq[n++] = val(current, reg - first);
        }
        seq[n++] = val(run, 1);
        if (reg != last) {
            seq[n++] = val(current, last - reg);
        }
        return n;
    }

    /** ZERO or XZERO for a run of zero registers at seq[n]; the new n. */
    private static int putZeros(byte[] seq, int n, int len) {
        if (len > ZERO_LEN_MAX) {
            putXzero(seq, n, len);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    /**
     * Step 4 of hllSparseSet: merges adjacent VALs of one value (up to 4 registers each), looking
     * at no more than 5 opcodes from the one before the change; invalidates the cache. Returns 1.
     */
    private static int merged(RawString r, int prev, int end) {
        byte[] b = r.buf;
        int p = prev >= 0 ? prev : HEADER_BYTES;
        int scan = 5;
        while (p < end && scan-- != 0) {
            int op = b[p] & 0xff;
            if (isXzero(op)) {
                p += 2;
                continue;
            }
            if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < end && (b[p + 1] & 0x80) != 0) {
                int nextOp = b[p + 1] & 0xff;
                int len = valLen(op) + valLen(nextOp);
                if (valValue(op) == valValue(nextOp) && len <= VAL_LEN_MAX) {
                    b[p + 1] = val(valValue(op), len);
                    System.arraycopy(b, p + 1, b, p, end - p - 1);
                    r.len--;
                    end--;
                    continue; // the merged opcode may merge with the one after it too
                }
            }
            p++;
        }
        invalidateCache(b);
        return 1;
    }

    /** Converts to dense and sets the register there (Redis's promote label). */
    private static int promote(RawString r, int reg, int run) {
        if (!toDense(r)) {
            return -1;
        }
        return denseSet(r.buf, reg, run) ? 1 : 0;
    }

    /** Redis's hllAdd: 1 when a register changed, 0 when not, -1 when the value is corrupted. */
    static int add(RawString r, byte[] element, int sparseBytesMax) {
        long hash = murmur64a(element);
        int reg = registerOf(hash);
        int run = runOf(hash);
        if (r.buf[ENCODING_AT] == DENSE) {
            return denseSet(r.buf, reg, run) ? 1 : 0;
        }
        return sparseSet(r, reg, run, sparseBytesMax);
    }

    // ---- union and estimate ------------------------------------------------------------------

    /**
     * Redis's hllMerge: max[i] = max(max[i], register i) for a valid value's content. False when a
     * sparse value's opcodes do not cover exactly the 16384 registers.
     */
    static boolean mergeInto(byte[] max, byte[] b, int len) {
        if (b[ENCODING_AT] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = (byte) Math.max(max[i], denseGet(b, HEADER_BYTES, i));
            }
            return true;
        }
        long reg = 0;
        for (int p = HEADER_BYTES; p < len && reg <= REGISTERS; ) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                reg += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                reg += xzeroLen(op, at(b, len, p + 1));
                p += 2;
            } else {
                int run = valLen(op);
                if (reg + run > REGISTERS) {
                    break;
                }
                for (int i = 0; i < run; i++, reg++) {
                    max[(int) reg] = (byte) Math.max(max[(int) reg], valValue(op));
                }
                p++;
            }
        }
        return reg == REGISTERS;
    }

    /**
     * The cardinality estimate of a valid value, ignoring its cache (Redis's hllCount), or
     * {@link #CORRUPTED} when
     * a sparse value's opcodes do not cover exactly the 16384 registers.
     */
    static long count(byte[] b, int len) {
        long[] histogram = new long[64];
        if (b[ENCODING_AT] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseGet(b, HEADER_BYTES, i)]++;
            }
            return estimate(histogram);
        }
        long reg = 0;
        for (int p = HEADER_BYTES; p < len; ) {
            int op = b[p] & 0xff;
            long run;
            int value = 0;
            if (isZero(op)) {
                run = (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                run = xzeroLen(op, at(b, len, p + 1));
                p += 2;
            } else {
                run = valLen(op);
                value = valValue(op);
                p++;
            }
            reg += run;
            histogram[value] += run;
        }
        return reg == REGISTERS ? estimate(histogram) : CORRUPTED;
    }

    /** The estimate of one register per byte (PFCOUNT of several keys). */
    static long countRegisters(byte[] registers) {
        long[] histogram = new long[64];
        for (byte v : registers) {
            histogram[v]++;
        }
        return estimate(histogram);
    }

    /** Ertl's improved estimator from the histogram of register values, rounded as llroundl. */
    static long estimate(long[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[RUN_BITS + 1]) / m);
        for (int j = RUN_BITS; j >= 1; j--) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        double e = ALPHA_INF * m * m / z;
        if (!(e < 0x1p63)) {
            return Long.MIN_VALUE; // llroundl out of range on x86-64 (all registers at 51: z = 0)
        }
        double whole = Math.floor(e);
        return (long) (e - whole >= 0.5 ? whole + 1 : whole); // half away from zero; e >= 0
    }

    /** PFDEBUG DECODE's text: "z:len", "Z:len" and "v:value,len" for each opcode. */
    static String decode(byte[] b, int len) {
        StringBuilder s = new StringBuilder();
        for (int p = HEADER_BYTES; p < len; ) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                s.append("z:").append((op & 0x3f) + 1);
                p++;
            } else if (isXzero(op)) {
                s.append("Z:").append(xzeroLen(op, at(b, len, p + 1)));
                p += 2;
            } else {
                s.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
            s.append(' ');
        }
        return s.toString().strip();
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double before;
        do {
            x *= x;
            before = z;
            z += x * y;
            y += y;
        } while (before != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double before;
        do {
            x = Math.sqrt(x);
            before = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (before != z);
        return z / 3;
    }
}
