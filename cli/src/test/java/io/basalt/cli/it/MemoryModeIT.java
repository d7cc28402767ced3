package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@code --durability memory}: a killed replica comes back empty and catches up from the
 * leader, so killing one node at a time loses nothing; killing all three loses everything, and
 * the cluster comes back empty and working. Nothing but Ratis's own metadata reaches the disk.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MemoryModeIT {

    private static final int KEYS = 300;

    @Test
    void oneNodeAtATimeLosesNothingAllAtOnceLosesAll() throws Exception {
        try (TestCluster cluster = new TestCluster("memory", 3, List.of("--durability", "memory")).start()) {
            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < KEYS; i++) {
                    assertEquals("OK", jedis.set("mem:" + i, "v" + i));
                }
                assertEquals(5, jedis.rpush("mem:list", "a", "b", "c", "d", "e"));
                JedisDataException refused = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                    jedis::bgsave);
                assertTrue(refused.getMessage().contains("--durability memory"), refused.getMessage());
            }

            // kill the leader, bring it back empty, let it catch up, then kill another node: the
            // data now lives on the restarted node and the third one only
            String first = cluster.awaitLeader(Duration.ofSeconds(30));
            cluster.kill9(first);
            cluster.startNode(first);
            try (Jedis jedis = cluster.jedis()) {
                assertEquals("OK", jedis.set("mem:marker", "after-restart"));
            }
            String second = cluster.awaitLeader(Duration.ofSeconds(30));
            assertNotEquals(first, second);
            long committed = cluster.appliedIndex(second);
            TestCluster.awaitCondition(first + " caught up to index " + committed, Duration.ofSeconds(60),
                () -> cluster.appliedIndex(first) >= committed);
            cluster.kill9(second);
            cluster.awaitServing(Duration.ofSeconds(60));
            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < KEYS; i++) {
                    assertEquals("v" + i, jedis.get("mem:" + i), "mem:" + i + " after two single-node kills");
                }
                assertEquals(List.of("a", "b", "c", "d", "e"), jedis.lrange("mem:list", 0, -1));
                assertEquals("after-restart", jedis.get("mem:marker"));
            }
            cluster.startNode(second);

            assertEquals(List.of(), dataFiles(cluster.dataDir()), "no log segment or snapshot on disk");

            cluster.kill9AllNodes();
            for (String id : cluster.nodes().keySet()) {
                cluster.startNode(id);
            }
            cluster.awaitServing(Duration.ofSeconds(60));
            try (Jedis jedis = cluster.jedis()) {
                assertEquals(0, jedis.dbSize(), "a full restart in memory mode starts empty");
                assertEquals("OK", jedis.set("mem:new", "fresh"));
                assertEquals("fresh", jedis.get("mem:new"));
            }
        }
    }

    /** Files that would hold data: log segments (log_*) and snapshots; Ratis's metadata files are allowed. */
    private static List<String> dataFiles(Path dataDir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                String rel = dataDir.relativize(p).toString();
                System.out.println("MemoryModeIT: on disk: " + rel);
                if (name.startsWith("log_") || rel.contains("snapshot.")) {
                    found.add(rel);
                }
            });
        }
        return found;
    }
}
