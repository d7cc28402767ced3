package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** Stop every node, start them again on the same data folders: everything written is there. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RestartIT {

    @Test
    void dataSurvivesFullRestart() throws Exception {
        try (TestCluster cluster = new TestCluster("restart", 3).start()) {
            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < 1000; i++) {
                    jedis.set("rs:" + i, "value-" + i);
                }
                jedis.incrBy("rs:counter", 42);
                jedis.set("rs:ttl", "lives", redis.clients.jedis.params.SetParams.setParams().ex(3600));
                jedis.set("rs:gone", "soon", redis.clients.jedis.params.SetParams.setParams().px(1));
            }
            cluster.stopAllNodes();
            for (String id : cluster.nodes().keySet()) {
                cluster.startNode(id);
            }
            cluster.awaitServing(Duration.ofSeconds(60));
            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < 1000; i++) {
                    assertEquals("value-" + i, jedis.get("rs:" + i), "key rs:" + i);
                }
                assertEquals("42", jedis.get("rs:counter"));
                long ttl = jedis.ttl("rs:ttl");
                assertTrue(ttl > 3000 && ttl <= 3600, "TTL kept across restart: " + ttl);
                assertNull(jedis.get("rs:gone"), "an expired key stays expired");
            }
        }
    }
}
