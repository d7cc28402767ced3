package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.topology.StaticTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The gateway over three shards (3 nodes, {@code --shards 3}), driven by an unmodified client:
 * pipelines whose commands go to different shards answer in request order, MGET/MSET/DEL/EXISTS
 * split and merge, DBSIZE/KEYS/SCAN/RANDOMKEY/FLUSHALL/INFO keyspace see the whole keyspace, and
 * {@code basalt admin backup}/{@code restore} cover every shard.
 *
 * <p><b>Needs both branches {@code multi-shard-gateway} (this one: routing, splitting, merging) and
 * {@code multi-shard-node} (nodes hosting several shards, StaticTopology accepting N shards).</b>
 * Until the latter is merged, StaticTopology refuses 3 shards and this test is skipped (an
 * assumption, not a failure); once both are in, it runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiShardGatewayIT {

    private static final int KEYS = 600;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        boolean multiShardNodes;
        try {
            multiShardNodes = StaticTopology.parse("n1=127.0.0.1:1", 3).shards().size() == 3;
        } catch (IllegalArgumentException e) {
            multiShardNodes = false;
        }
        Assumptions.assumeTrue(multiShardNodes, "nodes cannot host 3 shards yet: needs branch multi-shard-node");
        cluster = new TestCluster("multi-shard", 3, List.of("--shards", "3"));
        cluster.gatewayArguments(List.of("--shards", "3"));
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void keysOfEveryShardAreWrittenReadCountedScannedAndFlushed() {
        try (Jedis j = cluster.jedis()) {
            j.flushAll();
            // a pipeline spanning the shards: replies in request order
            Pipeline p = j.pipelined();
            List<Response<?>> replies = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                replies.add(p.set("k:" + i, "v" + i));
                replies.add(p.incr("n:" + i));
                replies.add(p.get("k:" + i));
            }
            p.sync();
            for (int i = 0; i < KEYS; i++) {
                assertEquals("OK", replies.get(3 * i).get());
                assertEquals(1L, replies.get(3 * i + 1).get());
                assertEquals("v" + i, replies.get(3 * i + 2).get(), "GET k:" + i + " after its SET, whatever the shard");
            }
            assertEquals(2L * KEYS, j.dbSize());
            assertEquals(KEYS, j.keys("k:*").size());
            assertTrue(j.info("keyspace").contains("db0:keys=" + 2 * KEYS + ","), j.info("keyspace"));

            // MGET across shards: values in the order asked, nil for missing keys
            List<String> asked = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = KEYS - 1; i >= 0; i -= 7) {
                asked.add("k:" + i);
                expected.add("v" + i);
                asked.add("missing:" + i);
                expected.add(null);
            }
            assertEquals(expected, j.mget(asked.toArray(String[]::new)));
            assertEquals("OK", j.mset("m:a", "1", "m:b", "2", "m:c", "3", "m:d", "4"));
            assertEquals(List.of("1", "2", "3", "4"), j.mget("m:a", "m:b", "m:c", "m:d"));
            assertEquals(3L, j.exists("m:a", "m:c", "m:d", "m:none"));
            assertEquals(2L, j.touch("m:a", "m:b"));
            assertEquals(4L, j.del("m:a", "m:b", "m:c", "m:d", "m:none"));

            // SCAN visits every key once over all shards; no 0 cursor before the end
            Set<String> scanned = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().match("k:*").count(50));
                scanned.addAll(page.getResult());
                cursor = page.getCursor();
                Long.parseUnsignedLong(cursor);
                calls++;
            } while (!cursor.equals("0") && calls < 10_000);
            assertEquals(KEYS, scanned.size());
            assertEquals("ERR invalid cursor", errorOf(() -> j.scan(Long.toUnsignedString(3L << 48))));

            String random = j.randomKey();
            assertTrue(random.startsWith("k:") || random.startsWith("n:"), random);

            assertTrue(j.lastsave() > 0);
            assertEquals("OK", j.flushAll());
            assertEquals(0L, j.dbSize());
            assertEquals(null, j.randomKey());
            assertNotEquals(null, j.ping());
        }
    }

    @Test
    void backupCopiesEveryShardAndRestoreBringsEveryKeyBack() throws Exception {
        Path target = Path.of(System.getProperty("basalt.jar", "target/basalt.jar")).toAbsolutePath().getParent();
        Path backup = Files.createTempDirectory(target, "it-multi-shard-backup-").resolve("b");
        String gateway = "127.0.0.1:" + cluster.respPort();
        try (Jedis j = cluster.jedis()) {
            j.flushAll();
            for (int i = 0; i < KEYS; i++) {
                j.set("b:" + i, "v" + i);
            }
            String out = admin(target, "backup", "--to", backup.toString(), "--gateway", gateway, "--progress-interval-s", "0");
            assertTrue(out.contains("of 3 shard(s)"), out);
            String manifest = Files.readString(backup.resolve("manifest.json"));
            assertTrue(manifest.contains("0-5460") && manifest.contains("5461-10921") && manifest.contains("10922-16383"),
                manifest);
            j.flushAll();
            admin(target, "restore", "--from", backup.toString(), "--gateway", gateway);
            assertEquals((long) KEYS, j.dbSize());
            for (int i = 0; i < KEYS; i += 37) {
                assertEquals("v" + i, j.get("b:" + i));
            }
        }
    }

    /** Runs {@code basalt admin ...}; its output, after checking it exited 0. */
    private static String admin(Path target, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        command.addAll(io.basalt.cli.JavaLauncher.quietJdkOptions());
        command.addAll(List.of("-jar", target.resolve("basalt.jar").toString(), "admin"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("admin " + args[0] + " did not finish:\n" + output);
            }
            System.out.println(output);
            assertEquals(0, p.exitValue(), "admin " + args[0] + ":\n" + output);
            return output;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String errorOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return e.getMessage();
        }
    }
}
