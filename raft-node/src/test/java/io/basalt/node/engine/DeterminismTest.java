package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Replicas must agree: engines fed the same commands with the same contexts give byte-identical
 * replies and states. Reads must not change state: an engine that skips every read still gives
 * the same replies to every write.
 */
class DeterminismTest {

    private static final String[] VALUES = {"v", "0", "12", "-7", "3.5", "abc", "", "\u0000\r\n\u00ff",
        "9223372036854775807", "x".repeat(50)};

    @Test
    void sameCommandsSameRepliesAndReadsChangeNothing() {
        long seed = Seeds.seed("DeterminismTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        Keyspace a = new Keyspace();
        Keyspace b = new Keyspace();
        Keyspace writesOnly = new Keyspace();
        long now = 1_000_000;
        long index = 0;
        String cursor = "0";
        for (int step = 0; step < 30_000; step++) {
            now += rnd.nextInt(4) == 0 ? rnd.nextInt(50) : 0;
            List<String> cmd = randomCommand(rnd, cursor, now);
            boolean read = rnd.nextInt(3) == 0 && isRead(cmd.get(0));
            ExecContext ctx = read ? ExecContext.read(now, index) : ExecContext.write(now, ++index, step % 7);
            String ra = new Engine(a).exec(ctx, cmd.toArray(new String[0]));
            String rb = new Engine(b).exec(ctx, cmd.toArray(new String[0]));
            assertEquals(ra, rb, "step " + step + " " + cmd + ", seed " + seed);
            if (!read) {
                String rw = new Engine(writesOnly).exec(ctx, cmd.toArray(new String[0]));
                assertEquals(ra, rw, "reads changed state before step " + step + " " + cmd + ", seed " + seed);
            }
            if (cmd.get(0).equals("scan") && ra.startsWith("*2")) {
                cursor = ScanTest.parse(ra).cursor();
            }
            if (step % 500 == 0) {
                List<byte[]> due = a.expiredKeys(now, 10);
                assertEquals(a.deleteIfExpired(due, now), b.deleteIfExpired(due, now), "seed " + seed);
                writesOnly.deleteIfExpired(due, now);
                a.db().checkInvariants();
                assertEquals(a.db().recomputedMemoryBytes(), a.usedMemoryBytes(), "memory estimate, seed " + seed);
            }
        }
        assertEquals(a.keyCount(), b.keyCount());
        assertEquals(a.keyCount(), writesOnly.keyCount());
        assertEquals(a.usedMemoryBytes(), b.usedMemoryBytes());
        assertEquals(a.usedMemoryBytes(), writesOnly.usedMemoryBytes());
        assertEquals(a.keysWithExpiry(), writesOnly.keysWithExpiry());
    }

    static boolean isRead(String name) {
        return List.of("get", "mget", "strlen", "getrange", "exists", "ttl", "pttl", "type", "keys", "scan",
                "randomkey", "lcs", "dbsize", "object", "expiretime", "touch", "basalt.stats", "srandmember", "smembers",
                "hget", "hgetall", "hrandfield", "hscan", "hlen", "hmget", "lrange", "llen", "lindex", "lpos",
                "zrandmember", "zscan", "zunion", "zinter", "zrange",
                "getbit", "bitcount", "bitpos", "bitfield_ro", "geosearch", "pfcount", "sort_ro",
                "httl", "hpttl", "hexpiretime", "hpexpiretime").contains(name);
    }

    /** head [cond] FIELDS n fields... */
    private static List<String> fieldTtl(List<String> head, String cond, String... fields) {
        List<String> c = new ArrayList<>(head);
        if (!cond.isEmpty()) {
            c.add(cond);
        }
        c.add("FIELDS");
        c.add(Integer.toString(fields.length));
        c.addAll(List.of(fields));
        return c;
    }

    static List<String> randomCommand(SplittableRandom rnd, String cursor, long now) {
        String k = "k" + rnd.nextInt(rnd.nextInt(10) == 0 ? 2000 : 30);
        String k2 = "k" + rnd.nextInt(30);
        String v = VALUES[rnd.nextInt(VALUES.length)];
        String n = Integer.toString(rnd.nextInt(200) - 50);
        List<String> c = new ArrayList<>();
        String f = "f" + rnd.nextInt(rnd.nextInt(4) == 0 ? 700 : 8);
        String v2 = rnd.nextInt(20) == 0 ? "y".repeat(65) : v;
        String cond = List.of("", "", "NX", "XX", "GT", "LT").get(rnd.nextInt(6));
        switch (rnd.nextInt(86)) { // 85 reaches the default branch
            case 0 -> c.addAll(List.of("set", k, v));
            case 1 -> c.addAll(List.of("set", k, v, rnd.nextBoolean() ? "EX" : "PX", n));
            case 2 -> c.addAll(List.of("set", k, v, "NX", "GET"));
            case 3 -> c.addAll(List.of("set", k, v, "XX", "KEEPTTL"));
            case 4 -> c.addAll(List.of("get", k));
            case 5 -> c.addAll(List.of("incrby", k, n));
            case 6 -> c.addAll(List.of("incrbyfloat", k, rnd.nextBoolean() ? "0.1" : "-2.5e1"));
            case 7 -> c.addAll(List.of("append", k, v));
            case 8 -> c.addAll(List.of("setrange", k, Integer.toString(rnd.nextInt(60)), v));
            case 9 -> c.addAll(List.of("getrange", k, n, Integer.toString(rnd.nextInt(20) - 5)));
            case 10 -> c.addAll(List.of("del", k, k2));
            case 11 -> c.addAll(List.of("expire", k, n, rnd.nextBoolean() ? "GT" : "NX"));
            case 12 -> c.addAll(List.of("pexpireat", k, Long.toString(now + rnd.nextInt(200) - 20)));
            case 13 -> c.addAll(List.of("ttl", k));
            case 14 -> c.addAll(List.of("persist", k));
            case 15 -> c.addAll(List.of("rename", k, k2));
            case 16 -> c.addAll(List.of("renamenx", k, k2));
            case 17 -> c.addAll(List.of("copy", k, k2, "replace"));
            case 18 -> c.addAll(List.of("scan", cursor, "count", Integer.toString(1 + rnd.nextInt(20))));
            case 19 -> c.addAll(List.of("keys", "k1*"));
            case 20 -> c.addAll(List.of("randomkey"));
            case 21 -> c.addAll(List.of("mset", k, v, k2, v));
            case 22 -> c.addAll(List.of("msetnx", k, v, k2, v));
            case 23 -> c.addAll(List.of("getex", k, "PX", Integer.toString(1 + rnd.nextInt(100))));
            case 24 -> c.addAll(List.of("getdel", k));
            case 25 -> c.addAll(List.of("lcs", k, k2, "idx", "withmatchlen"));
            case 26 -> c.addAll(List.of("object", "encoding", k));
            case 27 -> c.addAll(List.of("exists", k, k2, k));
            case 28 -> c.addAll(List.of("basalt.stats"));
            case 29, 30 -> c.addAll(List.of("sadd", k, v, n));
            case 31 -> c.addAll(List.of("srem", k, v, n));
            case 32 -> c.addAll(List.of("spop", k, Integer.toString(rnd.nextInt(3))));
            case 33 -> c.addAll(List.of("srandmember", k, Integer.toString(rnd.nextInt(7) - 3)));
            case 34 -> c.addAll(List.of("smove", k, k2, n));
            case 35 -> c.addAll(List.of(rnd.nextBoolean() ? "sunionstore" : "sinterstore", k, k2, k));
            case 36 -> c.addAll(List.of("sdiffstore", k2, k, k2));
            case 37 -> c.addAll(List.of("smembers", k));
            case 38, 39 -> c.addAll(List.of("hset", k, f, v2, "f" + rnd.nextInt(700), v));
            case 40 -> c.addAll(List.of("hdel", k, f, "f" + rnd.nextInt(8)));
            case 41 -> c.addAll(List.of("hincrby", k, f, n));
            case 42 -> c.addAll(List.of("hincrbyfloat", k, f, "0.25"));
            case 43 -> c.addAll(List.of("hgetall", k));
            case 44 -> c.addAll(List.of("hrandfield", k, Integer.toString(rnd.nextInt(21) - 10), "withvalues"));
            case 45 -> c.addAll(List.of("hscan", k, rnd.nextBoolean() ? "0" : Integer.toString(rnd.nextInt(64)), "count", "3"));
            case 46 -> c.addAll(List.of("hsetnx", k, f, v2));
            case 47, 48 -> c.addAll(List.of(rnd.nextBoolean() ? "lpush" : "rpush", k, v2, n));
            case 49 -> c.addAll(List.of(rnd.nextBoolean() ? "lpop" : "rpop", k, Integer.toString(rnd.nextInt(4))));
            case 50 -> c.addAll(List.of("lrange", k, n, Integer.toString(rnd.nextInt(20) - 5)));
            case 51 -> c.addAll(List.of("lrem", k, Integer.toString(rnd.nextInt(5) - 2), v));
            case 52 -> c.addAll(List.of("ltrim", k, Integer.toString(rnd.nextInt(6) - 2), Integer.toString(rnd.nextInt(20) - 5)));
            case 53 -> c.addAll(List.of("linsert", k, rnd.nextBoolean() ? "before" : "after", v, v2));
            case 54 -> c.addAll(List.of("lmove", k, k2, rnd.nextBoolean() ? "left" : "right", rnd.nextBoolean() ? "left" : "right"));
            case 55 -> c.addAll(List.of("lset", k, Integer.toString(rnd.nextInt(9) - 4), v2));
            case 56 -> c.addAll(List.of("lmpop", "2", k, k2, "left", "count", Integer.toString(1 + rnd.nextInt(3))));
            case 57, 58 -> c.addAll(List.of("zadd", k, n, v2, Integer.toString(rnd.nextInt(5)), "m" + rnd.nextInt(300)));
            case 59 -> c.addAll(List.of("zrandmember", k, Integer.toString(rnd.nextInt(21) - 10), "withscores"));
            case 60 -> c.addAll(List.of(rnd.nextBoolean() ? "zunionstore" : "zinterstore", k, "2", k, k2, "weights",
                    "0.1", "-3", "aggregate", rnd.nextBoolean() ? "sum" : "max"));
            case 61 -> c.addAll(List.of("zrangestore", k2, k, "0", n, "byscore", "limit", "1", "50"));
            case 62 -> c.addAll(List.of("zmpop", "2", k, k2, rnd.nextBoolean() ? "min" : "max", "count", "3"));
            case 63 -> c.addAll(List.of("zscan", k, rnd.nextBoolean() ? "0" : cursor, "count", "5"));
            case 64 -> c.addAll(List.of(rnd.nextBoolean() ? "zunion" : "zinter", "2", k, k2, "withscores"));
            case 65 -> c.addAll(List.of("zdiffstore", k2, "2", k, k2));
            case 66, 67 -> c.addAll(List.of("setbit", k, Integer.toString(rnd.nextInt(rnd.nextInt(8) == 0 ? 5000 : 300)),
                rnd.nextBoolean() ? "1" : "0"));
            case 68 -> c.addAll(List.of("getbit", k, Integer.toString(rnd.nextInt(400))));
            case 69 -> c.addAll(rnd.nextBoolean() ? List.of("bitcount", k)
                : List.of("bitcount", k, n, Integer.toString(rnd.nextInt(40) - 10), rnd.nextBoolean() ? "BIT" : "BYTE"));
            case 70 -> c.addAll(List.of("bitpos", k, rnd.nextBoolean() ? "1" : "0", n, Integer.toString(rnd.nextInt(40) - 10),
                rnd.nextBoolean() ? "BIT" : "BYTE"));
            case 71 -> c.addAll(List.of("bitop", List.of("and", "or", "xor").get(rnd.nextInt(3)), k2, k, k2));
            case 72 -> c.addAll(List.of("bitfield", k, "overflow", List.of("wrap", "sat", "fail").get(rnd.nextInt(3)),
                "incrby", rnd.nextBoolean() ? "i12" : "u7", "#" + rnd.nextInt(40), n, "get", "i64", Integer.toString(rnd.nextInt(100))));
            case 73 -> c.addAll(rnd.nextBoolean() ? List.of("bitfield_ro", k, "get", "u63", n.replace("-", ""))
                : List.of("bitop", "not", k, k2));
            case 74 -> c.addAll(List.of("geoadd", k, Double.toString(rnd.nextDouble() * 360 - 180),
                Double.toString(rnd.nextDouble() * 170 - 85), "m" + rnd.nextInt(300)));
            case 75 -> c.addAll(rnd.nextBoolean()
                ? List.of("geosearch", k, "fromlonlat", n, "0", "byradius", Integer.toString(rnd.nextInt(20000)), "km",
                    "count", "7", "withdist", "withcoord")
                : List.of("geosearchstore", k2, k, "frommember", "m" + rnd.nextInt(300), "bybox", "5000", "3000", "km",
                    "desc", "storedist"));
            case 76 -> c.addAll(List.of("pfadd", k, v, n, "e" + rnd.nextInt(3000)));
            case 77 -> c.addAll(rnd.nextBoolean() ? List.of("pfmerge", k, k2) : List.of("pfdebug", "todense", k));
            case 78 -> c.addAll(List.of("pfcount", k, k2).subList(0, 2 + rnd.nextInt(2)));
            case 79 -> c.addAll(List.of("sort", k, rnd.nextBoolean() ? "alpha" : "asc", rnd.nextBoolean() ? "desc" : "asc",
                    "limit", "1", n, "store", rnd.nextBoolean() ? k : k + "{" + k + "}"));
            case 80 -> c.addAll(List.of("sort_ro", k, "by", rnd.nextBoolean() ? "nosort" : k + "*", "get", "#", "alpha"));
            case 81 -> c.addAll(fieldTtl(rnd.nextInt(10) == 0 ? List.of("hexpire", k, Integer.toString(rnd.nextInt(2)))
                    : List.of("hpexpire", k, Integer.toString(rnd.nextInt(200) - 10)), cond, f, "f" + rnd.nextInt(8)));
            case 82 -> c.addAll(fieldTtl(rnd.nextBoolean()
                    ? List.of("hpexpireat", k, Long.toString(now + rnd.nextInt(300) - 50))
                    : List.of("hexpireat", k, Long.toString(now / 1000 + rnd.nextInt(3))), cond, f));
            case 83 -> c.addAll(fieldTtl(List.of(List.of("httl", "hpttl", "hexpiretime", "hpexpiretime").get(rnd.nextInt(4)), k),
                    "", f, "f" + rnd.nextInt(8)));
            case 84 -> c.addAll(fieldTtl(List.of("hpersist", k), "", f));
            default -> c.addAll(rnd.nextInt(50) == 0 ? List.of("flushall") : List.of("dbsize"));
        }
        return c;
    }
}
