package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Cluster-aware clients, unmodified, against two gateways in cluster mode over a real cluster of
 * 6 node processes and 3 shards of 3 replicas: JedisCluster (CLUSTER SLOTS), Lettuce's
 * RedisClusterClient (CLUSTER NODES) and redis-cli -c read and write keys across all slots, each
 * client's keys land in all three shards (asked of the shards), and CLUSTER SLOTS/NODES/SHARDS/INFO
 * parse in a real client's parsers.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterClientsIT {

    private static TestCluster cluster;
    private static int secondPort;

    @BeforeAll
    static void startCluster() throws Exception {
        secondPort = TestCluster.freePorts(1)[0];
        cluster = new TestCluster("cluster-clients", 6, 3, 3, List.of());
        cluster.gatewayArguments(List.of("--cluster-mode", "enabled", "--cluster-gateways", "g2=127.0.0.1:" + secondPort));
        cluster.start();
        cluster.startExtraGateway(secondPort, List.of("--cluster-mode", "enabled",
            "--cluster-gateways", "g1=127.0.0.1:" + cluster.respPort()));
        TestCluster.awaitCondition("second gateway serving", Duration.ofSeconds(60), () -> {
            try (Jedis j = new Jedis("127.0.0.1", secondPort, 5_000)) {
                j.dbSize();
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HostAndPort first() {
        return new HostAndPort("127.0.0.1", cluster.respPort());
    }

    @Test
    void jedisClusterReadsAndWritesKeysOfEverySlotRange() {
        try (JedisCluster jc = new JedisCluster(Set.of(first()))) {
            Set<String> nodes = jc.getClusterNodes().keySet();
            assertEquals(Set.of("127.0.0.1:" + cluster.respPort(), "127.0.0.1:" + secondPort), nodes);
            Set<Integer> slots = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                assertEquals("OK", jc.set("jc:" + i, "v" + i));
                slots.add(JedisClusterCRC16.getSlot("jc:" + i));
            }
            assertTrue(slots.size() > 150, "keys spread over many slots: " + slots.size());
            for (int i = 0; i < 200; i++) {
                assertEquals("v" + i, jc.get("jc:" + i));
            }
            cluster.assertKeysInEveryShard("jc:", 200);
            assertEquals(List.of("1", "2"), List.of(jc.incr("{user1}:visits") + "", jc.incr("{user1}:visits") + ""));
            assertEquals("OK", jc.mset("{t}a", "1", "{t}b", "2"));
            assertEquals(List.of("1", "2"), jc.mget("{t}a", "{t}b"));
            assertEquals(1L, jc.msetnx("{t}c", "3", "{t}d", "4"));
            assertEquals(2L, jc.del("{t}c", "{t}d"));
        }
    }

    @Test
    void clusterRepliesParseInJedis() {
        try (Jedis jedis = new Jedis(first(), redis.clients.jedis.DefaultJedisClientConfig.builder().build())) {
            String myId = jedis.clusterMyId();
            assertEquals(40, myId.length());
            List<Object> slots = jedis.clusterSlots();
            assertEquals(1, slots.size());
            List<?> range = (List<?>) slots.get(0);
            assertEquals(List.of(0L, 16383L), range.subList(0, 2));
            assertEquals(4, range.size(), "master and one replica");
            List<?> master = (List<?>) range.get(2);
            assertEquals("127.0.0.1", new String((byte[]) master.get(0), StandardCharsets.UTF_8));
            assertEquals((long) cluster.respPort(), master.get(1));
            assertEquals(myId, new String((byte[]) master.get(2), StandardCharsets.UTF_8));

            String nodes = jedis.clusterNodes();
            String[] lines = nodes.split("\n");
            assertEquals(2, lines.length, nodes);
            assertTrue(lines[0].startsWith(myId + " 127.0.0.1:" + cluster.respPort() + "@0 myself,master - 0 "), lines[0]);
            assertTrue(lines[0].endsWith(" connected 0-16383"), lines[0]);
            assertTrue(lines[1].contains(" 127.0.0.1:" + secondPort + "@0 slave " + myId + " "), lines[1]);

            List<ClusterShardInfo> shards = jedis.clusterShards();
            assertEquals(1, shards.size());
            assertEquals(List.of(List.of(0L, 16383L)), shards.get(0).getSlots());
            assertEquals(2, shards.get(0).getNodes().size());
            assertEquals("master", shards.get(0).getNodes().get(0).getRole());
            assertEquals(myId, shards.get(0).getNodes().get(0).getId());

            String info = jedis.clusterInfo();
            assertTrue(info.startsWith("cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"), info);
            assertTrue(info.contains("cluster_known_nodes:2\r\n"), info);

            jedis.set("{slotted}1", "a");
            jedis.set("{slotted}2", "b");
            int slot = (int) jedis.clusterKeySlot("{slotted}x");
            assertEquals(JedisClusterCRC16.getSlot("slotted"), slot);
            assertEquals(2L, jedis.clusterCountKeysInSlot(slot));
            assertEquals(List.of("{slotted}2", "{slotted}1"), jedis.clusterGetKeysInSlot(slot, 10));
            assertEquals("OK", jedis.readonly());
            assertEquals("OK", jedis.readwrite());
            assertEquals("OK", jedis.asking());
            // atomic multi-key commands across slots are refused; splittable ones are not
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot", errorOf(() -> jedis.rename("{a}x", "{b}x")));
            assertEquals("OK", jedis.mset("{a}x", "1", "{b}x", "2"));
            assertEquals(List.of("1", "2"), jedis.mget("{a}x", "{b}x"));
        }
    }

    @Test
    void theSecondGatewayNamesItselfMaster() {
        try (Jedis jedis = new Jedis("127.0.0.1", secondPort, 10_000)) {
            String nodes = jedis.clusterNodes();
            assertTrue(nodes.startsWith(jedis.clusterMyId() + " 127.0.0.1:" + secondPort + "@0 myself,master"), nodes);
        }
    }

    @Test
    void redisCliFollowsTheClusterProtocol() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals("OK", redisCli("-c", "SET", "cli:" + i, "value" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("value" + i, redisCli("-c", "GET", "cli:" + i));
        }
        cluster.assertKeysInEveryShard("cli:", 20);
        assertEquals("12182", redisCli("-c", "CLUSTER", "KEYSLOT", "foo"));
        String check = redisCli("--cluster", "check", "127.0.0.1:" + cluster.respPort());
        assertTrue(check.contains("[OK] All 16384 slots covered."), check);
    }

    @Test
    void lettuceClusterClientDiscoversTheGatewaysAndRoutes() {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.respPort()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            Partitions partitions = client.getPartitions();
            List<Integer> ports = new ArrayList<>();
            for (RedisClusterNode node : partitions) {
                ports.add(node.getUri().getPort());
            }
            assertTrue(ports.contains(cluster.respPort()) && ports.contains(secondPort), "nodes " + ports);
            RedisAdvancedClusterCommands<String, String> sync = connection.sync();
            for (int i = 0; i < 100; i++) {
                assertEquals("OK", sync.set("lettuce:" + i, "v" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, sync.get("lettuce:" + i));
            }
            cluster.assertKeysInEveryShard("lettuce:", 100);
            // Lettuce splits a cross-slot MGET by slot itself
            assertEquals("v1", sync.mget("lettuce:1", "lettuce:2").get(0).getValue());
        } finally {
            client.shutdown();
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

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
