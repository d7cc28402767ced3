package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The geo searches, one parser and one search for all six commands as in Redis's
 * georadiusGeneric: GEORADIUS, GEORADIUSBYMEMBER (STORE / STOREDIST make them writes, and the
 * spec table flags them write, so they always go through the log), their read-only _RO forms,
 * GEOSEARCH and GEOSEARCHSTORE.
 *
 * <p>The search scans the 9 cells {@link GeoShape#cells} picks, each a score range of the sorted
 * set, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW; within a cell by score, then
 * member), and keeps the points inside the shape. Without ASC/DESC (and without COUNT, which
 * implies ASC unless ANY) the reply is in that scan order, as Redis's. Sorting is Redis's too:
 * a stable sort (glibc's qsort) of the whole list, or {@link PartialSort} (Redis's pqsort) when
 * COUNT keeps fewer points than were found, so points at equal distances come out in Redis's
 * order.
 */
final class GeoSearch extends ZSetFamily {

    static final String NEED_RADIUS = "ERR need numeric radius";
    static final String NEGATIVE_RADIUS = "ERR radius cannot be negative";
    static final String NEED_WIDTH = "ERR need numeric width";
    static final String NEED_HEIGHT = "ERR need numeric height";
    static final String NEGATIVE_BOX = "ERR height or width cannot be negative";
    static final String COUNT_NOT_POSITIVE = "ERR COUNT must be > 0";
    static final String MEMBER_NOT_DECODED = "ERR could not decode requested zset member";
    static final String STORE_WITH = "ERR %s is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    static final String ONE_FROM = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for %s";
    static final String ONE_BY = "ERR exactly one of BYRADIUS and BYBOX can be specified for %s";
    static final String ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument";

    /** Search around coordinates (GEORADIUS). */
    private static final int COORDS = 1;
    /** Search around a member (GEORADIUSBYMEMBER). */
    private static final int MEMBER = 1 << 1;
    /** STORE and STOREDIST are refused (the _RO forms). */
    private static final int NOSTORE = 1 << 2;
    /** GEOSEARCH's grammar. */
    private static final int SEARCH = 1 << 3;
    /** GEOSEARCHSTORE: the destination is argv[1], STOREDIST is a flag. */
    private static final int SEARCHSTORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    private final StrtoD strtod = new StrtoD();

    GeoSearch(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("georadius", (argv, ctx, out) -> search(argv, ctx, out, 1, COORDS));
        r.register("georadius_ro", (argv, ctx, out) -> search(argv, ctx, out, 1, COORDS | NOSTORE));
        r.register("georadiusbymember", (argv, ctx, out) -> search(argv, ctx, out, 1, MEMBER));
        r.register("georadiusbymember_ro", (argv, ctx, out) -> search(argv, ctx, out, 1, MEMBER | NOSTORE));
        r.register("geosearch", (argv, ctx, out) -> search(argv, ctx, out, 1, SEARCH));
        r.register("geosearchstore", (argv, ctx, out) -> search(argv, ctx, out, 2, SEARCH | SEARCHSTORE));
    }

    /** A point found: member, position, distance from the centre in meters (then in the unit), score. */
    private static final class Point {
        final byte[] member;
        final double lon;
        final double lat;
        double dist;
        final double score;

        Point(byte[] member, double lon, double lat, double dist, double score) {
            this.member = member;
            this.lon = lon;
            this.lat = lat;
            this.dist = dist;
            this.score = score;
        }
    }

    /** The parsed options; shape is null until the centre and the size are both known. */
    private static final class Query {
        byte[] storeKey;
        boolean storeDist;
        boolean withDist;
        boolean withHash;
        boolean withCoord;
        boolean fromMember;
        boolean fromLonLat;
        boolean byRadius;
        boolean byBox;
        int sort = SORT_NONE;
        boolean any;
        long count;
        double[] xy = new double[2];
        GeoShape shape;
    }

    /* GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
     *     [COUNT count [ANY]] [ASC|DESC] [STORE key | STOREDIST key]
     * GEORADIUSBYMEMBER key member radius M|KM|FT|MI ... (the same options)
     * GEORADIUS_RO, GEORADIUSBYMEMBER_RO: the same without STORE/STOREDIST
     * GEOSEARCH key FROMMEMBER member | FROMLONLAT longitude latitude
     *     BYRADIUS radius M|KM|FT|MI | BYBOX width height M|KM|FT|MI
     *     [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
     * GEOSEARCHSTORE destination source (GEOSEARCH's options without WITH*) [STOREDIST] */
    private void search(List<byte[]> argv, ExecContext ctx, RespWriter out, int srcIdx, int flags) {
        ZSet z = lookup(db.lookup(argv.get(srcIdx), ctx), out);
        if (wrongType) {
            return;
        }
        Query q = new Query();
        int baseArgs;
        if ((flags & COORDS) != 0) {
            baseArgs = 6;
            if (!GeoCommands.parseLonLat(strtod, argv, 2, q.xy, out)) {
                return;
            }
            if ((q.shape = parseRadius(argv, 4, out)) == null) {
                return;
            }
        } else if ((flags & MEMBER) != 0) {
            baseArgs = 5;
            // Without a source key the radius goes unchecked: Redis only parses on to pick the reply.
            if (z != null) {
                if (!memberPosition(z, argv.get(2), q.xy, out)) {
                    return;
                }
                if ((q.shape = parseRadius(argv, 3, out)) == null) {
                    return;
                }
            }
        } else {
            baseArgs = 2;
            if ((flags & SEARCHSTORE) != 0) {
                baseArgs = 3;
                q.storeKey = argv.get(1);
            }
        }
        if (!parseOptions(argv, baseArgs, flags, z, q, out) || !checkOptions(argv, flags, q, out)) {
            return;
        }
        if (z == null) {
            if (q.storeKey != null) {
                SortedSetCommands.store(db, q.storeKey, new ZSet(db.limits()), ctx, out);
            } else {
                out.array(0);
            }
            return;
        }
        if (q.count != 0 && q.sort == SORT_NONE && !q.any) {
            q.sort = SORT_ASC; // the nearest COUNT need a sort
        }
        q.shape.lon = q.xy[0];
        q.shape.lat = q.xy[1];
        List<Point> found = scan(z, q.shape, q.any ? q.count : 0);
        if (found.isEmpty() && q.storeKey == null) {
            out.array(0);
            return;
        }
        int returned = q.count == 0 || found.size() < q.count ? found.size() : (int) q.count;
        if (q.sort != SORT_NONE) {
            Comparator<Point> cmp = q.sort == SORT_ASC ? GeoSearch::nearerFirst : (a, b) -> -nearerFirst(a, b);
            if (returned == found.size()) {
                found.sort(cmp); // glibc's qsort, which Redis calls here, is a stable merge sort
            } else {
                Point[] points = found.toArray(new Point[0]);
                PartialSort.sort(points, points.length, cmp, 0, returned - 1);
                found = Arrays.asList(points);
            }
        }
        for (int i = 0; i < returned; i++) {
            found.get(i).dist /= q.shape.toMeters;
        }
        if (q.storeKey == null) {
            reply(out, q, found, returned);
        } else {
            ZSet result = new ZSet(db.limits());
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (result.score(p.member) == null) { // overlapping cells can list a point twice
                    result.insert(p.member, q.storeDist ? p.dist : p.score);
                }
            }
            SortedSetCommands.store(db, q.storeKey, result, ctx, out);
        }
    }

    /** Redis's sort_gp_asc: by distance, equal distances compare equal. */
    private static int nearerFirst(Point a, Point b) {
        return a.dist > b.dist ? 1 : a.dist == b.dist ? 0 : -1;
    }

    /** Parses the options after the fixed arguments; false after replying an error. */
    private boolean parseOptions(List<byte[]> argv, int baseArgs, int flags, ZSet z, Query q, RespWriter out) {
        int remaining = argv.size() - baseArgs;
        boolean search = (flags & SEARCH) != 0;
        boolean storeAllowed = (flags & NOSTORE) == 0 && !search;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv.get(baseArgs + i);
            if (Args.is(arg, "withdist")) {
                q.withDist = true;
            } else if (Args.is(arg, "withhash")) {
                q.withHash = true;
            } else if (Args.is(arg, "withcoord")) {
                q.withCoord = true;
            } else if (Args.is(arg, "any")) {
                q.any = true;
            } else if (Args.is(arg, "asc")) {
                q.sort = SORT_ASC;
            } else if (Args.is(arg, "desc")) {
                q.sort = SORT_DESC;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                if (!parseLong(argv.get(baseArgs + i + 1), out)) {
                    return false;
                }
                if (parsed[0] <= 0) {
                    out.error(COUNT_NOT_POSITIVE);
                    return false;
                }
                q.count = parsed[0];
                i++;
            } else if ((Args.is(arg, "store") || Args.is(arg, "storedist")) && i + 1 < remaining && storeAllowed) {
                q.storeKey = argv.get(baseArgs + i + 1);
                q.storeDist = Args.is(arg, "storedist");
                i++;
            } else if (Args.is(arg, "storedist") && (flags & SEARCHSTORE) != 0) {
                q.storeDist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && search && !q.fromLonLat) {
                // Without a source key the member is not looked up; the reply is empty anyway.
                if (z != null && !memberPosition(z, argv.get(baseArgs + i + 1), q.xy, out)) {
                    return false;
                }
                q.fromMember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && search && !q.fromMember) {
                if (!GeoCommands.parseLonLat(strtod, argv, baseArgs + i + 1, q.xy, out)) {
                    return false;
                }
                q.fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && search && !q.byBox) {
                if ((q.shape = parseRadius(argv, baseArgs + i + 1, out)) == null) {
                    return false;
                }
                q.byRadius = true;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && search && !q.byRadius) {
                if ((q.shape = parseBox(argv, baseArgs + i + 1, out)) == null) {
                    return false;
                }
                q.byBox = true;
                i += 3;
            } else {
                out.error(ErrorReplies.SYNTAX);
                return false;
            }
        }
        return true;
    }

    /** The checks Redis makes once all options are read, in its order. */
    private static boolean checkOptions(List<byte[]> argv, int flags, Query q, RespWriter out) {
        String name = new String(argv.get(0), StandardCharsets.ISO_8859_1);
        if (q.storeKey != null && (q.withDist || q.withHash || q.withCoord)) {
            out.error(String.format(STORE_WITH, (flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS"));
            return false;
        }
        if ((flags & SEARCH) != 0 && !(q.fromMember || q.fromLonLat)) {
            out.error(String.format(ONE_FROM, name));
            return false;
        }
        if ((flags & SEARCH) != 0 && !(q.byRadius || q.byBox)) {
            out.error(String.format(ONE_BY, name));
            return false;
        }
        if (q.any && q.count == 0) {
            out.error(ANY_NEEDS_COUNT);
            return false;
        }
        return true;
    }

    /** The member's decoded position into xy; false after replying that it cannot be decoded. */
    private static boolean memberPosition(ZSet z, byte[] member, double[] xy, RespWriter out) {
        Double s = z.score(member);
        if (s == null) {
            out.error(MEMBER_NOT_DECODED);
            return false;
        }
        double[] p = GeoHash.position(s);
        xy[0] = p[0];
        xy[1] = p[1];
        return true;
    }

    /** "radius unit" at argv[at] (extractDistanceOrReply), or null after replying the error. */
    private GeoShape parseRadius(List<byte[]> argv, int at, RespWriter out) {
        if (!strtod.parseScore(argv.get(at))) {
            out.error(NEED_RADIUS);
            return null;
        }
        double radius = strtod.value;
        if (radius < 0) {
            out.error(NEGATIVE_RADIUS);
            return null;
        }
        double toMeters = GeoCommands.unitOrReply(argv.get(at + 1), out);
        return toMeters < 0 ? null : GeoShape.circle(radius, toMeters);
    }

    /** "width height unit" at argv[at] (extractBoxOrReply), or null after replying the error. */
    private GeoShape parseBox(List<byte[]> argv, int at, RespWriter out) {
        if (!strtod.parseScore(argv.get(at))) {
            out.error(NEED_WIDTH);
            return null;
        }
        double width = strtod.value;
        if (!strtod.parseScore(argv.get(at + 1))) {
            out.error(NEED_HEIGHT);
            return null;
        }
        double height = strtod.value;
        if (height < 0 || width < 0) {
            out.error(NEGATIVE_BOX);
            return null;
        }
        double toMeters = GeoCommands.unitOrReply(argv.get(at + 2), out);
        return toMeters < 0 ? null : GeoShape.box(width, height, toMeters);
    }

    /**
     * The points inside the shape, cell by cell (membersOfAllNeighbors); a cell equal to the one
     * scanned just before is skipped, as Redis skips it. With a limit (COUNT ... ANY) it stops
     * once that many are found.
     */
    private static List<Point> scan(ZSet z, GeoShape shape, long limit) {
        List<Point> found = new ArrayList<>();
        GeoHash.Cell[] cells = shape.cells();
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            GeoHash.Cell c = cells[i];
            if (c.isNone()) {
                continue;
            }
            if (lastProcessed != 0 && c.equals(cells[lastProcessed])) {
                continue;
            }
            if (limit != 0 && found.size() >= limit) {
                break;
            }
            scanCell(z, c, shape, found, limit);
            lastProcessed = i;
        }
        return found;
    }

    /** The points with scores in [min, max) of the cell that are inside the shape (geoGetPointsInRange). */
    private static void scanCell(ZSet z, GeoHash.Cell c, GeoShape shape, List<Point> found, long limit) {
        double min = (double) c.minScore();
        double max = (double) c.maxScore();
        int last = z.lastInScore(max, true);
        for (int i = z.firstInScore(min, false); i <= last; i++) {
            double score = z.scores[i];
            double[] xy = GeoHash.position(score);
            double dist = shape.distanceIfWithin(xy[0], xy[1]);
            if (dist >= 0) {
                found.add(new Point(z.members[i], xy[0], xy[1], dist, score));
            }
            if (limit != 0 && found.size() >= limit) {
                break;
            }
        }
    }

    private static void reply(RespWriter out, Query q, List<Point> found, int returned) {
        int options = (q.withDist ? 1 : 0) + (q.withCoord ? 1 : 0) + (q.withHash ? 1 : 0);
        out.array(returned);
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            if (options != 0) {
                out.array(options + 1);
            }
            out.bulk(p.member);
            if (q.withDist) {
                out.bulk(GeoCommands.distanceText(p.dist));
            }
            if (q.withHash) {
                out.integer((long) p.score);
            }
            if (q.withCoord) {
                GeoCommands.writeCoordinates(out, new double[] {p.lon, p.lat});
            }
        }
    }
}
