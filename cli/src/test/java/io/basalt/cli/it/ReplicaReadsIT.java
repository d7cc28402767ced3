package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * READONLY connections read from followers (3 nodes, 1 shard, cluster mode): the nodes count the
 * read batches they served as followers, so a read served by the leader would not count and the
 * test would fail. Every write is read back at once on the same connection, in both modes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ReplicaReadsIT {

    private static final int PAIRS = 200;

    @Test
    void readonlyReadsAreServedByFollowersAndSeeTheConnectionsWrites() throws Exception {
        try (TestCluster cluster = new TestCluster("replica-reads", 3)
                .gatewayArguments(List.of("--cluster-mode", "enabled", "--replica-reads", "linearizable")).start()) {
            try (Jedis plain = cluster.jedis()) {
                long before = followerBatches(cluster);
                for (int i = 0; i < 50; i++) {
                    plain.set("plain", "v" + i);
                    assertEquals("v" + i, plain.get("plain"));
                }
                assertEquals(before, followerBatches(cluster), "without READONLY every read goes to the leader");
            }
            try (Jedis ro = cluster.jedis()) {
                assertEquals("OK", ro.readonly());
                assertEquals("linearizable", ro.configGet("replica-reads").get("replica-reads"));
                long before = followerBatches(cluster);
                writeThenRead(ro, "lin");
                long linearizable = followerBatches(cluster) - before;
                System.out.printf("ReplicaReadsIT: linearizable: %d of %d reads served by followers; %s%n",
                    linearizable, PAIRS, replicationInfo(ro));
                assertTrue(linearizable >= PAIRS / 2, "follower read batches: " + linearizable);

                assertEquals("OK", ro.configSet("replica-reads", "stale"));
                assertEquals("stale", ro.configGet("replica-reads").get("replica-reads"));
                before = followerBatches(cluster);
                writeThenRead(ro, "stale");
                long stale = followerBatches(cluster) - before;
                String info = replicationInfo(ro);
                System.out.printf("ReplicaReadsIT: stale: %d of %d reads served by followers; %s%n", stale, PAIRS, info);
                assertTrue(stale >= PAIRS / 2, "follower read batches: " + stale);
                assertTrue(info.contains("basalt_replica_reads_mode:stale"), info);

                assertEquals("OK", ro.readwrite());
                before = followerBatches(cluster);
                assertEquals("v0", ro.get("stale:0"));
                assertEquals(before, followerBatches(cluster), "READWRITE: reads go to the leader again");
            }
        }
    }

    @Test
    void linearizableReplicaReadsWorkAfterTheLeaderIsKilled() throws Exception {
        try (TestCluster cluster = new TestCluster("replica-reads-failover", 3)
                .gatewayArguments(List.of("--cluster-mode", "enabled")).start()) {
            String leader = cluster.awaitLeader(Duration.ofSeconds(30));
            try (Jedis ro = cluster.jedis()) {
                ro.readonly();
                writeThenRead(ro, "before");
            }
            cluster.kill9(leader);
            TestCluster.awaitCondition("writes after the failover", Duration.ofSeconds(60), () -> {
                try (Jedis j = cluster.jedis()) {
                    return "OK".equals(j.set("probe", "1"));
                } catch (Exception e) {
                    return false;
                }
            });
            String newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
            try (Jedis ro = cluster.jedis()) {
                ro.readonly();
                for (int i = 0; i < PAIRS; i++) {
                    assertEquals("v" + i, ro.get("before:" + i), "written before the kill");
                }
                String survivor = cluster.nodes().keySet().stream()
                    .filter(id -> !id.equals(leader) && !id.equals(newLeader)).findFirst().orElseThrow();
                long before = count(cluster, survivor);
                writeThenRead(ro, "after");
                long served = count(cluster, survivor) - before;
                System.out.printf("ReplicaReadsIT: after killing %s, %s leads; follower %s served %d read batches; %s%n",
                    leader, newLeader, survivor, served, replicationInfo(ro));
                assertTrue(served >= PAIRS / 2, "the remaining follower served " + served);
            }
        }
    }

    @Test
    void lettuceReadFromReplicaReadsItsWrites() throws Exception {
        int secondPort = TestCluster.freePorts(1)[0];
        try (TestCluster cluster = new TestCluster("replica-reads-lettuce", 3)
                .gatewayArguments(List.of("--cluster-mode", "enabled", "--cluster-gateways", "g2=127.0.0.1:" + secondPort))
                .start()) {
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
            long before = followerBatches(cluster);
            RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.respPort()));
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                // writes go to the master gateway, reads to the "replica" gateway with READONLY:
                // two gateways, so only a linearizable read sees a write acknowledged just before
                connection.setReadFrom(ReadFrom.REPLICA);
                RedisAdvancedClusterCommands<String, String> sync = connection.sync();
                for (int i = 0; i < 100; i++) {
                    assertEquals("OK", sync.set("lettuce:" + i, "v" + i));
                    assertEquals("v" + i, sync.get("lettuce:" + i));
                }
            } finally {
                client.shutdown();
            }
            long served = followerBatches(cluster) - before;
            System.out.printf("ReplicaReadsIT: Lettuce ReadFrom.REPLICA: %d follower read batches%n", served);
            assertTrue(served >= 50, "follower read batches: " + served);
        }
    }

    /** SET then GET of each key on one connection: the read must see the write just acknowledged. */
    private static void writeThenRead(Jedis jedis, String prefix) {
        for (int i = 0; i < PAIRS; i++) {
            assertEquals("OK", jedis.set(prefix + ":" + i, "v" + i));
            assertEquals("v" + i, jedis.get(prefix + ":" + i), "read of " + prefix + ":" + i + " after its write");
        }
    }

    /** Read batches served as follower, summed over the nodes that answer. */
    private static long followerBatches(TestCluster cluster) {
        long sum = 0;
        for (String id : cluster.nodes().keySet()) {
            sum += count(cluster, id);
        }
        return sum;
    }

    private static long count(TestCluster cluster, String id) {
        Map<String, String> info = cluster.nodeInfo(id);
        return Long.parseLong(info.getOrDefault("follower-read-batches", "0"));
    }

    private static String replicationInfo(Jedis jedis) {
        StringBuilder b = new StringBuilder();
        for (String line : jedis.info("replication").split("\r\n")) {
            if (line.startsWith("basalt_")) {
                b.append(line).append(' ');
            }
        }
        return b.toString().trim();
    }
}
