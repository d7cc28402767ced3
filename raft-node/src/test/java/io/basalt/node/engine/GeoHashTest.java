package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The geohash arithmetic against values a real redis-server 7.0.15 gave, and its invariants. */
class GeoHashTest {

    @Test
    void encodesAndDecodesRedisDocsExample() {
        // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania; ZRANGE ... WITHSCORES
        assertEquals(3479099956230698L, GeoHash.score(13.361389, 38.115556));
        assertEquals(3479447370796909L, GeoHash.score(15.087269, 37.502669));
        // GEOPOS: the centre of the step-26 cell
        double[] palermo = GeoHash.position(3479099956230698.0);
        assertEquals("13.36138933897018433", GeoCommands.humanText(palermo[0]));
        assertEquals("38.11555639549629859", GeoCommands.humanText(palermo[1]));
        assertEquals("sqc8b49rny0", GeoHash.standardHash(3479099956230698.0));
        assertEquals("sqdtr74hyu0", GeoHash.standardHash(3479447370796909.0));
        // GEODIST Sicily Palermo Catania [km]
        double[] catania = GeoHash.position(3479447370796909.0);
        double d = GeoShape.distance(palermo[0], palermo[1], catania[0], catania[1]);
        assertEquals("166274.1516", GeoCommands.distanceText(d));
        assertEquals("166.2742", GeoCommands.distanceText(d / 1000));
    }

    @Test
    void encodesTheLimitsAsRedis() {
        assertEquals(0L, GeoHash.score(-180, -85.05112878));
        assertEquals(3377699720527872L, GeoHash.score(0, 0));
        // At the maximum the offset is 2^26, one past the grid: Redis keeps the carry bit.
        assertEquals(13510798882111488L, GeoHash.score(180, 85.05112878));
        assertNull(GeoHash.encode(180.0000001, 0, 26));
        assertNull(GeoHash.encode(0, 85.06, 26));
        assertNull(GeoHash.encode(0, 86, 26, -90, 90)); // the index's latitude limit applies to GEOHASH too
    }

    @Test
    void decodedPositionsAreClampedToTheIndexRanges() {
        double[] ne = GeoHash.position(13510798882111488.0);
        assertEquals("180", GeoCommands.humanText(ne[0]));
        assertEquals("85.0511287799999991", GeoCommands.humanText(ne[1]));
    }

    @Test
    void truncatesScoresToUnsigned64AsX86() {
        assertEquals(-1L, GeoHash.toUnsigned64(-1.0));
        assertEquals(0L, GeoHash.toUnsigned64(1e20));
        assertEquals(0L, GeoHash.toUnsigned64(Double.POSITIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, GeoHash.toUnsigned64(Double.NEGATIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, GeoHash.toUnsigned64(9223372036854775808.0));
        assertEquals(Long.MIN_VALUE | 2048, GeoHash.toUnsigned64(9223372036854777856.0));
        assertEquals(3, GeoHash.toUnsigned64(3.9));
    }

    @Test
    void roundTripStaysInsideTheCell() {
        long seed = Seeds.seed("GeoHashTest.roundTripStaysInsideTheCell");
        SplittableRandom rnd = new SplittableRandom(seed);
        double lonCell = 360.0 / (1 << 26);
        double latCell = (2 * GeoHash.LAT_MAX) / (1 << 26);
        for (int i = 0; i < 100_000; i++) {
            double lon = rnd.nextDouble(-180, 180);
            double lat = rnd.nextDouble(-GeoHash.LAT_MAX, GeoHash.LAT_MAX);
            long score = GeoHash.score(lon, lat);
            assertTrue(score >= 0 && score < (1L << 52), "seed " + seed);
            double[] xy = GeoHash.position(score);
            assertTrue(Math.abs(xy[0] - lon) <= lonCell / 2 + 1e-12, "lon " + lon + " seed " + seed);
            assertTrue(Math.abs(xy[1] - lat) <= latCell / 2 + 1e-12, "lat " + lat + " seed " + seed);
            assertEquals(score, GeoHash.score(xy[0], xy[1]), "a cell centre encodes to its cell, seed " + seed);
        }
    }

    @Test
    void spreadAndSquashAreInverse() {
        long seed = Seeds.seed("GeoHashTest.spreadAndSquashAreInverse");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            long v = rnd.nextLong() & 0xFFFFFFFFL;
            long s = GeoHash.spread(v);
            assertEquals(0, s & 0xAAAAAAAAAAAAAAAAL, "seed " + seed);
            assertEquals(v, GeoHash.squash(s), "seed " + seed);
        }
    }

    @Test
    void neighboursWrapAroundTheGrid() {
        // Step 2: 4 x 4 cells. The cell at the east edge, second row: lon index 3, lat index 1.
        GeoHash.Cell c = new GeoHash.Cell(GeoHash.spread(1) | GeoHash.spread(3) << 1, 2);
        GeoHash.Cell[] nb = GeoHash.neighbours(c); // N, S, E, W, NE, NW, SE, SW
        assertEquals(cell(3, 2), nb[0]);
        assertEquals(cell(3, 0), nb[1]);
        assertEquals(cell(0, 1), nb[2]); // east of the antimeridian edge is the west edge
        assertEquals(cell(2, 1), nb[3]);
        assertEquals(cell(0, 2), nb[4]);
        assertEquals(cell(2, 2), nb[5]);
        assertEquals(cell(0, 0), nb[6]);
        assertEquals(cell(2, 0), nb[7]);
        GeoHash.Area a = GeoHash.decode(c);
        assertEquals(90.0, a.lonMin());
        assertEquals(180.0, a.lonMax());
    }

    private static GeoHash.Cell cell(int lon, int lat) {
        return new GeoHash.Cell(GeoHash.spread(lat) | GeoHash.spread(lon) << 1, 2);
    }

    @Test
    void estimatesStepsAsRedis() {
        assertEquals(26, GeoHash.estimateSteps(0, 0));
        assertEquals(6, GeoHash.estimateSteps(200_000, 37));
        assertEquals(5, GeoHash.estimateSteps(200_000, 70));
        assertEquals(4, GeoHash.estimateSteps(200_000, -81));
        assertEquals(1, GeoHash.estimateSteps(1e8, 0));
        assertEquals(26, GeoHash.estimateSteps(0.01, 0));
    }

    @Test
    void formatsLikePrintf() {
        assertEquals("-0.000000", GeoCommands.fixed(-0.0, 6));
        assertEquals("-0.000000", GeoCommands.fixed(-1e-9, 6));
        assertEquals("inf", GeoCommands.fixed(Double.POSITIVE_INFINITY, 6));
        assertEquals("0.1250", GeoCommands.fixed(0.125, 4));
        assertEquals("0.0001", GeoCommands.fixed(0.00015, 4)); // as glibc: 0.00015 is slightly below in binary
        assertEquals("0.0003", GeoCommands.fixed(0.00025, 4));
        assertEquals("2", GeoCommands.humanText(2.0));
        assertEquals("-0.5", GeoCommands.humanText(-0.5));
    }

    @Test
    void partialSortOrdersTheWantedRanks() {
        long seed = Seeds.seed("GeoHashTest.partialSortOrdersTheWantedRanks");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + rnd.nextInt(120);
            Integer[] a = new Integer[n];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextInt(1 + rnd.nextInt(n));
            }
            Integer[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = 1 + rnd.nextInt(n);
            PartialSort.sort(a, n, Comparator.naturalOrder(), 0, k - 1);
            assertArrayEquals(Arrays.copyOf(sorted, k), Arrays.copyOf(a, k), "n=" + n + " k=" + k + " seed " + seed);
            Integer[] all = a.clone();
            Arrays.sort(all);
            assertArrayEquals(sorted, all, "a permutation, seed " + seed);
        }
    }
}
