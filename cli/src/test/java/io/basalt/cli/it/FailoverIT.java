package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * kill -9 of the leader while a writer runs: writes resume through the gateway, and every write
 * the writer saw acknowledged is readable afterwards. Prints the unavailability window.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FailoverIT {

    @Test
    void leaderKillLosesNoAcknowledgedWrite() throws Exception {
        try (TestCluster cluster = new TestCluster("failover", 3).start()) {
            String leader = cluster.awaitLeader(Duration.ofSeconds(30));
            ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
            AtomicLong lastAckNanos = new AtomicLong();
            AtomicLong killNanos = new AtomicLong(Long.MAX_VALUE);
            AtomicLong firstAckAfterKill = new AtomicLong();
            AtomicLong failedWrites = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);

            Thread writer = new Thread(() -> {
                Jedis jedis = cluster.jedis();
                for (int i = 0; running.get(); i++) {
                    try {
                        if ("OK".equals(jedis.set("fo:" + i, Integer.toString(i)))) {
                            long now = System.nanoTime();
                            acknowledged.add(i);
                            lastAckNanos.set(now);
                            if (now > killNanos.get()) {
                                firstAckAfterKill.compareAndSet(0, now);
                            }
                        }
                    } catch (Exception e) {
                        failedWrites.incrementAndGet(); // outcome unknown: not counted as acknowledged
                        jedis.close();
                        jedis = cluster.jedis();
                    }
                }
                jedis.close();
            }, "writer");
            writer.start();

            TestCluster.awaitCondition("500 acknowledged writes before the kill", Duration.ofSeconds(60),
                () -> acknowledged.size() >= 500);
            long ackedBeforeKill = acknowledged.size();
            killNanos.set(System.nanoTime());
            cluster.kill9(leader);
            TestCluster.awaitCondition("writes to resume after the kill", Duration.ofSeconds(30),
                () -> firstAckAfterKill.get() != 0);
            TestCluster.awaitCondition("500 more acknowledged writes", Duration.ofSeconds(60),
                () -> acknowledged.size() >= ackedBeforeKill + 500);
            running.set(false);
            writer.join(30_000);

            long windowMs = TimeUnit.NANOSECONDS.toMillis(firstAckAfterKill.get() - killNanos.get());
            String newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
            System.out.printf("FailoverIT: killed leader %s; new leader %s; unavailability window %d ms; "
                + "%d writes acknowledged, %d failed with unknown outcome%n",
                leader, newLeader, windowMs, acknowledged.size(), failedWrites.get());
            assertNotEquals(leader, newLeader);

            List<Integer> missing = new ArrayList<>();
            try (Jedis jedis = cluster.jedis()) {
                for (int i : acknowledged) {
                    if (!Integer.toString(i).equals(jedis.get("fo:" + i))) {
                        missing.add(i);
                    }
                }
            }
            assertEquals(List.of(), missing, "acknowledged writes lost");
            assertTrue(acknowledged.size() >= ackedBeforeKill + 500);
        }
    }
}
