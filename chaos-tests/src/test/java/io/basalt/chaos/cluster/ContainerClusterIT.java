package io.basalt.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three node containers and a gateway container; skipped where there is no Docker engine. */
class ContainerClusterIT {

    static final Duration WAIT = Duration.ofSeconds(90);

    // per test, not @BeforeAll: failsafe reports a skipped test with its reason, an aborted class without
    @BeforeEach
    void needsDocker() {
        Optional<String> why = ContainerCluster.probe();
        why.ifPresent(reason -> System.out.println("container backend unavailable: " + reason + " (skipped)"));
        assumeTrue(why.isEmpty(), () -> "container backend unavailable: " + why.orElse(""));
    }

    @Test
    void killingTheLeaderElectsAnother() throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-runs")), "containers-");
        try (ContainerCluster cluster = new ContainerCluster(ClusterOptions.builder(run).build())) {
            cluster.start();
            try (Jedis jedis = new Jedis(cluster.resp().getHostString(), cluster.resp().getPort(), 10_000)) {
                assertEquals("OK", jedis.set("before", "1"));
            }
            String leader = Await.until("a leader", WAIT, cluster::leader);
            cluster.kill(leader);
            String next = Await.until("another leader", WAIT, () -> cluster.leader().filter(l -> !l.equals(leader)));
            assertNotEquals(leader, next);
            cluster.restart(leader);
            Await.until(leader + " running again", WAIT, () -> cluster.isRunning(leader));
        }
    }
}
