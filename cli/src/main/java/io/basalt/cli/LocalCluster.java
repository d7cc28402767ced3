package io.basalt.cli;

import io.basalt.router.slot.ShardInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of {@code basalt local}: started from the same Java and jar as this
 * process, stopped by their PIDs.
 */
final class LocalCluster {

    private final Path logs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, List<String>> arguments = new LinkedHashMap<>();
    private volatile boolean stopping;

    LocalCluster(Path logs) {
        this.logs = logs;
    }

    synchronized void start(String name, List<String> args) throws IOException {
        if (stopping) {
            throw new IOException("stopping: not starting " + name);
        }
        List<String> command = new ArrayList<>(JavaLauncher.javaCommand());
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        processes.put(name, pb.start());
        arguments.put(name, List.copyOf(args));
    }

    synchronized long pid(String name) {
        return processes.get(name).pid();
    }

    /**
     * Waits until the gateway answers a command that needs a shard's leader (DBSIZE is a
     * linearizable read), which proves nodes, election and gateway are all up, and until every
     * shard has a leader (DBSIZE reaches one shard only).
     */
    boolean awaitServing(InetSocketAddress gateway, List<ShardInfo> shards, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, Process> e : snapshot().entrySet()) {
                if (!e.getValue().isAlive()) {
                    System.err.println("basalt local: " + e.getKey() + " exited with code " + e.getValue().exitValue()
                        + "; see " + logs.resolve(e.getKey() + ".log"));
                    return false;
                }
            }
            if (answersDbsize(gateway) && shards.stream().allMatch(s -> ShardLeaders.leaderOf(s).isPresent())) {
                return true;
            }
            Thread.sleep(100); // polling interval of a readiness probe, not synchronization
        }
        return false;
    }

    private static boolean answersDbsize(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            int first = in.read();
            return first == ':';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Prints a line whenever a child exits on its own (e.g. a node killed in a failover drill)
     * and, when {@code restart} is set, starts it again after a second with the same arguments
     * and data, as a process supervisor or Kubernetes would.
     */
    void superviseExits(boolean restart) {
        for (Map.Entry<String, Process> e : snapshot().entrySet()) {
            watch(e.getKey(), e.getValue(), restart);
        }
    }

    private void watch(String name, Process process, boolean restart) {
        process.onExit().thenAccept(p -> {
            if (stopping) {
                return;
            }
            System.out.println(name + " (pid " + p.pid() + ") exited with code " + p.exitValue()
                + (restart ? "; restarting it in 1 s" : ""));
            if (!restart) {
                return;
            }
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
                try {
                    List<String> args;
                    synchronized (this) {
                        args = arguments.get(name);
                    }
                    start(name, args);
                    Process again;
                    synchronized (this) {
                        again = processes.get(name);
                    }
                    System.out.println(name + " restarted (pid " + again.pid() + ")");
                    watch(name, again, true);
                } catch (IOException ex) {
                    if (!stopping) {
                        System.out.println(name + " could not be restarted: " + ex.getMessage());
                    }
                }
            });
        });
    }

    /** SIGTERM to every child, then SIGKILL to those still running after the grace period. */
    void stopAll(Duration grace) {
        Map<String, Process> all;
        synchronized (this) {
            // under the lock start() takes, so no child can start after this snapshot
            stopping = true;
            all = new LinkedHashMap<>(processes);
        }
        all.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : all.values()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Map<String, Process> snapshot() {
        return new LinkedHashMap<>(processes);
    }
}
