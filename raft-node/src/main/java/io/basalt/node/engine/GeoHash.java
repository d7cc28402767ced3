package io.basalt.node.engine;

/**
 * Redis's geohash (geohash.c, geohash_helper.c): a point is a cell of a grid that halves the
 * longitude and latitude ranges {@code step} times; the cell's number interleaves the latitude
 * bits (even positions) with the longitude bits (odd positions), so the longitude's top bit is
 * the number's top bit. A geo index stores each member at step 26 as a 52-bit integer score,
 * which fits a double exactly; numerically close scores are close on the map, which is what
 * makes a radius search a handful of score ranges.
 *
 * <p>The arithmetic is Redis's operation for operation (the same IEEE double operations in the
 * same order, C's double → integer truncations), so scores, decoded positions and search cells
 * are bit-identical to Redis's.
 */
final class GeoHash {

    private GeoHash() {}

    static final double LON_MIN = -180;
    static final double LON_MAX = 180;
    /** The Web Mercator limits (EPSG:3857): Redis cannot index points nearer the poles. */
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    /** The standard geohash's latitude range, which GEOHASH re-encodes to. */
    static final double STANDARD_LAT_MIN = -90;
    static final double STANDARD_LAT_MAX = 90;
    /** Bits per coordinate of a stored score: 52 bits in all, exact in a double. */
    static final int STEP_MAX = 26;
    /** Redis's MERCATOR_MAX, meters: half the Earth's circumference on the Mercator plane. */
    private static final double MERCATOR_MAX = 20037726.37;
    private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

    /** A cell: {@code 2 × step} interleaved bits. Step 0 with bits 0 is "no cell" (Redis's GZERO). */
    record Cell(long bits, int step) {
        static final Cell NONE = new Cell(0, 0);

        boolean isNone() {
            return bits == 0 && step == 0;
        }

        /** The scores [min, max) of the step-26 points inside this cell (scoresOfGeoHashBox). */
        long minScore() {
            return bits << (52 - step * 2);
        }

        long maxScore() {
            return (bits + 1) << (52 - step * 2);
        }
    }

    /** A cell's extent in degrees. */
    record Area(double lonMin, double lonMax, double latMin, double latMax) {}

    /**
     * The cell of (lon, lat) at {@code step} over the given latitude range (longitude is always
     * ±180), or null where Redis's geohashEncode fails: outside ±180 / ±85.05112878 or the range.
     */
    static Cell encode(double lon, double lat, int step, double latMin, double latMax) {
        if (lon > 180 || lon < -180 || lat > LAT_MAX || lat < LAT_MIN) {
            return null;
        }
        if (lat < latMin || lat > latMax) {
            return null;
        }
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - LON_MIN) / (LON_MAX - LON_MIN);
        latOffset *= (double) (1L << step);
        lonOffset *= (double) (1L << step);
        // C converts each to uint32_t by truncation; both are within [0, 2^26] here.
        return new Cell(spread((long) latOffset) | spread((long) lonOffset) << 1, step);
    }

    /** The cell of a valid WGS84 point at {@code step} (the index's ranges). */
    static Cell encode(double lon, double lat, int step) {
        return encode(lon, lat, step, LAT_MIN, LAT_MAX);
    }

    /** The score GEOADD stores for a valid point. */
    static long score(double lon, double lat) {
        return encode(lon, lat, STEP_MAX).bits;
    }

    /** The extent of a cell over the index's ranges (geohashDecode). */
    static Area decode(Cell cell) {
        return decode(cell.bits, cell.step, LAT_MIN, LAT_MAX);
    }

    private static Area decode(long bits, int step, double latMin, double latMax) {
        long lat = squash(bits);
        long lon = squash(bits >>> 1);
        double latScale = latMax - latMin;
        double lonScale = LON_MAX - LON_MIN;
        double cells = (double) (1L << step);
        // (ilato + 1) is uint32 arithmetic in C: it wraps to 0 for 0xffffffff.
        long latNext = (lat + 1) & 0xFFFFFFFFL;
        long lonNext = (lon + 1) & 0xFFFFFFFFL;
        return new Area(
            LON_MIN + (lon * 1.0 / cells) * lonScale, LON_MIN + (lonNext * 1.0 / cells) * lonScale,
            latMin + (lat * 1.0 / cells) * latScale, latMin + (latNext * 1.0 / cells) * latScale);
    }

    /**
     * The position of a stored score: the centre of its step-26 cell, clamped to the index's
     * ranges, as [lon, lat] (decodeGeohash). Any score decodes: Redis truncates the double to
     * an unsigned 64-bit integer first, and so does this, x86-64 style.
     */
    static double[] position(double score) {
        Area a = decode(toUnsigned64(score), STEP_MAX, LAT_MIN, LAT_MAX);
        double lon = (a.lonMin + a.lonMax) / 2;
        double lat = (a.latMin + a.latMax) / 2;
        lon = Math.min(Math.max(lon, LON_MIN), LON_MAX);
        lat = Math.min(Math.max(lat, LAT_MIN), LAT_MAX);
        return new double[] {lon, lat};
    }

    /**
     * C's {@code (uint64_t) d} as gcc compiles it for x86-64: below 2^63 a signed truncation
     * (0x8000000000000000 when out of range), from 2^63 a truncation of d - 2^63 with the top bit
     * flipped. Only a score that no GEOADD wrote can be negative or that large.
     */
    static long toUnsigned64(double d) {
        final double twoTo63 = 9223372036854775808.0;
        if (d < twoTo63) {
            return d < -twoTo63 ? Long.MIN_VALUE : (long) d;
        }
        double rest = d - twoTo63;
        long truncated = rest < twoTo63 ? (long) rest : Long.MIN_VALUE;
        return truncated ^ Long.MIN_VALUE;
    }

    /** GEOHASH's 11-character standard geohash of a stored score (the 11th char is always '0'). */
    static String standardHash(double score) {
        double[] xy = position(score);
        Cell c = encode(xy[0], xy[1], STEP_MAX, STANDARD_LAT_MIN, STANDARD_LAT_MAX);
        long bits = c == null ? 0 : c.bits;
        char[] out = new char[11];
        for (int i = 0; i < 10; i++) {
            out[i] = BASE32[(int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f)];
        }
        out[10] = BASE32[0];
        return new String(out);
    }

    // ---- neighbours ------------------------------------------------------------------------

    /** The 8 neighbours in Redis's order: N, S, E, W, NE, NW, SE, SW (wrapping around the grid). */
    static Cell[] neighbours(Cell c) {
        return new Cell[] {
            move(c, 0, 1), move(c, 0, -1), move(c, 1, 0), move(c, -1, 0),
            move(c, 1, 1), move(c, -1, 1), move(c, 1, -1), move(c, -1, -1),
        };
    }

    private static Cell move(Cell c, int dx, int dy) {
        long bits = moveX(c.bits, c.step, dx);
        return new Cell(moveY(bits, c.step, dy), c.step);
    }

    /** Adds dx to the longitude bits (odd positions), carrying through the gaps, modulo the grid. */
    private static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    /** Adds dy to the latitude bits (even positions), modulo the grid. */
    private static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    /**
     * The step whose cells are about as large as the search radius, so that the 9 cells around
     * the centre cover it; coarser towards the poles where cells narrow
     * (geohashEstimateStepsByRadius).
     */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    // ---- bit interleaving ------------------------------------------------------------------

    /** The low 32 bits of v moved to the even bit positions. */
    static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** The even bits of v gathered into the low 32 bits (the inverse of {@link #spread}). */
    static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }
}
