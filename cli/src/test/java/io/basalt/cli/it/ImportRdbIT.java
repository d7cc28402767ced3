package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code basalt admin import-rdb}: a real redis-server is filled with every supported type in
 * its small and large encodings, binary keys and values, big values and TTLs, saves its RDB and
 * stops; the RDB is imported into a 3-node cluster, which must then hold the same keys with the
 * same types, contents and absolute expiry times. Then the second import skips what exists, and
 * {@code --replace} overwrites it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ImportRdbIT {

    /** This branch's reference port (the briefing assigns one per session); overridable. */
    private static final int REDIS_PORT = Integer.getInteger("basalt.it.redis.port", 7351);

    /** A key's type, content and absolute expiry, comparable across servers. */
    private record Dump(String type, Object content, long pexpireTime) {
    }

    @Test
    void importsEveryTypeWithTtlsAndSkipsOrReplacesExistingKeys() throws Exception {
        long seed = Long.getLong("basalt.it.seed", System.nanoTime());
        System.out.println("ImportRdbIT seed " + seed + " (rerun with -Dbasalt.it.seed=" + seed + ")");
        Random random = new Random(seed);

        Path target = Path.of(System.getProperty("basalt.jar", "target/basalt.jar")).toAbsolutePath().getParent();
        Path redisDir = Files.createTempDirectory(target, "it-redis-");
        Map<ByteBuffer, Dump> expected;
        long expiringAtMs;
        Process redis = startRedis(redisDir);
        try {
            // Jedis connects in its constructor: wait for the server before making the one we keep
            TestCluster.awaitCondition("redis-server up", Duration.ofSeconds(30), ImportRdbIT::ping);
            try (Jedis r = new Jedis("127.0.0.1", REDIS_PORT, 30_000)) {
                // the server we started, not another one on the port
                assertEquals(redisDir.toString(), r.configGet("dir").get("dir"), "redis-server on port " + REDIS_PORT);
                fill(r, random);
                checkEncodings(r);
                // keys that expire after SAVE but before the import: skipped as expired
                expiringAtMs = System.currentTimeMillis() + 10_000;
                r.set(bytes("soon:1"), bytes("x"));
                r.pexpireAt(bytes("soon:1"), expiringAtMs);
                r.rpush(bytes("soon:2"), bytes("a"), bytes("b"));
                r.pexpireAt(bytes("soon:2"), expiringAtMs);
                // a type Basalt does not have, and a key in another database
                r.xadd("events", StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
                r.select(1);
                r.set("in-db-1", "x");
                r.select(0);
                expected = dumpAll(r);
                expected.remove(key("soon:1"));
                expected.remove(key("soon:2"));
                expected.remove(key("events"));
                r.save();
            }
        } finally {
            stop(redis);
        }
        Path rdb = redisDir.resolve("dump.rdb");
        assertTrue(Files.size(rdb) > 6_000_000, "the RDB holds the big values: " + Files.size(rdb));
        TestCluster.awaitCondition("the expiring keys' time", Duration.ofSeconds(30),
            () -> System.currentTimeMillis() > expiringAtMs + 10);

        try (TestCluster cluster = new TestCluster("import-rdb", 3).start()) {
            String gateway = "127.0.0.1:" + cluster.respPort();
            ImportRun first = importRdb(target, rdb, gateway);
            assertEquals(0, first.exitCode, first.output);
            assertEquals(expected.size(), first.count("imported (\\d+) keys"), first.output);
            assertEquals(2, first.count("expired at import time\\s+(\\d+)"), first.output);
            assertEquals(1, first.count("unsupported type\\s+(\\d+)"), first.output);
            assertTrue(first.output.contains("\"events\" (stream)"), first.output);
            assertEquals(1, first.count("in another database than --db\\s+(\\d+)"), first.output);
            assertEquals(0, first.count("errors: (\\d+)"), first.output);
            assertTrue(first.output.contains("import-rdb: "), "a progress line: " + first.output);

            try (Jedis b = cluster.jedis()) {
                assertEquals(expected.size(), b.dbSize());
                assertSame(expected, b);

                // without --replace, existing keys are kept and counted
                b.set(bytes("str:small"), bytes("changed in basalt"));
                ImportRun second = importRdb(target, rdb, gateway);
                assertEquals(0, second.exitCode, second.output);
                assertEquals(0, second.count("imported (\\d+) keys"), second.output);
                assertEquals(expected.size(), second.count("already in Basalt \\(use --replace\\)\\s+(\\d+)"), second.output);
                assertEquals("changed in basalt", b.get("str:small"));

                // with --replace, they are overwritten, collections included (no merge)
                b.sadd(bytes("set:small:int"), bytes("999999"));
                b.persist(bytes("str:ttl"));
                ImportRun third = importRdb(target, rdb, gateway, "--replace");
                assertEquals(0, third.exitCode, third.output);
                assertEquals(expected.size(), third.count("imported (\\d+) keys"), third.output);
                assertSame(expected, b);
            }
        }
    }

    // ---- data ----

    private static void fill(Jedis r, Random random) {
        // small encodings (listpack, intset, embstr/int strings)
        r.set(bytes("str:small"), bytes("hello"));
        r.set(bytes("str:int"), bytes("-1234567890"));
        r.set(bytes("str:empty"), new byte[0]);
        r.set(bytes("str:compressible"), bytes("a".repeat(10_000))); // LZF in the RDB
        r.rpush(bytes("list:small"), bytes("a"), bytes("b"), bytes("c"), bytes("12"), bytes("-7"));
        r.hset(bytes("hash:small"), Map.of(bytes("f1"), bytes("v1"), bytes("f2"), bytes("42")));
        r.sadd(bytes("set:small:int"), bytes("1"), bytes("-2"), bytes("300000"), bytes("9223372036854775807"));
        r.sadd(bytes("set:small:str"), bytes("x"), bytes("y"), bytes("z"));
        r.zadd(bytes("zset:small"), Map.of(bytes("one"), 1.0, bytes("tenth"), 0.1, bytes("pinf"), Double.POSITIVE_INFINITY,
            bytes("ninf"), Double.NEGATIVE_INFINITY, bytes("tiny"), 1e-300, bytes("pi"), Math.PI, bytes("big"), 1.2345678901234567e17,
            bytes("neg"), -2.5));

        // large encodings: quicklist of many (compressed) nodes, hashtable, skiplist
        List<byte[]> listItems = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            listItems.add(bytes("item-" + i + "-" + random.nextInt(1000)));
        }
        pipelined(r, p -> {
            for (int i = 0; i < listItems.size(); i += 500) {
                p.rpush(bytes("list:large"), listItems.subList(i, i + 500).toArray(new byte[0][]));
            }
            for (int i = 0; i < 3_000; i++) {
                p.hset(bytes("hash:large"), bytes("field-" + i), randomBytes(random, random.nextInt(100)));
                p.sadd(bytes("set:large:str"), bytes("member-" + i));
                p.sadd(bytes("set:large:int"), bytes(Integer.toString(random.nextInt())));
                p.zadd(bytes("zset:large"), random.nextDouble() * 1e6 - 5e5, bytes("m-" + i));
                p.zadd(bytes("zset:large:int"), random.nextInt(100_000), bytes("i-" + i));
            }
        });

        // binary keys and values
        byte[] binaryKey = {0, (byte) 0xff, '\r', '\n', ' ', (byte) 0x80, 'k'};
        r.set(binaryKey, randomBytes(random, 1000));
        r.hset(bytes("hash:binary"), new byte[] {0, 1, 2}, randomBytes(random, 70));
        r.rpush(new byte[] {(byte) 0xfe, 0}, randomBytes(random, 10), new byte[] {0}, new byte[0]);
        r.zadd(bytes("zset:binary"), 3.0, new byte[] {(byte) 0xc3, 0x28});

        // big values: one over the import's 4 MiB slice (SET + APPEND), list elements split by size
        r.set(bytes("str:big"), randomBytes(random, 6 * 1024 * 1024 + 17));
        r.rpush(bytes("list:big-elements"), randomBytes(random, 2_500_000), randomBytes(random, 2_500_000), bytes("tail"));

        // TTLs far away, on every type
        long farMs = System.currentTimeMillis() + 3_600_000 + random.nextInt(1_000_000);
        r.set(bytes("str:ttl"), bytes("v"));
        r.pexpireAt(bytes("str:ttl"), farMs);
        r.pexpireAt(bytes("list:small"), farMs + 1);
        r.pexpireAt(bytes("hash:large"), farMs + 2);
        r.pexpireAt(bytes("set:small:int"), farMs + 3);
        r.pexpireAt(bytes("zset:large"), farMs + 4);
    }

    private static void checkEncodings(Jedis r) {
        // proves the file exercises each encoding the import must read
        assertEquals("listpack", r.objectEncoding("hash:small"));
        assertEquals("hashtable", r.objectEncoding("hash:large"));
        assertEquals("intset", r.objectEncoding("set:small:int"));
        assertEquals("hashtable", r.objectEncoding("set:large:int"));
        assertEquals("listpack", r.objectEncoding("zset:small"));
        assertEquals("skiplist", r.objectEncoding("zset:large"));
        assertEquals("quicklist", r.objectEncoding("list:large"));
    }

    // ---- comparing ----

    private static Map<ByteBuffer, Dump> dumpAll(Jedis j) {
        Map<ByteBuffer, Dump> out = new LinkedHashMap<>();
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> page = j.scan(cursor, new ScanParams().count(1000));
            for (byte[] k : page.getResult()) {
                out.put(ByteBuffer.wrap(k), dump(j, k));
            }
            cursor = page.getCursorAsBytes();
        } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        return out;
    }

    private static Dump dump(Jedis j, byte[] k) {
        String type = j.type(k);
        Object content = switch (type) {
            case "string" -> hex(j.get(k));
            case "list" -> j.lrange(k, 0, -1).stream().map(ImportRdbIT::hex).toList();
            case "set" -> new TreeSet<>(j.smembers(k).stream().map(ImportRdbIT::hex).toList());
            case "hash" -> {
                TreeMap<String, String> m = new TreeMap<>();
                j.hgetAll(k).forEach((f, v) -> m.put(hex(f), hex(v)));
                yield m;
            }
            case "zset" -> j.zrangeWithScores(k, 0, -1).stream()
                .map(t -> hex(t.getBinaryElement()) + "@" + Double.doubleToRawLongBits(t.getScore()) + "(" + t.getScore() + ")")
                .toList();
            default -> type;
        };
        return new Dump(type, content, j.pexpireTime(k));
    }

    private static void assertSame(Map<ByteBuffer, Dump> expected, Jedis basalt) {
        for (Map.Entry<ByteBuffer, Dump> e : expected.entrySet()) {
            byte[] k = new byte[e.getKey().remaining()];
            e.getKey().duplicate().get(k);
            assertEquals(e.getValue(), dump(basalt, k), "key " + hex(k) + " (" + new String(k, StandardCharsets.ISO_8859_1) + ")");
        }
    }

    // ---- processes ----

    private record ImportRun(int exitCode, String output) {
        long count(String regex) {
            Matcher m = Pattern.compile(regex).matcher(output);
            if (!m.find()) {
                throw new AssertionError("no /" + regex + "/ in:\n" + output);
            }
            return Long.parseLong(m.group(1));
        }
    }

    private static ImportRun importRdb(Path target, Path rdb, String gateway, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        command.addAll(io.basalt.cli.JavaLauncher.quietJdkOptions());
        command.addAll(List.of("-jar", target.resolve("basalt.jar").toString(), "admin", "import-rdb", rdb.toString(),
            "--gateway", gateway));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("import-rdb did not finish:\n" + output);
            }
        } finally {
            p.destroyForcibly();
        }
        System.out.println(output);
        return new ImportRun(p.exitValue(), output);
    }

    private static Process startRedis(Path dir) throws IOException {
        List<String> command = List.of("redis-server", "--port", Integer.toString(REDIS_PORT), "--bind", "127.0.0.1",
            "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--list-max-listpack-size", "16", "--list-compress-depth", "1");
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("this test needs redis-server on the PATH (.ci/run installs it)", e);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM to its own PID; the RDB was written by SAVE already
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean ping() {
        try (Jedis r = new Jedis("127.0.0.1", REDIS_PORT, 1_000)) {
            return "PONG".equals(r.ping());
        } catch (Exception e) {
            return false;
        }
    }

    private static void pipelined(Jedis r, java.util.function.Consumer<Pipeline> body) {
        Pipeline p = r.pipelined();
        body.accept(p);
        p.sync();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(bytes(s));
    }

    private static String hex(byte[] b) {
        return b == null ? "(nil)" : HexFormat.of().formatHex(b);
    }
}
