package io.basalt.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Each node in its own network namespace, joined to the others by a veth pair into a bridge in
 * the root namespace: node i listens on 10.a.b.(10+i), the bridge has 10.a.b.1. The gateway runs
 * in the root namespace (RESP on 127.0.0.1) and reaches the nodes through the bridge, so faults
 * between nodes ({@link NetnsFaults}) never cut the workload off from them.
 *
 * <p>Every name this backend creates starts with a prefix unique to this JVM, "bch" + pid % 10000
 * (+ a letter if that is taken by a live run): namespaces PREFIX n1.., host veths PREFIX h1..,
 * their peers PREFIX c1.., the bridge PREFIX br. The prefix's owner PID is recorded under
 * {@code /tmp/basalt-chaos-netns/} before anything is created, so the next run can remove the
 * leftovers of a run that died (its owner PID is gone) without touching anything else.
 *
 * <p>Needs root, {@code ip netns} and {@code iptables}; see {@link #probe()}.
 */
public final class NetnsCluster extends JarCluster {

    private static final Path OWNERS = Path.of(System.getProperty("java.io.tmpdir"), "basalt-chaos-netns");
    /** Our names: the prefix then n1 (namespace), h1/c1 (veth ends), br (bridge), t0/t1 (netem probe). */
    private static final Pattern OUR_NAME = Pattern.compile("(bch\\d{1,4}[a-z]?)(n\\d|h\\d|c\\d|br|t0|t1)");
    private static volatile Boolean netemSupported;

    private final String prefix;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, String> devices = new LinkedHashMap<>();
    private String bridgeAddress;
    private NetnsFaults faults;

    public NetnsCluster(ClusterOptions options) throws IOException {
        super(options);
        Files.createDirectories(OWNERS);
        cleanLeftovers();
        this.prefix = claimPrefix();
    }

    @Override
    public String name() {
        return "netns";
    }

    /** Why this backend cannot run here (not root, no ip netns, no iptables), or empty when it can. */
    public static Optional<String> probe() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        Shell.Result id = Shell.tryRun("id", "-u");
        if (!id.ok() || !id.output().equals("0")) {
            return Optional.of("network namespaces need root (id -u says " + id.output() + ")");
        }
        String ns = "bch" + ProcessHandle.current().pid() % 10000 + "p" + "n0";
        Shell.Result add = Shell.tryRun("ip", "netns", "add", ns);
        if (!add.ok()) {
            return Optional.of("`ip netns add` failed: " + add.output());
        }
        try {
            Shell.Result ipt = Shell.tryRun("ip", "netns", "exec", ns, "iptables", "-w", "5", "-S");
            if (!ipt.ok()) {
                return Optional.of("iptables does not work in a network namespace: " + ipt.output());
            }
            Shell.Result stat = Shell.tryRun("ip", "netns", "exec", ns, "iptables", "-w", "5", "-A", "OUTPUT",
                "-d", "10.255.255.254", "-m", "statistic", "--mode", "random", "--probability", "0.5", "-j", "DROP");
            if (!stat.ok()) {
                return Optional.of("iptables -m statistic does not work: " + stat.output());
            }
            return bridgeFiltered();
        } finally {
            Shell.tryRun("ip", "netns", "del", ns);
        }
    }

    /**
     * With br_netfilter's bridge-nf-call-iptables on, frames crossing our bridge go through the
     * root namespace's FORWARD chain; where its policy is DROP (a host with Docker) the nodes could
     * not reach each other. We do not change the machine's firewall, so we say so instead.
     */
    private static Optional<String> bridgeFiltered() {
        Path sysctl = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
        try {
            if (!Files.exists(sysctl) || !Files.readString(sysctl).strip().equals("1")) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Shell.Result forward = Shell.tryRun("iptables", "-w", "5", "-S", "FORWARD");
        if (forward.ok() && forward.output().lines().anyMatch(l -> l.equals("-P FORWARD DROP"))) {
            return Optional.of("bridged traffic is filtered by the root FORWARD chain (policy DROP, "
                + "net.bridge.bridge-nf-call-iptables=1): nodes behind a bridge could not talk");
        }
        return Optional.empty();
    }

    /** Whether the kernel has netem: adds one to a throwaway veth pair of ours, then removes the pair. */
    static boolean netemSupported(String prefix) {
        Boolean known = netemSupported;
        if (known != null) {
            return known;
        }
        String a = prefix + "t0";
        boolean ok = false;
        if (Shell.tryRun("ip", "link", "add", a, "type", "veth", "peer", "name", prefix + "t1").ok()) {
            try {
                ok = Shell.tryRun("tc", "qdisc", "add", "dev", a, "root", "netem", "delay", "1ms").ok();
            } finally {
                Shell.tryRun("ip", "link", "del", a);
            }
        }
        netemSupported = ok;
        return ok;
    }

    @Override
    protected Map<String, InetSocketAddress> prepare(List<String> nodes, int[] ports) throws IOException {
        int[] subnet = Subnets.pickFree(ProcessHandle.current().pid());
        String net = "10." + subnet[0] + "." + subnet[1] + ".";
        bridgeAddress = net + "1";
        String bridge = prefix + "br";
        Shell.run("ip", "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "addr", "add", bridgeAddress + "/24", "dev", bridge);
        Shell.run("ip", "link", "set", bridge, "up");
        Map<String, InetSocketAddress> raft = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            int n = i + 1;
            String ns = prefix + "n" + n;
            String host = prefix + "h" + n;
            String inner = prefix + "c" + n;
            String address = net + (10 + n);
            Shell.run("ip", "netns", "add", ns);
            namespaces.put(node, ns);
            Shell.run("ip", "link", "add", host, "type", "veth", "peer", "name", inner);
            Shell.run("ip", "link", "set", inner, "netns", ns);
            Shell.run("ip", "link", "set", host, "master", bridge);
            Shell.run("ip", "link", "set", host, "up");
            Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Shell.run("ip", "netns", "exec", ns, "ip", "addr", "add", address + "/24", "dev", inner);
            Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", inner, "up");
            addresses.put(node, address);
            devices.put(node, inner);
            // the namespace has its own port space: the free loopback port is free there too
            raft.put(node, new InetSocketAddress(address, ports[i])); // a literal: no name lookup
        }
        faults = new NetnsFaults(namespaces, addresses, devices, netemSupported(prefix));
        faults.install();
        return raft;
    }

    /** {@code ip netns exec} enters the namespace and execs java, so the PID we hold is java's. */
    @Override
    protected List<String> nodePrefix(String node) {
        return List.of("ip", "netns", "exec", namespaces.get(node));
    }

    @Override
    public Optional<NetworkFaults> network() {
        return Optional.ofNullable(faults);
    }

    /** The faults with their test hooks (the rules in place). */
    NetnsFaults faults() {
        return faults;
    }

    /** The name prefix of everything this cluster created. */
    public String prefix() {
        return prefix;
    }

    /** The bridge's address: where node traffic from the gateway and this JVM comes from. */
    public String bridgeAddress() {
        return bridgeAddress;
    }

    public Map<String, String> namespaces() {
        return Map.copyOf(namespaces);
    }

    @Override
    protected void cleanUp() throws IOException {
        removeNames(prefix);
        Files.deleteIfExists(OWNERS.resolve(prefix));
    }

    /** A prefix no live run owns; recorded with our PID before any name is created. */
    private static String claimPrefix() throws IOException {
        String base = "bch" + ProcessHandle.current().pid() % 10000;
        for (char c = 'a' - 1; c <= 'z'; c++) {
            String candidate = c < 'a' ? base : base + c;
            Path owner = OWNERS.resolve(candidate);
            try {
                Files.writeString(owner, Long.toString(ProcessHandle.current().pid()), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
                // names of this prefix left by a dead run without an owner file are ours to remove
                removeNames(candidate);
                return candidate;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken by a live run (dead owners were cleaned in cleanLeftovers, ours is not reused)
            }
        }
        throw new IOException("no free netns prefix for " + base + " in " + OWNERS);
    }

    /** Removes the names of every prefix whose owner JVM is gone. */
    private static void cleanLeftovers() throws IOException {
        List<String> dead = new ArrayList<>();
        try (var files = Files.list(OWNERS)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String owner;
                try {
                    owner = Files.readString(file).strip();
                } catch (IOException e) {
                    continue;
                }
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    alive = false;
                }
                if (!alive) {
                    dead.add(file.getFileName().toString());
                }
            }
        }
        for (String p : dead) {
            removeNames(p);
            Files.deleteIfExists(OWNERS.resolve(p));
        }
    }

    /** Deletes the namespaces, veths and bridge named with exactly this prefix; nothing else. */
    private static void removeNames(String prefix) {
        for (String line : Shell.tryRun("ip", "netns", "list").output().split("\n")) {
            String ns = line.split("\\s+")[0];
            var m = OUR_NAME.matcher(ns);
            if (m.matches() && m.group(1).equals(prefix)) {
                Shell.tryRun("ip", "netns", "del", ns);
            }
        }
        for (String line : Shell.tryRun("ip", "-o", "link", "show").output().split("\n")) {
            // "12: bch123h1@if11: <BROADCAST,..." -> bch123h1
            String[] parts = line.split(":\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            String link = parts[1].split("@")[0];
            var m = OUR_NAME.matcher(link);
            if (m.matches() && m.group(1).equals(prefix)) {
                Shell.tryRun("ip", "link", "del", link);
            }
        }
    }
}
