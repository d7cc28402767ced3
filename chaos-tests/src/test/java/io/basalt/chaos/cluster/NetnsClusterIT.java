package io.basalt.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three nodes in their own network namespaces: cut the leader off, the majority carries on. */
class NetnsClusterIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void needsNamespaces() {
        Optional<String> why = NetnsCluster.probe();
        assumeTrue(why.isEmpty(), () -> "netns backend unavailable: " + why.orElse(""));
    }

    @Test
    void isolatedLeaderIsReplacedAndLossRulesComeAndGo() throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-runs")), "netns-");
        List<Long> pids = new ArrayList<>();
        String prefix;
        try (NetnsCluster cluster = new NetnsCluster(ClusterOptions.builder(run).build())) {
            cluster.start();
            prefix = cluster.prefix();
            for (String node : cluster.nodes()) {
                long pid = cluster.pid(node);
                pids.add(pid);
                // ip netns exec execs java: the PID we signal is the JVM itself
                String command = ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("");
                assertTrue(command.endsWith("/java"), node + " runs " + command);
            }
            assertEquals("OK", set(cluster, "before", "1"));
            NetnsFaults faults = cluster.faults();

            String leader = Await.until("a leader", WAIT, cluster::leader);
            Set<String> rest = new HashSet<>(cluster.nodes());
            rest.remove(leader);
            cluster.network().orElseThrow().partition(List.of(Set.of(leader), rest));
            assertEquals(4, faults.rules(leader).size(), "two peers, in and out: " + faults.rules(leader));

            String next = Await.until("a leader among " + rest, WAIT, () -> cluster.leader().filter(rest::contains));
            System.out.println("isolated " + leader + "; " + next + " leads the majority");
            Await.until("a write through the gateway while " + leader + " is cut off", WAIT,
                () -> "OK".equals(set(cluster, "during", "2")));

            cluster.network().orElseThrow().heal();
            for (String node : cluster.nodes()) {
                assertEquals(List.of(), faults.rules(node), node);
            }
            Await.until("a write after heal", WAIT, () -> "OK".equals(set(cluster, "after", "3")));
            try (Jedis jedis = jedis(cluster)) {
                assertEquals("1", jedis.get("before"));
                assertEquals("2", jedis.get("during"));
                assertEquals("3", jedis.get("after"));
            }

            cluster.network().orElseThrow().loss("n1", 0.3);
            List<String> loss = faults.rules("n1");
            assertEquals(2, loss.size(), loss.toString());
            // iptables stores the probability as a 32-bit fraction and prints it back as 0.29999999981
            assertTrue(loss.stream().allMatch(r -> r.contains("-m statistic --mode random")
                && Math.abs(probability(r) - 0.3) < 1e-6), loss.toString());
            Await.until("a write with 30% loss at n1", WAIT, () -> "OK".equals(set(cluster, "lossy", "4")));
            cluster.network().orElseThrow().heal();
            assertEquals(List.of(), faults.rules("n1"));
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " left running");
        }
        String namespaces = Shell.run("ip", "netns", "list");
        String links = Shell.run("ip", "-o", "link", "show");
        assertFalse(namespaces.contains(prefix + "n"), namespaces);
        assertFalse(links.contains(prefix), links);
    }

    private static double probability(String rule) {
        String[] words = rule.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("--probability")) {
                return Double.parseDouble(words[i + 1]);
            }
        }
        return Double.NaN;
    }

    private static Jedis jedis(ClusterBackend cluster) {
        return new Jedis(cluster.resp().getHostString(), cluster.resp().getPort(), 10_000);
    }

    private static String set(ClusterBackend cluster, String key, String value) {
        try (Jedis jedis = jedis(cluster)) {
            return jedis.set(key, value);
        } catch (RuntimeException e) {
            return "error: " + e.getMessage();
        }
    }
}
