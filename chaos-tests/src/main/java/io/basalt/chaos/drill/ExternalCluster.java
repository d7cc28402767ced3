package io.basalt.chaos.drill;

import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.NetworkFaults;
import io.basalt.chaos.cluster.NodeControl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * A running cluster the drill did not start (e.g. {@code basalt local}): the gateway the user
 * names, and the nodes of its shard, found through their Raft addresses. A node is killed or
 * paused by its process id, which the node reports about itself ({@code basalt.node.info}); that
 * works for nodes on this machine only, and only on processes whose command line says they are
 * that Basalt node. Restarting a killed node is its supervisor's job ({@code basalt local}
 * restarts it after a second); the drill waits until the node answers again.
 */
final class ExternalCluster implements ClusterBackend {

    private final InetSocketAddress resp;
    private final Map<String, InetSocketAddress> peers;
    private final Duration restartDeadline;
    private final NodeControl control = new NodeControl(Duration.ofSeconds(2));
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final List<String> paused = new ArrayList<>();

    ExternalCluster(InetSocketAddress resp, Map<String, InetSocketAddress> peers, Duration restartDeadline) {
        this.resp = resp;
        this.peers = new LinkedHashMap<>(peers);
        this.restartDeadline = restartDeadline;
    }

    @Override
    public String name() {
        return "external";
    }

    /** Checks that the gateway serves and that every node answers for itself. */
    @Override
    public void start() throws Exception {
        try (Jedis jedis = new Jedis(resp.getHostString(), resp.getPort(), 5000)) {
            jedis.dbSize();
        } catch (RuntimeException e) {
            throw new IOException("the gateway at " + resp + " does not serve: " + e.getMessage(), e);
        }
        for (String node : peers.keySet()) {
            pids.put(node, pidFromNode(node));
        }
    }

    @Override
    public List<String> nodes() {
        return List.copyOf(peers.keySet());
    }

    @Override
    public Map<String, InetSocketAddress> raftAddresses() {
        return Map.copyOf(peers);
    }

    @Override
    public InetSocketAddress resp() {
        return resp;
    }

    @Override
    public Optional<String> leader() {
        for (String node : peers.keySet()) {
            try {
                Map<String, String> info = control.info(peers, node);
                if ("LEADER".equalsIgnoreCase(info.get("role"))) {
                    return Optional.of(node);
                }
            } catch (IOException | RuntimeException e) {
                // down or unreachable: ask the next one
            }
        }
        return Optional.empty();
    }

    @Override
    public void kill(String node) throws Exception {
        ProcessHandle process = verifiedProcess(node);
        process.destroyForcibly();
        process.onExit().get();
    }

    @Override
    public void restart(String node) throws Exception {
        long deadline = System.nanoTime() + restartDeadline.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                pids.put(node, pidFromNode(node));
                return;
            } catch (IOException | RuntimeException e) {
                Thread.sleep(200); // polling the node's own answer, with a deadline
            }
        }
        throw new IOException(node + " did not come back within " + restartDeadline.toSeconds()
            + " s; the drill does not restart nodes itself: run the cluster under a supervisor (basalt local restarts them)");
    }

    @Override
    public void pause(String node) throws Exception {
        signal(verifiedProcess(node), "STOP");
        paused.add(node);
    }

    @Override
    public void resume(String node) throws Exception {
        ProcessHandle process = ProcessHandle.of(pids.get(node)).orElseThrow(() -> new IOException(node + " is gone"));
        signal(process, "CONT");
        paused.remove(node);
    }

    @Override
    public boolean isRunning(String node) {
        Long pid = pids.get(node);
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public long pid(String node) {
        return pids.getOrDefault(node, -1L);
    }

    @Override
    public Optional<NetworkFaults> network() {
        return Optional.empty();
    }

    /** Resumes whatever the drill paused; stops nothing (the cluster is not ours). */
    @Override
    public void close() throws Exception {
        for (String node : List.copyOf(paused)) {
            resume(node);
        }
    }

    private long pidFromNode(String node) throws IOException {
        String pid = control.info(peers, node).get("pid");
        if (pid == null) {
            throw new IOException(node + " did not report its pid");
        }
        return Long.parseLong(pid);
    }

    /** The node's process, after checking it is on this machine and is that Basalt node. */
    private ProcessHandle verifiedProcess(String node) throws IOException {
        long pid = pidFromNode(node);
        pids.put(node, pid);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IOException(node + " reports pid " + pid
            + ", which is not a process on this machine: the drill can kill or pause nodes on this machine only"));
        String commandLine = process.info().commandLine().orElse("");
        if (!commandLine.contains(" node ") || !commandLine.contains("--id " + node)) {
            throw new IOException("pid " + pid + " does not look like Basalt node " + node + " (" + commandLine + "); not touching it");
        }
        return process;
    }

    private static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }
}
