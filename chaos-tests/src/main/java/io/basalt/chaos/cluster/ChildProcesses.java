package io.basalt.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The processes one backend started, by name ("n1", "gateway"), each with its output appended to
 * logs/&lt;name&gt;.log. Every signal goes to a PID this object got from {@link ProcessBuilder#start()},
 * so nothing else on the machine is ever touched. A shutdown hook SIGKILLs the children if the
 * test JVM exits without closing us.
 */
final class ChildProcesses {

    private final Path logs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Set<String> paused = new HashSet<>();
    private final Thread hook = new Thread(this::killAllNow, "chaos-cluster-stop");
    private boolean hookInstalled;
    private boolean closed;

    ChildProcesses(Path logs) throws IOException {
        this.logs = logs;
        Files.createDirectories(logs);
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    /** Starts {@code command} as {@code name}; remembered so {@link #restart} runs the same line. */
    synchronized void start(String name, List<String> command) throws IOException {
        if (closed) {
            throw new IOException("cluster closed: not starting " + name);
        }
        Process old = processes.get(name);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + old.pid() + ")");
        }
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(hook);
            hookInstalled = true;
        }
        Files.writeString(log(name), "### " + String.join(" ", command) + System.lineSeparator(),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
            .start();
        processes.put(name, p);
        commands.put(name, List.copyOf(command));
        paused.remove(name);
    }

    /** Runs the command line {@code name} was last started with again. */
    synchronized void restart(String name) throws IOException {
        List<String> command = commands.get(name);
        if (command == null) {
            throw new IllegalArgumentException("never started: " + name);
        }
        start(name, command);
    }

    synchronized boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    synchronized long pid(String name) {
        Process p = processes.get(name);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    /** SIGKILL, then waits until the process is gone (so its ports are free for a restart). */
    void kill(String name) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = processes.get(name);
            paused.remove(name);
        }
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
        }
    }

    void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
        synchronized (this) {
            paused.add(name);
        }
    }

    void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
        synchronized (this) {
            paused.remove(name);
        }
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        long pid = pid(name);
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " (" + name + ") failed: " + out.strip());
        }
    }

    /** The first child that exited although nobody stopped it, as "n2 exited with code 1; see <log>". */
    synchronized Optional<String> unexpectedExit(Iterable<String> names) {
        for (String name : names) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                return Optional.of(name + " exited with code " + p.exitValue() + "; see " + log(name));
            }
        }
        return Optional.empty();
    }

    /** Resumes paused children, SIGTERMs all, SIGKILLs those still running after {@code grace}. */
    void stopAll(Duration grace) throws InterruptedException {
        Map<String, Process> all;
        Set<String> stopped;
        synchronized (this) {
            closed = true;
            all = new LinkedHashMap<>(processes);
            stopped = new HashSet<>(paused);
            paused.clear();
        }
        for (String name : stopped) {
            Process p = all.get(name);
            if (p != null && p.isAlive()) {
                try {
                    new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
                } catch (IOException e) {
                    // SIGKILL below still ends it
                }
            }
        }
        all.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        List<Process> left = new ArrayList<>();
        for (Process p : all.values()) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                left.add(p);
            }
        }
        for (Process p : left) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        synchronized (this) {
            if (hookInstalled) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down; the hook runs anyway
                }
                hookInstalled = false;
            }
        }
    }

    private void killAllNow() {
        List<Process> all;
        synchronized (this) {
            all = new ArrayList<>(processes.values());
        }
        all.forEach(Process::destroyForcibly);
    }
}
