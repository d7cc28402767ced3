package io.basalt.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NetworkFaults;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The nemeses' choices and undo steps, against a cluster that only records what it is asked. */
class NemesisTest {

    static final long SEED = Long.getLong("nemesis.seed", System.nanoTime());

    @org.junit.jupiter.api.BeforeAll
    static void printSeed() {
        System.out.println("NemesisTest seed " + SEED + " (rerun with -Dnemesis.seed=" + SEED + ")");
    }

    @Test
    void killLeaderKillsTheLeaderAndHealRestartsItOnce() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        cluster.leader = "n2";
        Fault fault = new KillNemesis(Target.LEADER).start(cluster, new Random(SEED));
        assertEquals("killed n2 (leader)", fault.description());
        assertEquals(List.of("kill n2"), cluster.calls);
        fault.heal();
        fault.heal();
        assertEquals(List.of("kill n2", "restart n2"), cluster.calls);
    }

    @Test
    void pauseRandomPicksARunningNodeFromTheRandom() throws Exception {
        FakeCluster cluster = new FakeCluster(3, false);
        cluster.stopped.add("n1");
        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            Fault fault = new PauseNemesis(Target.RANDOM).start(cluster, random);
            fault.heal();
        }
        assertFalse(cluster.calls.contains("pause n1"), "seed " + SEED + ": " + cluster.calls);
        // the same seed gives the same choices
        FakeCluster again = new FakeCluster(3, false);
        again.stopped.add("n1");
        Random replay = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            new PauseNemesis(Target.RANDOM).start(again, replay).heal();
        }
        assertEquals(cluster.calls, again.calls);
    }

    @Test
    void leaderTargetWithoutALeaderSaysItChoseAtRandom() throws Exception {
        FakeCluster cluster = new FakeCluster(3, false);
        Fault fault = new PauseNemesis(Target.LEADER).start(cluster, new Random(SEED));
        assertTrue(fault.description().endsWith("(no leader; random)"), fault.description());
    }

    @Test
    void isolateLeaderPutsTheLeaderAlone() throws Exception {
        FakeCluster cluster = new FakeCluster(5, true);
        cluster.leader = "n4";
        Fault fault = new PartitionNemesis(PartitionNemesis.Kind.ISOLATE_LEADER).start(cluster, new Random(SEED));
        assertEquals(List.of("partition [[n4], [n1, n2, n3, n5]]"), cluster.calls);
        fault.heal();
        assertEquals("heal", cluster.calls.get(1));
    }

    @Test
    void halvesCutAMinorityFromAMajority() throws Exception {
        FakeCluster cluster = new FakeCluster(5, true);
        new PartitionNemesis(PartitionNemesis.Kind.HALVES).start(cluster, new Random(SEED));
        assertEquals(2, cluster.lastComponents.size());
        assertEquals(2, cluster.lastComponents.get(0).size(), "seed " + SEED);
        assertEquals(3, cluster.lastComponents.get(1).size(), "seed " + SEED);
    }

    @Test
    void bridgeOfFiveLeavesOneNodeSeeingBothSides() throws Exception {
        FakeCluster cluster = new FakeCluster(5, true);
        new PartitionNemesis(PartitionNemesis.Kind.BRIDGE).start(cluster, new Random(SEED));
        List<List<String>> cuts = cluster.lastCuts;
        assertEquals(4, cuts.size(), "2 x 2 cut pairs, seed " + SEED + ": " + cuts);
        Set<String> cutNodes = new HashSet<>();
        cuts.forEach(cutNodes::addAll);
        assertEquals(4, cutNodes.size(), "the bridge is in no cut, seed " + SEED);
    }

    @Test
    void bridgeOfThreeIsolatesOneNode() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        Fault fault = new PartitionNemesis(PartitionNemesis.Kind.BRIDGE).start(cluster, new Random(SEED));
        assertTrue(fault.description().contains("a bridge needs 5 nodes"), fault.description());
        assertEquals(2, cluster.lastComponents.size());
        assertEquals(1, cluster.lastComponents.get(0).size());
    }

    @Test
    void ringOfFiveCutsEveryNonNeighbour() throws Exception {
        FakeCluster cluster = new FakeCluster(5, true);
        new PartitionNemesis(PartitionNemesis.Kind.RING).start(cluster, new Random(SEED));
        assertEquals(5, cluster.lastCuts.size(), "10 pairs minus 5 ring edges, seed " + SEED);
        Map<String, Integer> cutsPerNode = new HashMap<>();
        cluster.lastCuts.forEach(p -> p.forEach(n -> cutsPerNode.merge(n, 1, Integer::sum)));
        cutsPerNode.values().forEach(c -> assertEquals(2, c, "each node keeps exactly its 2 neighbours"));
    }

    @Test
    void lossIsBetweenTwentyAndFortyPercent() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        Random random = new Random(SEED);
        for (int i = 0; i < 50; i++) {
            new LossNemesis(Target.RANDOM).start(cluster, random).heal();
        }
        for (double p : cluster.lossProbabilities) {
            assertTrue(p >= 0.2 && p <= 0.4, "seed " + SEED + ": " + p);
        }
    }

    @Test
    void networkNemesesSayWhyTheyCannotRunOnLoopback() {
        FakeCluster local = new FakeCluster(3, false);
        for (Nemesis n : List.of(new PartitionNemesis(PartitionNemesis.Kind.HALVES), new LossNemesis(Target.LEADER),
                new LatencyNemesis(Target.RANDOM))) {
            String why = n.unsupported(local).orElseThrow();
            assertTrue(why.contains("network namespaces"), why);
        }
        assertTrue(new KillNemesis(Target.RANDOM).unsupported(local).isEmpty());
    }

    @Test
    void latencyNeedsNetem() {
        FakeCluster netns = new FakeCluster(3, true);
        String why = new LatencyNemesis(Target.RANDOM).unsupported(netns).orElseThrow();
        assertTrue(why.contains("netem"), why);
        netns.netem = true;
        assertTrue(new LatencyNemesis(Target.RANDOM).unsupported(netns).isEmpty());
    }

    /** Records calls; nodes n1..nN. */
    static final class FakeCluster implements ClusterBackend, NetworkFaults {
        final List<String> ids = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        final Set<String> stopped = new HashSet<>();
        final boolean hasNetwork;
        final List<Double> lossProbabilities = new ArrayList<>();
        List<Set<String>> lastComponents = List.of();
        List<List<String>> lastCuts = List.of();
        String leader;
        boolean netem;

        FakeCluster(int n, boolean hasNetwork) {
            for (int i = 1; i <= n; i++) {
                ids.add("n" + i);
            }
            this.hasNetwork = hasNetwork;
        }

        @Override public String name() { return hasNetwork ? "netns" : "local"; }
        @Override public void start() {}
        @Override public List<String> nodes() { return ids; }
        @Override public Map<String, InetSocketAddress> raftAddresses() { return Map.of(); }
        @Override public InetSocketAddress resp() { return null; }
        @Override public Optional<String> leader() { return Optional.ofNullable(leader); }
        @Override public void kill(String node) { calls.add("kill " + node); stopped.add(node); }
        @Override public void restart(String node) { calls.add("restart " + node); stopped.remove(node); }
        @Override public void pause(String node) { calls.add("pause " + node); }
        @Override public void resume(String node) { calls.add("resume " + node); }
        @Override public boolean isRunning(String node) { return !stopped.contains(node); }
        @Override public long pid(String node) { return 0; }
        @Override public Optional<NetworkFaults> network() { return hasNetwork ? Optional.of(this) : Optional.empty(); }
        @Override public void close() {}

        @Override
        public void partition(List<Set<String>> components) {
            lastComponents = components;
            List<List<String>> sorted = new ArrayList<>();
            components.forEach(c -> sorted.add(c.stream().sorted().toList()));
            calls.add("partition " + sorted);
        }

        @Override
        public void cut(List<List<String>> pairs) {
            lastCuts = pairs;
            calls.add("cut " + pairs);
        }

        @Override
        public void loss(String node, double probability) {
            lossProbabilities.add(probability);
            calls.add("loss " + node + " " + probability);
        }

        @Override public boolean supportsLatency() { return netem; }
        @Override public void latency(String node, Duration delay, Duration jitter) { calls.add("latency " + node); }
        @Override public void heal() { calls.add("heal"); }
    }
}
