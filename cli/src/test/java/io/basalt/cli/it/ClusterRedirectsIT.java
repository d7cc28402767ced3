package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code --cluster-slots leaders} on a real cluster of 6 node processes and 3 shards of 3
 * replicas, with a metadata group and a gateway beside each of n1, n2 and n3 (their addresses
 * registered by the nodes): each shard's slots are presented at the gateway beside its leader,
 * other gateways answer MOVED, and JedisCluster, Lettuce's cluster client and redis-cli -c follow
 * the redirects and reach every shard; after the leader of a shard is killed, the slots move to
 * the gateway of the new leader and JedisCluster keeps writing them.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterRedirectsIT {

    @Test
    void clusterClientsFollowSlotsToTheirLeadersGateway() throws Exception {
        int[] gatewayPorts = TestCluster.freePorts(3);
        Map<String, Integer> gatewayOf = new HashMap<>();
        try (TestCluster cluster = new TestCluster("cluster-redirects", 6, 3, 3,
                List.of("--meta-replicas", "3", "--dead-after-ms", "60000"))) {
            for (int i = 1; i <= 3; i++) {
                gatewayOf.put("n" + i, gatewayPorts[i - 1]);
                cluster.nodeArguments("n" + i, List.of("--gateway-address", "127.0.0.1:" + gatewayPorts[i - 1]));
            }
            List<String> leaders = List.of("--cluster-mode", "enabled", "--cluster-slots", "leaders", "--meta-replicas", "3");
            cluster.gatewayArguments(List.of("--meta-replicas", "3")); // the main gateway: a plain proxy
            cluster.start();
            for (int port : gatewayPorts) {
                cluster.startExtraGateway(port, leaders);
            }
            // each shard's preferred leader is its first replica (n1, n2, n3): the controller moves
            // leadership there, so the three shards are presented at three different gateways
            TestCluster.awaitCondition("three masters in CLUSTER SLOTS", Duration.ofSeconds(90),
                () -> mastersOf(gatewayPorts[0]).size() == 3);
            for (int port : gatewayPorts) {
                List<Object> slots = clusterSlots(port);
                assertEquals(3, slots.size(), "three ranges at gateway " + port);
                for (Object r : slots) {
                    List<?> range = (List<?>) r;
                    int shard = cluster.topology().slotMap().shardIndexOfSlot((int) (long) (Long) range.get(0));
                    String leader = cluster.leader(shard).orElseThrow();
                    long masterPort = (Long) ((List<?>) range.get(2)).get(1);
                    assertEquals((long) gatewayOf.get(leader), masterPort, "shard " + shard + "'s slots at its leader's gateway");
                    long otherGateways = cluster.topology().shards().get(shard).replicas().stream()
                        .map(io.basalt.router.slot.ShardInfo.Replica::peerId)
                        .filter(id -> !id.equals(leader) && gatewayOf.containsKey(id)).count();
                    assertEquals(3 + otherGateways, range.size(), "master, then the other members' gateways as replicas: " + range);
                }
            }

            // a key of shard 2 asked at n1's gateway: MOVED to n3's
            String key = keyOfShard(cluster, 2, "k");
            int slot = JedisClusterCRC16.getSlot(key);
            String reply = redisCli(gatewayPorts[0], "SET", key, "v");
            assertEquals("MOVED " + slot + " 127.0.0.1:" + gatewayPorts[2], reply);
            assertEquals("OK", redisCli(gatewayPorts[0], "-c", "SET", key, "v"));
            assertEquals("v", redisCli(gatewayPorts[1], "-c", "GET", key));

            try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", gatewayPorts[0])))) {
                for (int i = 0; i < 150; i++) {
                    assertEquals("OK", jc.set("jr:" + i, "v" + i));
                }
                for (int i = 0; i < 150; i++) {
                    assertEquals("v" + i, jc.get("jr:" + i));
                }
                cluster.assertKeysInEveryShard("jr:", 150);

                RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", gatewayPorts[1]));
                try (StatefulRedisClusterConnection<String, String> c = lettuce.connect()) {
                    RedisAdvancedClusterCommands<String, String> sync = c.sync();
                    for (int i = 0; i < 100; i++) {
                        assertEquals("OK", sync.set("lr:" + i, "v" + i));
                    }
                    for (int i = 0; i < 100; i++) {
                        assertEquals("v" + i, sync.get("lr:" + i));
                    }
                    assertEquals("v5", sync.get("jr:5"));
                } finally {
                    lettuce.shutdown();
                }
                cluster.assertKeysInEveryShard("lr:", 100);

                // READONLY at a gateway listed as a replica of shard 0 (n3's): reads are served there
                // (follower reads), writes still MOVED, as on a Redis replica
                String readHere = keyOfShard(cluster, 0, "ro");
                assertEquals("OK", jc.set(readHere, "r"));
                try (Jedis replica = new Jedis("127.0.0.1", gatewayPorts[2], 10_000)) {
                    assertEquals("OK", replica.readonly());
                    assertEquals("r", replica.get(readHere));
                    assertTrue(errorOf(() -> replica.set(readHere, "w")).startsWith("MOVED "), "a write is redirected");
                }

                // shard 0's leader (n1) dies; its slots move to the gateway beside the new leader
                String shard0Key = keyOfShard(cluster, 0, "failover");
                cluster.kill9("n1");
                TestCluster.awaitCondition("shard 0 led elsewhere", Duration.ofSeconds(60),
                    () -> cluster.leader(0).map(l -> !l.equals("n1")).orElse(false));
                String newLeader = cluster.leader(0).orElseThrow();
                TestCluster.awaitCondition("shard 0's slots at " + newLeader + "'s gateway", Duration.ofSeconds(60),
                    () -> masterPortOfSlot(gatewayPorts[1], JedisClusterCRC16.getSlot(shard0Key)) == gatewayOf.get(newLeader));
                Optional<Exception> last = Optional.empty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean written = false;
                while (!written && System.nanoTime() < deadline) {
                    try {
                        written = "OK".equals(jc.set(shard0Key, "after")) && "after".equals(jc.get(shard0Key));
                    } catch (Exception e) {
                        last = Optional.of(e); // the client refreshes its slots and retries
                    }
                }
                assertTrue(written, "JedisCluster writes shard 0 after its failover: " + last);
            }
        }
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static String keyOfShard(TestCluster cluster, int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (cluster.topology().slotMap().shardIndexOfSlot(JedisClusterCRC16.getSlot(k)) == shard) {
                return k;
            }
        }
    }

    private static List<Object> clusterSlots(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            return j.clusterSlots();
        }
    }

    private static Set<Long> mastersOf(int port) {
        Set<Long> masters = new HashSet<>();
        try {
            for (Object r : clusterSlots(port)) {
                masters.add((Long) ((List<?>) ((List<?>) r).get(2)).get(1));
            }
        } catch (Exception e) {
            // not serving yet
        }
        return masters;
    }

    private static int masterPortOfSlot(int port, int slot) {
        try {
            for (Object r : clusterSlots(port)) {
                List<?> range = (List<?>) r;
                if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
                    return (int) (long) (Long) ((List<?>) range.get(2)).get(1);
                }
            }
        } catch (Exception e) {
            // not answering right now
        }
        return -1;
    }

    private static String redisCli(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("redis-cli is not installed (apt-get install redis-tools); .ci/run installs it", e);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "redis-cli hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertNotEquals("", out);
        return out;
    }
}
