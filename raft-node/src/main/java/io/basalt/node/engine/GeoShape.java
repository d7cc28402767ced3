package io.basalt.node.engine;

/**
 * A geo search area (Redis's GeoShape): a circle of {@code radius}, or an axis-aligned box of
 * {@code width × height}, around (lon, lat), the sizes in the unit whose length in meters is
 * {@code toMeters}. Also Redis's distance functions (geohash_helper.c) and the choice of the 9
 * cells that cover the area.
 *
 * <p>Trigonometry is {@link StrictMath} (fdlibm): the same bits on every JVM and CPU, which a
 * replicated engine needs; Redis uses glibc's libm, whose results can differ in the last bit, so
 * a distance can in rare cases differ from Redis's in its 4th decimal or fall on the other side
 * of a radius that passes exactly through a point.
 */
final class GeoShape {

    /** Redis's EARTH_RADIUS_IN_METERS: the quadratic mean radius of WGS-84. */
    static final double EARTH_RADIUS_M = 6372797.560856;
    /** Redis's D_R: degrees to radians, folded as C folds M_PI / 180.0. */
    private static final double D_R = Math.PI / 180.0;

    final boolean circle;
    double lon;
    double lat;
    double radius;
    double width;
    double height;
    double toMeters;

    private GeoShape(boolean circle) {
        this.circle = circle;
    }

    static GeoShape circle(double radius, double toMeters) {
        GeoShape s = new GeoShape(true);
        s.radius = radius;
        s.toMeters = toMeters;
        return s;
    }

    static GeoShape box(double width, double height, double toMeters) {
        GeoShape s = new GeoShape(false);
        s.width = width;
        s.height = height;
        s.toMeters = toMeters;
        return s;
    }

    private static double degRad(double ang) {
        return ang * D_R;
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    /** Great-circle distance in meters by the haversine formula, as Redis 7.0 computes it. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lat1r = degRad(lat1d);
        double lon1r = degRad(lon1d);
        double lat2r = degRad(lat2d);
        double lon2r = degRad(lon2d);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double v = StrictMath.sin((lon2r - lon1r) / 2);
        return 2.0 * EARTH_RADIUS_M
            * StrictMath.asin(Math.sqrt(u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v));
    }

    /**
     * The distance in meters from the centre to (x, y) when the point is inside the shape, else
     * -1 (geoWithinShape). A box contains a point whose east-west distance along the point's
     * parallel and north-south distance along its meridian are within half the box's sides.
     */
    double distanceIfWithin(double x, double y) {
        if (circle) {
            double d = distance(lon, lat, x, y);
            return d > radius * toMeters ? -1 : d;
        }
        double widthM = width * toMeters;
        double heightM = height * toMeters;
        double lonDistance = distance(x, y, lon, y);
        double latDistance = distance(x, y, x, lat);
        if (lonDistance > widthM / 2 || latDistance > heightM / 2) {
            return -1;
        }
        return distance(lon, lat, x, y);
    }

    /**
     * [lonMin, latMin, lonMax, latMax] of the area (geohashBoundingBox): the longitude span is
     * taken at the edge nearer the pole, where a degree is shortest.
     */
    double[] boundingBox() {
        double h = toMeters * (circle ? radius : height / 2);
        double w = toMeters * (circle ? radius : width / 2);
        double latDelta = radDeg(h / EARTH_RADIUS_M);
        double lonDeltaTop = radDeg(w / EARTH_RADIUS_M / StrictMath.cos(degRad(lat + latDelta)));
        double lonDeltaBottom = radDeg(w / EARTH_RADIUS_M / StrictMath.cos(degRad(lat - latDelta)));
        boolean southern = lat < 0;
        return new double[] {
            southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
            lat - latDelta,
            southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
            lat + latDelta,
        };
    }

    /**
     * The cells to scan, in Redis's order: the centre's cell, then N, S, E, W, NE, NW, SE, SW,
     * {@link GeoHash.Cell#NONE} for a neighbour the area cannot reach
     * (geohashCalculateAreasByShapeWGS84).
     */
    GeoHash.Cell[] cells() {
        double[] b = boundingBox();
        double minLon = b[0];
        double minLat = b[1];
        double maxLon = b[2];
        double maxLat = b[3];
        double radiusM = circle ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        radiusM *= toMeters;
        int steps = GeoHash.estimateSteps(radiusM, lat);
        GeoHash.Cell hash = GeoHash.encode(lon, lat, steps);
        GeoHash.Cell[] nb = GeoHash.neighbours(hash);
        // Near a cell's edge the estimated step can be too fine for the 9 cells to cover the area.
        GeoHash.Area north = GeoHash.decode(nb[0]);
        GeoHash.Area south = GeoHash.decode(nb[1]);
        GeoHash.Area east = GeoHash.decode(nb[2]);
        GeoHash.Area west = GeoHash.decode(nb[3]);
        boolean decrease = north.latMax() < maxLat || south.latMin() > minLat
            || east.lonMax() < maxLon || west.lonMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encode(lon, lat, steps);
            nb = GeoHash.neighbours(hash);
        }
        GeoHash.Area area = GeoHash.decode(hash);
        if (steps >= 2) {
            if (area.latMin() < minLat) {
                drop(nb, 1, 6, 7); // S, SE, SW
            }
            if (area.latMax() > maxLat) {
                drop(nb, 0, 4, 5); // N, NE, NW
            }
            if (area.lonMin() < minLon) {
                drop(nb, 3, 7, 5); // W, SW, NW
            }
            if (area.lonMax() > maxLon) {
                drop(nb, 2, 6, 4); // E, SE, NE
            }
        }
        GeoHash.Cell[] all = new GeoHash.Cell[9];
        all[0] = hash;
        System.arraycopy(nb, 0, all, 1, 8);
        return all;
    }

    private static void drop(GeoHash.Cell[] cells, int a, int b, int c) {
        cells[a] = GeoHash.Cell.NONE;
        cells[b] = GeoHash.Cell.NONE;
        cells[c] = GeoHash.Cell.NONE;
    }
}
