package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Scaling a running cluster through the metadata group, under writes: 4 nodes in 3 zones with 2
 * shards of 3 replicas; a fifth node starts and {@code basalt admin add-node} moves a replica onto
 * it; {@code add-shard} creates a third shard and {@code rebalance} moves a third of the slots to
 * it; {@code remove-node} moves a node's replicas off before removing it; a node killed with
 * {@code kill -9} is declared dead and its replicas re-placed. Throughout, writers INCR counters
 * and SADD unique members; afterwards every acknowledged write is there exactly once, every
 * shard has its full replication and the slots are even.
 */
class ScaleOutIT {

    private static final int WRITERS = 3;
    private static final int COUNTERS = 40;
    private static final int SETS = 20;
    private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(4);

    @Test
    void nodesAndShardsAreAddedAndRemovedUnderWritesWithoutLosingAnAcknowledgedWrite() throws Exception {
        long seed = Long.getLong("basalt.it.seed", System.nanoTime());
        System.out.println("ScaleOutIT seed " + seed + " (rerun with -Dbasalt.it.seed=" + seed + ")");
        Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
        Map<String, AtomicLong> unknown = new ConcurrentHashMap<>();
        Set<String> ackedMembers = ConcurrentHashMap.newKeySet();
        Set<String> sentMembers = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < COUNTERS; i++) {
            acked.put("c:" + i, new AtomicLong());
            unknown.put("c:" + i, new AtomicLong());
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<String> meta = List.of("--meta-replicas", "3", "--dead-after-ms", "6000");
        try (TestCluster cluster = new TestCluster("scale-out", 4, 2, 3, meta)) {
            cluster.nodeArguments("n1", List.of("--zone", "z1")).nodeArguments("n2", List.of("--zone", "z2"))
                .nodeArguments("n3", List.of("--zone", "z3")).nodeArguments("n4", List.of("--zone", "z1"));
            cluster.gatewayArguments(List.of("--meta-replicas", "3"));
            cluster.start();
            String gateway = "127.0.0.1:" + cluster.respPort();
            TestCluster.awaitCondition("every node registered and reporting", Duration.ofSeconds(60),
                () -> reportingNodes(cluster) == 4);

            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed + w);
                int writer = w;
                Thread t = new Thread(() -> write(cluster, random, writer, stop, acked, unknown, ackedMembers, sentMembers),
                    "writer-" + w);
                t.start();
                writers.add(t);
            }
            TestCluster.awaitCondition("writes flowing", Duration.ofSeconds(30),
                () -> acked.values().stream().mapToLong(AtomicLong::get).sum() > 50);

            // a fifth node joins and takes a replica
            cluster.startAddedNode("n5", List.of("--zone", "z2"));
            TestCluster.AdminRun added = cluster.basalt(ADMIN_TIMEOUT, "admin", "add-node", "--target", gateway,
                "--node", "n5", "--slots", "none");
            assertEquals(0, added.exitCode(), added.output());
            assertTrue(added.output().contains("-> n5"), "a replica moves to the new node:\n" + added.output());
            assertTrue(added.output().contains("shard"), "progress is shown:\n" + added.output());
            MetaReply afterAdd = status(cluster);
            assertTrue(afterAdd.getState().getShardsList().stream().anyMatch(s -> s.getMembersList().contains("n5")),
                "n5 hosts a replica: " + afterAdd.getState());

            // a third shard, then slots spread evenly over three shards while the writers run
            TestCluster.AdminRun shard = cluster.basalt(ADMIN_TIMEOUT, "admin", "add-shard", "--target", gateway);
            assertEquals(0, shard.exitCode(), shard.output());
            TestCluster.AdminRun rebalance = cluster.basalt(ADMIN_TIMEOUT, "admin", "rebalance", "--target", gateway);
            assertEquals(0, rebalance.exitCode(), rebalance.output());
            System.out.println("ScaleOutIT rebalance: longest pause " + longestPause(rebalance.output()) + " ms");
            TestCluster.AdminRun shown = cluster.basalt(Duration.ofMinutes(1), "admin", "status", "--target", gateway);
            assertEquals(0, shown.exitCode(), shown.output());
            for (int s = 0; s < 3; s++) {
                Matcher m = Pattern.compile("(?m)^" + s + "\\s+\\S+\\s+(\\d+)\\s").matcher(shown.output());
                assertTrue(m.find(), "shard " + s + " in the status:\n" + shown.output());
                int slots = Integer.parseInt(m.group(1));
                assertTrue(slots == 5461 || slots == 5462, "shard " + s + " owns " + slots + " slots:\n" + shown.output());
            }

            // n4 leaves: its replicas move first
            TestCluster.AdminRun removed = cluster.basalt(ADMIN_TIMEOUT, "admin", "remove-node", "--target", gateway,
                "--node", "n4");
            assertEquals(0, removed.exitCode(), removed.output());
            assertFullReplication(status(cluster), "n4");
            cluster.stopNode("n4");

            // n5 dies: the metadata leader declares it dead after 6 s and re-places its replicas
            cluster.kill9("n5");
            MetaReply[] last = new MetaReply[1];
            try {
                TestCluster.awaitCondition("n5's replicas re-placed", Duration.ofSeconds(90), () -> {
                    MetaReply s = status(cluster);
                    if (s != null) {
                        last[0] = s;
                    }
                    return s != null && s.getState().getNodesList().stream()
                            .anyMatch(n -> n.getId().equals("n5") && n.getState() == NodeState.NODE_DEAD)
                        && s.getState().getShardsList().stream().allMatch(sh -> sh.getMembersCount() == 3
                            && !sh.getMembersList().contains("n5")
                            && new java.util.HashSet<>(sh.getDesiredList()).equals(new java.util.HashSet<>(sh.getMembersList())));
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last status: " + last[0], e);
            }
            assertFullReplication(status(cluster), "n5");

            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
            try (Jedis j = cluster.jedis()) {
                for (Map.Entry<String, AtomicLong> e : acked.entrySet()) {
                    String v = j.get(e.getKey());
                    long value = v == null ? 0 : Long.parseLong(v);
                    long ack = e.getValue().get();
                    long max = ack + unknown.get(e.getKey()).get();
                    assertTrue(value >= ack && value <= max, e.getKey() + " = " + value + ", acknowledged " + ack + ", at most " + max);
                }
                for (String m : ackedMembers) {
                    String[] parts = m.split("/", 2);
                    assertTrue(j.sismember(parts[0], parts[1]), "acknowledged member lost: " + m);
                }
                for (int i = 0; i < SETS; i++) {
                    for (String member : j.smembers("s:" + i)) {
                        assertTrue(sentMembers.contains("s:" + i + "/" + member), "member never sent: " + member);
                    }
                }
            }
            long total = acked.values().stream().mapToLong(AtomicLong::get).sum();
            System.out.println("ScaleOutIT: " + total + " acknowledged increments and " + ackedMembers.size()
                + " acknowledged members all present");
        } finally {
            stop.set(true);
        }
    }

    private static void write(TestCluster cluster, Random random, int writer, AtomicBoolean stop,
                              Map<String, AtomicLong> acked, Map<String, AtomicLong> unknown,
                              Set<String> ackedMembers, Set<String> sentMembers) {
        Jedis j = cluster.jedis();
        long n = 0;
        while (!stop.get()) {
            boolean incr = random.nextInt(3) > 0;
            String key = incr ? "c:" + random.nextInt(COUNTERS) : "s:" + random.nextInt(SETS);
            String member = writer + "-" + n++;
            try {
                if (incr) {
                    j.incr(key);
                    acked.get(key).incrementAndGet();
                } else {
                    sentMembers.add(key + "/" + member);
                    j.sadd(key, member);
                    ackedMembers.add(key + "/" + member);
                }
            } catch (JedisDataException | JedisConnectionException e) {
                if (incr) {
                    unknown.get(key).incrementAndGet(); // may or may not have been applied
                }
                if (e instanceof JedisConnectionException) {
                    j.close();
                    j = cluster.jedis(); // connects lazily: a failure shows up as the next command's
                }
            }
        }
        j.close();
    }

    private static void assertFullReplication(MetaReply status, String gone) {
        for (MetaShard s : status.getState().getShardsList()) {
            assertEquals(3, s.getMembersCount(), "shard " + s.getIndex() + " has full replication: " + s);
            assertTrue(!s.getMembersList().contains(gone), "shard " + s.getIndex() + " still on " + gone + ": " + s);
        }
    }

    private static int reportingNodes(TestCluster cluster) {
        MetaReply s = status(cluster);
        return s == null ? 0 : (int) s.getHealthList().stream()
            .filter(h -> h.getMillisSinceHeartbeat() >= 0 && h.getMillisSinceHeartbeat() < 5000).count();
    }

    /** The metadata group's state and node health through the gateway; null if it did not answer. */
    private static MetaReply status(TestCluster cluster) {
        try (Jedis j = cluster.jedis()) {
            Object reply = j.sendCommand(() -> "basalt.meta.status".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return MetaReply.parseFrom((byte[]) reply);
        } catch (Exception e) {
            return null;
        }
    }

    private static String longestPause(String output) {
        Matcher m = Pattern.compile("longest pause ([0-9.]+) ms").matcher(output);
        String longest = "?";
        double max = -1;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            if (v > max) {
                max = v;
                longest = m.group(1);
            }
        }
        return longest;
    }
}
