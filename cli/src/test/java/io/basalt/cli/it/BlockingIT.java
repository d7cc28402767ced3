package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * Blocking commands on a real 3-node cluster through the gateway, driven by Jedis: blocked
 * clients are served in FIFO order by a push from another connection, a timeout is never early,
 * and a client blocked while the leader is killed (kill -9) is served after the failover with no
 * element lost or duplicated.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BlockingIT {

    @Test
    void blockedClientsServedFifoTimeoutNotEarlyAndFailoverLosesNothing() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (TestCluster cluster = new TestCluster("blocking", 3).start(); Jedis admin = cluster.jedis()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            fifo(cluster, admin, pool);
            timeoutIsNotEarly(cluster);
            failover(cluster, admin, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Blocks one client at a time (each once the previous is blocked), then one push serves them all in order. */
    private static void fifo(TestCluster cluster, Jedis admin, ExecutorService pool) throws Exception {
        int clients = 4;
        List<CompletableFuture<List<String>>> popped = blockClients(cluster, admin, pool, "fifo", clients);
        assertEquals((long) clients, admin.rpush("fifo", "e0", "e1", "e2", "e3"));
        for (int i = 0; i < clients; i++) {
            assertEquals(List.of("fifo", "e" + i), popped.get(i).get(30, TimeUnit.SECONDS), "client " + i);
        }
        assertEquals(0L, admin.llen("fifo"), "each element went to exactly one client");
        TestCluster.awaitCondition("no blocked client left", Duration.ofSeconds(10), () -> blocked(admin) == 0);
        // a sorted set serves a blocked BZPOPMIN the same way
        CompletableFuture<KeyValue<String, Tuple>> z = CompletableFuture.supplyAsync(() -> {
            try (Jedis j = cluster.jedis()) {
                return j.bzpopmin(0, "zq");
            }
        }, pool);
        TestCluster.awaitCondition("BZPOPMIN blocked", Duration.ofSeconds(30), () -> blocked(admin) == 1);
        admin.zadd("zq", 2.5, "m");
        KeyValue<String, Tuple> served = z.get(30, TimeUnit.SECONDS);
        assertEquals("zq", served.getKey());
        assertEquals(new Tuple("m", 2.5), served.getValue());
    }

    private static List<CompletableFuture<List<String>>> blockClients(TestCluster cluster, Jedis admin,
                                                                     ExecutorService pool, String key, int clients) {
        List<CompletableFuture<List<String>>> popped = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int expectBlocked = i + 1;
            popped.add(CompletableFuture.supplyAsync(() -> {
                try (Jedis j = cluster.jedis()) {
                    return j.blpop(0, key);
                }
            }, pool));
            TestCluster.awaitCondition("client " + i + " blocked", Duration.ofSeconds(30),
                () -> blocked(admin) == expectBlocked);
        }
        return popped;
    }

    private static void timeoutIsNotEarly(TestCluster cluster) {
        try (Jedis j = cluster.jedis()) {
            for (double timeout : new double[] {0.2, 1.0}) {
                long start = System.nanoTime();
                KeyValue<String, String> reply = j.blpop(timeout, "never-pushed");
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("BlockingIT: BLPOP timeout %.1f s answered after %d ms (late by %d ms)%n",
                    timeout, elapsedMs, elapsedMs - (long) (timeout * 1000));
                assertNull(reply);
                assertTrue(elapsedMs >= (long) (timeout * 1000), "timed out early: " + elapsedMs + " ms");
            }
        }
    }

    private static void failover(TestCluster cluster, Jedis admin, ExecutorService pool) throws Exception {
        int clients = 3;
        List<CompletableFuture<List<String>>> popped = blockClients(cluster, admin, pool, "fo", clients);
        String leader = cluster.awaitLeader(Duration.ofSeconds(30));
        cluster.kill9(leader);
        String newLeader = cluster.awaitLeader(Duration.ofSeconds(60));
        assertNotEquals(leader, newLeader);
        // not retried: an UNCERTAIN push might have been applied, and the count below would be off
        assertEquals(4L, admin.rpush("fo", "a", "b", "c", "d"));
        List<String> got = new ArrayList<>();
        for (CompletableFuture<List<String>> p : popped) {
            List<String> kv = p.get(60, TimeUnit.SECONDS);
            assertEquals("fo", kv.get(0));
            got.add(kv.get(1));
        }
        System.out.printf("BlockingIT: killed leader %s, new leader %s; blocked clients got %s%n", leader, newLeader, got);
        assertEquals(List.of("a", "b", "c"), got, "FIFO, each element once");
        assertEquals(List.of("d"), admin.lrange("fo", 0, -1), "the rest stays in the list");
    }

    private static long blocked(Jedis admin) {
        for (String line : admin.info("clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Long.parseLong(line.substring("blocked_clients:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO clients has no blocked_clients");
    }
}
