package io.basalt.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.chaos.nemesis.Fault;
import io.basalt.chaos.nemesis.LatencyNemesis;
import io.basalt.chaos.nemesis.PartitionNemesis;
import io.basalt.chaos.nemesis.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three nodes in their own network namespaces: cut the leader off, the majority carries on. */
class NetnsClusterIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    // per test, not @BeforeAll: failsafe reports a skipped test with its reason, an aborted class without
    @BeforeEach
    void needsNamespaces() {
        Optional<String> why = NetnsCluster.probe();
        why.ifPresent(reason -> System.out.println("netns backend unavailable: " + reason + " (skipped)"));
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
            // this kernel has no sch_netem (checked by hand); elsewhere latency may be supported
            Optional<String> noLatency = new LatencyNemesis(Target.RANDOM).unsupported(cluster);
            assertEquals(!faults.supportsLatency(), noLatency.isPresent());
            noLatency.ifPresent(why -> assertTrue(why.contains("netem"), why));

            String leader = Await.until("a leader", WAIT, cluster::leader);
            Set<String> rest = new HashSet<>(cluster.nodes());
            rest.remove(leader);
            Fault isolation = new PartitionNemesis(PartitionNemesis.Kind.ISOLATE_LEADER).start(cluster, new Random(1));
            assertEquals("isolated " + leader + " (leader)", isolation.description());
            assertEquals(4, faults.rules(leader).size(), "two peers, in and out: " + faults.rules(leader));

            String next = Await.until("a leader among " + rest, WAIT, () -> cluster.leader().filter(rest::contains));
            System.out.println("isolated " + leader + "; " + next + " leads the majority");
            Await.until("a write through the gateway while " + leader + " is cut off", WAIT,
                () -> "OK".equals(set(cluster, "during", "2")));

            isolation.heal();
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

    @Test
    void fiveNodesCommitThroughBridgeAndRingPartitions() throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-runs")), "netns5-");
        long seed = Long.getLong("nemesis.seed", System.nanoTime());
        System.out.println("fiveNodesCommitThroughBridgeAndRingPartitions seed " + seed + " (-Dnemesis.seed=" + seed + ")");
        Random random = new Random(seed);
        try (NetnsCluster cluster = new NetnsCluster(ClusterOptions.builder(run).nodes(5).heapMb(256).build())) {
            cluster.start();
            int i = 0;
            for (PartitionNemesis.Kind kind : List.of(PartitionNemesis.Kind.BRIDGE, PartitionNemesis.Kind.RING)) {
                Fault fault = new PartitionNemesis(kind).start(cluster, random);
                System.out.println(kind.label() + ": " + fault.description());
                String key = "k" + i++;
                // a majority is connected in both shapes (bridge: one half plus the bridge; ring: a node and its neighbours)
                Await.until("a write during " + fault.description(), WAIT, () -> "OK".equals(set(cluster, key, "v")));
                System.out.println(kind.label() + ": committed, leader " + cluster.leader().orElse("(none)"));
                fault.heal();
                Await.until("a write after healing " + kind.label(), WAIT, () -> "OK".equals(set(cluster, key + "h", "v")));
            }
        }
    }

    @Test
    void leftoversOfADeadRunAreRemovedAndNothingElse() throws Exception {
        // a run whose JVM died: its owner file names a PID that is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = "bch9999z";
        Path owners = Path.of(System.getProperty("java.io.tmpdir"), "basalt-chaos-netns");
        Files.createDirectories(owners);
        Files.writeString(owners.resolve(dead), Long.toString(gone.pid()));
        Shell.run("ip", "netns", "add", dead + "n1");
        Shell.run("ip", "link", "add", dead + "h1", "type", "veth", "peer", "name", dead + "c1");
        // a name that looks alike but is not ours (no owner file of that prefix, other shape)
        String stranger = "bchx" + ProcessHandle.current().pid() % 1000;
        Shell.run("ip", "netns", "add", stranger);
        try {
            Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-runs")), "netns-clean-");
            try (NetnsCluster cluster = new NetnsCluster(ClusterOptions.builder(run).build())) {
                assertFalse(Shell.run("ip", "netns", "list").contains(dead + "n1"));
                assertFalse(Shell.run("ip", "-o", "link", "show").contains(dead + "h1"));
                assertFalse(Files.exists(owners.resolve(dead)));
                assertTrue(Shell.run("ip", "netns", "list").contains(stranger), "not ours: left alone");
                assertTrue(cluster.prefix().startsWith("bch"));
            }
        } finally {
            Shell.tryRun("ip", "netns", "del", stranger);
            Shell.tryRun("ip", "netns", "del", dead + "n1");
            Shell.tryRun("ip", "link", "del", dead + "h1");
        }
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
