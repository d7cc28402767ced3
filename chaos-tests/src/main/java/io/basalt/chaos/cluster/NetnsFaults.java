package io.basalt.chaos.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Network faults as iptables rules inside the nodes' own namespaces, so nothing of the machine's
 * firewall is touched. Each namespace gets three chains of ours: partition rules in
 * {@value #PART_IN}/{@value #PART_OUT} (DROP by peer address, both directions), loss rules in
 * {@value #LOSS} (DROP with -m statistic --mode random). Rules only name peer node addresses, so
 * the gateway, which reaches the nodes from the bridge's address, always gets through.
 */
final class NetnsFaults implements NetworkFaults {

    static final String PART_IN = "BCH-PIN";
    static final String PART_OUT = "BCH-POUT";
    static final String LOSS = "BCH-LOSS";

    private final Map<String, String> namespaces;
    private final Map<String, String> addresses;
    private final Map<String, String> devices;
    private final boolean netem;

    /**
     * @param namespaces node id -> network namespace
     * @param addresses node id -> its address on the bridge
     * @param devices node id -> its veth's name inside its namespace
     * @param netem whether the kernel has the netem qdisc
     */
    NetnsFaults(Map<String, String> namespaces, Map<String, String> addresses, Map<String, String> devices, boolean netem) {
        this.namespaces = new LinkedHashMap<>(namespaces);
        this.addresses = new LinkedHashMap<>(addresses);
        this.devices = new LinkedHashMap<>(devices);
        this.netem = netem;
    }

    /** Creates our chains in every namespace and hooks them into INPUT and OUTPUT. */
    void install() throws IOException {
        for (String node : namespaces.keySet()) {
            for (String chain : List.of(PART_IN, PART_OUT, LOSS)) {
                iptables(node, "-N", chain);
            }
            iptables(node, "-A", "INPUT", "-j", PART_IN);
            iptables(node, "-A", "OUTPUT", "-j", PART_OUT);
            iptables(node, "-A", "OUTPUT", "-j", LOSS);
        }
    }

    @Override
    public synchronized void partition(List<Set<String>> components) throws IOException {
        Map<String, Integer> component = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            for (String node : components.get(i)) {
                requireNode(node);
                if (component.put(node, i) != null) {
                    throw new IllegalArgumentException(node + " is in two components: " + components);
                }
            }
        }
        List<List<String>> pairs = new ArrayList<>();
        List<String> named = new ArrayList<>(component.keySet());
        named.sort(null);
        for (int i = 0; i < named.size(); i++) {
            for (int j = i + 1; j < named.size(); j++) {
                if (!component.get(named.get(i)).equals(component.get(named.get(j)))) {
                    pairs.add(List.of(named.get(i), named.get(j)));
                }
            }
        }
        cut(pairs);
    }

    /** Like {@link #partition}, replaces every earlier partition and cut. */
    @Override
    public synchronized void cut(List<List<String>> pairs) throws IOException {
        for (List<String> pair : pairs) {
            if (pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                throw new IllegalArgumentException("a cut is between two different nodes: " + pair);
            }
            pair.forEach(this::requireNode);
        }
        flush(PART_IN);
        flush(PART_OUT);
        for (List<String> pair : pairs) {
            drop(pair.get(0), pair.get(1));
            drop(pair.get(1), pair.get(0));
        }
    }

    /** In {@code node}'s namespace, drops everything from and to {@code peer}. */
    private void drop(String node, String peer) throws IOException {
        iptables(node, "-A", PART_IN, "-s", addresses.get(peer), "-j", "DROP");
        iptables(node, "-A", PART_OUT, "-d", addresses.get(peer), "-j", "DROP");
    }

    @Override
    public synchronized void loss(String node, double probability) throws IOException {
        requireNode(node);
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss probability must be in (0, 1]: " + probability);
        }
        String p = String.format(Locale.ROOT, "%.4f", probability);
        for (String peer : addresses.keySet()) {
            if (!peer.equals(node)) {
                iptables(node, "-A", LOSS, "-d", addresses.get(peer),
                    "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
            }
        }
    }

    @Override
    public boolean supportsLatency() {
        return netem;
    }

    @Override
    public synchronized void latency(String node, Duration delay, Duration jitter) throws IOException {
        requireNode(node);
        if (!netem) {
            throw new UnsupportedOperationException("latency needs the kernel's netem qdisc (sch_netem), which this kernel lacks");
        }
        Shell.run("ip", "netns", "exec", namespaces.get(node), "tc", "qdisc", "replace", "dev", devices.get(node),
            "root", "netem", "delay", delay.toMillis() + "ms", jitter.toMillis() + "ms");
    }

    @Override
    public synchronized void heal() throws IOException {
        flush(PART_IN);
        flush(PART_OUT);
        flush(LOSS);
        if (netem) {
            for (String node : namespaces.keySet()) {
                // fails when no netem qdisc is installed, which is the healed state
                Shell.tryRun("ip", "netns", "exec", namespaces.get(node), "tc", "qdisc", "del", "dev", devices.get(node), "root");
            }
        }
    }

    /** The rules now in {@code node}'s chains, as iptables -S prints them (for tests and reports). */
    synchronized List<String> rules(String node) throws IOException {
        List<String> rules = new ArrayList<>();
        for (String chain : List.of(PART_IN, PART_OUT, LOSS)) {
            for (String line : iptables(node, "-S", chain).split("\n")) {
                if (line.startsWith("-A ")) {
                    rules.add(line);
                }
            }
        }
        return rules;
    }

    private void flush(String chain) throws IOException {
        for (String node : namespaces.keySet()) {
            iptables(node, "-F", chain);
        }
    }

    private String iptables(String node, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(node), "iptables", "-w", "5"));
        command.addAll(List.of(args));
        return Shell.run(command);
    }

    private void requireNode(String node) {
        if (!namespaces.containsKey(node)) {
            throw new IllegalArgumentException("no node " + node + " in " + namespaces.keySet());
        }
    }
}
