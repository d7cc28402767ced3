package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The geo commands (Redis's geo.c) that read or write single points: GEOADD, GEODIST, GEOHASH,
 * GEOPOS. A geo index is a plain sorted set whose scores are {@link GeoHash} cells, so every
 * sorted-set command works on it, and GEOADD is ZADD with the coordinates turned into scores
 * (Redis rewrites the command and calls zaddCommand; this calls the ZADD handler). The searches
 * (GEORADIUS*, GEOSEARCH*) are in {@link GeoSearch}.
 *
 * <p>Reply formats are Redis's: a distance is a bulk string with 4 decimals ("%.4f") in both
 * protocols; a coordinate is a RESP3 double printed as a long double with 17 decimals and no
 * trailing zeros (addReplyHumanLongDouble), a bulk string in RESP2.
 */
final class GeoCommands extends ZSetFamily {

    static final String INVALID_PAIR = "ERR invalid longitude,latitude pair %s,%s";
    static final String UNSUPPORTED_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    private static final byte[] ZADD = "zadd".getBytes(StandardCharsets.US_ASCII);

    private final StrtoD strtod = new StrtoD();
    private Handler zadd;

    GeoCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        CommandRegistry.Command z = r.lookup(ZADD);
        if (z == null || z.handler == null) {
            throw new IllegalStateException("GeoCommands must be registered after SortedSetCommands (GEOADD is ZADD)");
        }
        zadd = z.handler;
        r.register("geoadd", this::geoadd);
        r.register("geodist", this::geodist);
        r.register("geohash", this::geohash);
        r.register("geopos", this::geopos);
    }

    /* GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...] */
    private void geoadd(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        boolean nx = false;
        boolean xx = false;
        int lonIdx = 2;
        for (; lonIdx < argv.size(); lonIdx++) {
            byte[] o = argv.get(lonIdx);
            if (Args.is(o, "nx")) {
                nx = true;
            } else if (Args.is(o, "xx")) {
                xx = true;
            } else if (!Args.is(o, "ch")) { // CH is ZADD's business
                break;
            }
        }
        if ((argv.size() - lonIdx) % 3 != 0 || (xx && nx)) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        int elements = (argv.size() - lonIdx) / 3;
        List<byte[]> zargv = new ArrayList<>(lonIdx + elements * 2);
        zargv.add(ZADD);
        zargv.addAll(argv.subList(1, lonIdx));
        double[] xy = new double[2];
        for (int i = 0; i < elements; i++) {
            if (!parseLonLat(argv, lonIdx + i * 3, xy, out)) {
                return;
            }
            long score = GeoHash.score(xy[0], xy[1]);
            zargv.add(Long.toString(score).getBytes(StandardCharsets.US_ASCII));
            zargv.add(argv.get(lonIdx + i * 3 + 2));
        }
        zadd.handle(zargv, ctx, out);
    }

    /* GEODIST key member1 member2 [M | KM | FT | MI] */
    private void geodist(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        double toMeters = 1;
        if (argv.size() == 5) {
            toMeters = unitOrReply(argv.get(4), out);
            if (toMeters < 0) {
                return;
            }
        } else if (argv.size() > 5) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        Entry e = db.lookup(argv.get(1), ctx);
        ZSet z = lookup(e, out);
        if (wrongType) {
            return;
        }
        Double s1 = z == null ? null : z.score(argv.get(2));
        Double s2 = z == null ? null : z.score(argv.get(3));
        if (s1 == null || s2 == null) {
            out.nullBulk();
            return;
        }
        double[] a = GeoHash.position(s1);
        double[] b = GeoHash.position(s2);
        out.bulk(distanceText(GeoShape.distance(a[0], a[1], b[0], b[1]) / toMeters));
    }

    /* GEOHASH key [member [member ...]] */
    private void geohash(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        out.array(argv.size() - 2);
        for (int j = 2; j < argv.size(); j++) {
            Double s = z == null ? null : z.score(argv.get(j));
            if (s == null) {
                out.nullBulk();
            } else {
                out.bulk(GeoHash.standardHash(s));
            }
        }
    }

    /* GEOPOS key [member [member ...]] */
    private void geopos(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        ZSet z = lookup(db.lookup(argv.get(1), ctx), out);
        if (wrongType) {
            return;
        }
        out.array(argv.size() - 2);
        for (int j = 2; j < argv.size(); j++) {
            Double s = z == null ? null : z.score(argv.get(j));
            if (s == null) {
                out.nullArray();
            } else {
                writeCoordinates(out, GeoHash.position(s));
            }
        }
    }

    // ---- shared with GeoSearch -------------------------------------------------------------

    /**
     * Parses argv[at] and argv[at + 1] as longitude and latitude (extractLongLatOrReply): floats
     * as ZADD parses scores, within ±180 and ±85.05112878; replies the error and returns false
     * otherwise.
     */
    static boolean parseLonLat(StrtoD strtod, List<byte[]> argv, int at, double[] xy, RespWriter out) {
        for (int i = 0; i < 2; i++) {
            if (!strtod.parseScore(argv.get(at + i))) {
                out.error(ErrorReplies.NOT_FLOAT);
                return false;
            }
            xy[i] = strtod.value;
        }
        if (xy[0] < GeoHash.LON_MIN || xy[0] > GeoHash.LON_MAX || xy[1] < GeoHash.LAT_MIN || xy[1] > GeoHash.LAT_MAX) {
            out.error(String.format(INVALID_PAIR, fixed(xy[0], 6), fixed(xy[1], 6)));
            return false;
        }
        return true;
    }

    private boolean parseLonLat(List<byte[]> argv, int at, double[] xy, RespWriter out) {
        return parseLonLat(strtod, argv, at, xy, out);
    }

    /** Meters per unit (extractUnitOrReply), or -1 after replying the error. Compared as a C string. */
    static double unitOrReply(byte[] unit, RespWriter out) {
        byte[] u = unit;
        int n = Args.cLength(unit, unit.length);
        if (n != unit.length) {
            u = Arrays.copyOf(unit, n);
        }
        if (Args.is(u, "m")) {
            return 1;
        } else if (Args.is(u, "km")) {
            return 1000;
        } else if (Args.is(u, "ft")) {
            return 0.3048;
        } else if (Args.is(u, "mi")) {
            return 1609.34;
        }
        out.error(UNSUPPORTED_UNIT);
        return -1;
    }

    /** A [longitude, latitude] pair of RESP3 doubles as Redis prints them. */
    static void writeCoordinates(RespWriter out, double[] xy) {
        out.array(2);
        out.dbl(humanText(xy[0]));
        out.dbl(humanText(xy[1]));
    }

    /** A distance as Redis replies it: "%.4f". */
    static String distanceText(double d) {
        return fixed(d, 4);
    }

    /**
     * C's "%.Nf" of a double: the exact binary value rounded half-even to N decimals (glibc
     * prints the exact value), with a '-' kept on a negative value that rounds to zero.
     */
    static String fixed(double d, int decimals) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        String text = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        return negative && text.charAt(0) != '-' ? "-" + text : text;
    }

    /**
     * addReplyHumanLongDouble's text of a double: "%.17Lf" of the value (exact as a long double)
     * without trailing zeros or a trailing '.'.
     */
    static String humanText(double d) {
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return fixed(d, 0);
        }
        String text = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        text = text.substring(0, end);
        return text.equals("-0") ? "0" : text;
    }
}
