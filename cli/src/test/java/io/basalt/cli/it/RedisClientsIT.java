package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.basalt.proto.v1.DeleteRequest;
import io.basalt.proto.v1.ExecuteRequest;
import io.basalt.proto.v1.GetRequest;
import io.basalt.proto.v1.KeyValueGrpc;
import io.basalt.proto.v1.Reply;
import io.basalt.proto.v1.SetRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Real clients (Jedis, redis-cli, raw sockets, a gRPC stub) against a 3-node cluster. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RedisClientsIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster("clients", 3).start();
        // every Ratis client of the gateway then starts with a NotLeader redirect
        cluster.moveLeadershipOffFirstPeer(java.time.Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jedisStringsKeysAndExpiry() {
        try (Jedis jedis = cluster.jedis()) {
            assertEquals("OK", jedis.set("it:greeting", "hello"));
            assertEquals("hello", jedis.get("it:greeting"));
            assertNull(jedis.get("it:missing"));
            assertEquals(1, jedis.incr("it:counter"));
            assertEquals(11, jedis.incrBy("it:counter", 10));
            assertEquals(1, jedis.expire("it:greeting", 100));
            long ttl = jedis.ttl("it:greeting");
            assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
            jedis.mset("it:a", "1", "it:b", "2");
            assertEquals(List.of("1", "2", "11"), nullsAsText(jedis.mget("it:a", "it:b", "it:counter")));
            assertEquals("ERR value is not an integer or out of range",
                errorOf(() -> jedis.incr("it:greeting")));
        }
    }

    @Test
    void expiredKeysAreRemovedWithoutBeingTouched() {
        try (Jedis jedis = cluster.jedis()) {
            long before = jedis.dbSize();
            for (int i = 0; i < 2000; i++) {
                jedis.psetex("exp:" + i, 200, "v");
            }
            assertTrue(jedis.dbSize() >= before + 1, "keys were written");
            // DBSIZE counts keys not yet deleted, as in Redis: only active expiry brings it back
            TestCluster.awaitCondition("active expiry to delete 2000 keys", java.time.Duration.ofSeconds(30),
                () -> jedis.dbSize() <= before);
            assertNull(jedis.get("exp:0"));
        }
    }

    @Test
    void hashesSetsAndSortedSetsThroughJedisAndResp3() throws IOException {
        try (Jedis jedis = cluster.jedis()) {
            jedis.hset("dt:h", java.util.Map.of("f1", "v1", "f2", "v2"));
            assertEquals(java.util.Map.of("f1", "v1", "f2", "v2"), jedis.hgetAll("dt:h"));
            assertEquals(3, jedis.sadd("dt:s", "3", "1", "2"));
            assertEquals(java.util.Set.of("1", "2", "3"), jedis.smembers("dt:s"));
            jedis.zadd("dt:z", java.util.Map.of("a", 1.0, "b", 2.5, "c", 3.0));
            assertEquals(List.of("a", "b", "c"), jedis.zrange("dt:z", 0, -1));
            var withScores = jedis.zrangeWithScores("dt:z", 0, -1);
            assertEquals(2.5, withScores.get(1).getScore());
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", errorOf(() -> jedis.get("dt:z")));
        }
        try (Socket s = new Socket("127.0.0.1", cluster.respPort())) {
            s.setSoTimeout(10_000);
            send(s, "HELLO", "3");
            readUntilQuiet(s, "proto");
            send(s, "ZRANGE", "dt:z", "0", "1", "WITHSCORES");
            // redis 7.0.15 with HELLO 3: [member, score] pairs, scores as doubles
            String expected = "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n";
            assertEquals(expected, readExactly(s, expected.length()));
        }
    }

    /**
     * CONFIG SET of an encoding threshold goes to the shards through the log: OBJECT ENCODING
     * follows it, and CONFIG GET on another connection (any gateway) reads it back from the shards.
     */
    @Test
    void encodingThresholdsAreReplicatedAndFollowed() {
        try (Jedis a = cluster.jedis(); Jedis b = cluster.jedis()) {
            try {
                assertEquals("OK", a.configSet("zset-max-ziplist-entries", "2"));
                assertEquals(java.util.Map.of("zset-max-listpack-entries", "2"), b.configGet("zset-max-listpack-entries"));
                a.zadd("cfg:z", java.util.Map.of("a", 1.0, "b", 2.0));
                assertEquals("listpack", a.objectEncoding("cfg:z"));
                a.zadd("cfg:z", 3.0, "c");
                assertEquals("skiplist", b.objectEncoding("cfg:z"));
                assertEquals("OK", a.configSet("set-max-intset-entries", "1"));
                a.sadd("cfg:s", "1", "2");
                assertEquals("hashtable", a.objectEncoding("cfg:s"));
            } finally {
                a.configSet("zset-max-listpack-entries", "128");
                a.configSet("set-max-intset-entries", "512");
                a.del("cfg:z", "cfg:s");
            }
        }
    }

    /** maxmemory, set on one connection, refuses growing commands on another with Redis's OOM error. */
    @Test
    void maxmemoryRefusesWritesButNotReadsOrDeletes() throws InterruptedException {
        try (Jedis a = cluster.jedis(); Jedis b = cluster.jedis()) {
            a.set("oom:k", "v");
            try {
                assertEquals("OK", a.configSet("maxmemory", "1"));
                assertEquals(java.util.Map.of("maxmemory", "1"), b.configGet("maxmemory"));
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                String refused = null;
                while (refused == null) {
                    try {
                        b.set("oom:other", "v"); // accepted until the gateway's next memory reading
                    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                        refused = e.getMessage();
                    }
                    assertTrue(System.nanoTime() < deadline, "writes never refused over maxmemory");
                    Thread.sleep(100); // the gateway reads the shards' memory once a second
                }
                assertEquals("OOM command not allowed when used memory > 'maxmemory'.", refused);
                assertEquals("v", b.get("oom:k"));
                assertEquals(1L, b.del("oom:k"));
            } finally {
                a.configSet("maxmemory", "0");
            }
            assertEquals("OK", b.set("oom:k", "v"));
            b.del("oom:k", "oom:other");
        }
    }

    @Test
    void scanVisitsEveryKey() {
        try (Jedis jedis = cluster.jedis()) {
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                jedis.set("scan:" + i, "v");
                written.add("scan:" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int rounds = 0;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("scan:*").count(50));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
                assertTrue(++rounds < 10_000, "SCAN did not terminate");
            } while (!cursor.equals("0"));
            assertEquals(written, seen);
        }
    }

    @Test
    void redisCliSetAndGet() throws Exception {
        assertEquals("OK", redisCli("SET", "greeting", "hello", "EX", "60"));
        assertEquals("hello", redisCli("GET", "greeting"));
        assertEquals("", redisCli("GET", "no-such-key"), "redis-cli prints nil as an empty line when not on a tty");
    }

    @Test
    void hello3SwitchesToResp3() throws IOException {
        try (Socket s = new Socket("127.0.0.1", cluster.respPort())) {
            s.setSoTimeout(10_000);
            send(s, "HELLO", "3");
            String hello = readUntilQuiet(s, "proto");
            assertTrue(hello.startsWith("%"), "HELLO 3 answers with a RESP3 map: " + hello);
            send(s, "GET", "resp3:missing");
            assertEquals("_\r\n", readExactly(s, 3));
            send(s, "SET", "resp3:k", "v");
            assertEquals("+OK\r\n", readExactly(s, 5));
        }
    }

    @Test
    void pipelineOf1000RepliesInOrder() {
        try (Jedis jedis = cluster.jedis()) {
            Pipeline p = jedis.pipelined();
            List<Response<?>> responses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                switch (i % 4) {
                    case 0 -> responses.add(p.set("pipe:" + i, "v" + i));
                    case 1 -> responses.add(p.get("pipe:" + (i - 1)));
                    case 2 -> responses.add(p.incr("pipe:counter"));
                    default -> responses.add(p.sendCommand(Protocol.Command.ECHO, "e" + i));
                }
            }
            p.sync();
            long expectedCounter = 0;
            for (int i = 0; i < 1000; i++) {
                Object value = responses.get(i).get();
                switch (i % 4) {
                    case 0 -> assertEquals("OK", value);
                    case 1 -> assertEquals("v" + (i - 1), value, "reply " + i + " out of order");
                    case 2 -> assertEquals(++expectedCounter, value, "reply " + i + " out of order");
                    default -> assertEquals("e" + i, new String((byte[]) value, StandardCharsets.UTF_8), "reply " + i + " out of order");
                }
            }
        }
    }

    @Test
    void anyBytesRoundTrip() {
        byte[][] samples = {
            "with\r\nCRLF".getBytes(StandardCharsets.UTF_8),
            {0, 1, 0, 2},
            {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28},
            new byte[0],
        };
        try (Jedis jedis = cluster.jedis()) {
            for (int i = 0; i < samples.length; i++) {
                byte[] key = concat("bin:".getBytes(StandardCharsets.UTF_8), samples[i]);
                byte[] value = concat(samples[(i + 1) % samples.length], samples[i]);
                assertEquals("OK", jedis.set(key, value));
                assertArrayEquals(value, jedis.get(key), "sample " + i);
            }
        }
    }

    @Test
    void grpcStubSetsGetsAndExecutes() throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort()).usePlaintext().build();
        try {
            KeyValueGrpc.KeyValueBlockingStub kv = KeyValueGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            ByteString key = ByteString.copyFromUtf8("grpc:key");
            assertTrue(kv.set(SetRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("grpc-value")).build()).getApplied());
            var got = kv.get(GetRequest.newBuilder().setKey(key).build());
            assertTrue(got.getFound());
            assertEquals("grpc-value", got.getValue().toStringUtf8());
            assertFalse(kv.set(SetRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("x"))
                .setCondition(SetRequest.Condition.IF_ABSENT).build()).getApplied());
            Reply incr = kv.execute(ExecuteRequest.newBuilder().setCommand("INCRBY")
                .addArgs(ByteString.copyFromUtf8("grpc:n")).addArgs(ByteString.copyFromUtf8("5")).build()).getReply();
            assertEquals(5, incr.getInteger());
            assertEquals(1, kv.delete(DeleteRequest.newBuilder().addKeys(key).build()).getDeleted());
            Reply hello = kv.execute(ExecuteRequest.newBuilder().setCommand("HELLO").addArgs(ByteString.copyFromUtf8("3")).build()).getReply();
            assertTrue(hello.getError().startsWith("ERR 'hello' changes a connection's state"), "HELLO over gRPC: " + hello);
            assertFalse(kv.get(GetRequest.newBuilder().setKey(key).build()).getFound());
            try (Jedis jedis = cluster.jedis()) {
                assertEquals("5", jedis.get("grpc:n"), "gRPC and RESP share one keyspace");
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badInputClosesOnlyThatConnection() throws IOException {
        try (Jedis other = cluster.jedis()) {
            other.set("safe:key", "intact");
            String[] attacks = {
                "*1\r\n$536870913\r\n",             // bulk length over proto-max-bulk-len
                "*2147483648\r\n",                 // absurd multibulk count
                "*-abc\r\n",                       // not a number
                "*1\r\n+PING\r\n",                 // not a bulk string
                "*\u00ff\u00fe\u0001garbage\r\n",  // binary garbage
            };
            for (String attack : attacks) {
                try (Socket s = new Socket("127.0.0.1", cluster.respPort())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(attack.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    String reply = readAll(s.getInputStream());
                    assertTrue(reply.startsWith("-ERR Protocol error"), "reply to " + printable(attack) + ": " + reply);
                }
            }
            assertEquals("intact", other.get("safe:key"), "other clients and data are unharmed");
        }
    }

    private static String redisCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(cluster.respPort())));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("redis-cli is not installed (apt-get install redis-tools); .ci/run installs it", e);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "redis-cli hung");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static List<String> nullsAsText(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v == null ? "(nil)" : v));
        return out;
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private static void send(Socket s, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        s.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String readExactly(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
    }

    /** Reads until the text contains {@code marker} and a full line after it. */
    private static String readUntilQuiet(Socket s, String marker) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
            String text = out.toString(StandardCharsets.UTF_8);
            int at = text.indexOf("modules");
            if (text.contains(marker) && at >= 0 && text.indexOf("\r\n", at + 9) >= 0) {
                return text;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
