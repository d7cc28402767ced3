package io.basalt.chaos.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A reference redis-server for the workload tests, on loopback, without persistence, started
 * and stopped by its PID (read from its pidfile).
 */
final class RedisServerProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final int port;
    private final Path pidFile;
    private final long pid;

    private RedisServerProcess(int port, Path pidFile, long pid) {
        this.port = port;
        this.pidFile = pidFile;
        this.pid = pid;
    }

    /** Starts redis-server on {@code port}, or skips the test when there is no redis-server. */
    static RedisServerProcess start(int port) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("redis-server"),
            "redis-server is not on the PATH: the workload tests need a reference server (apt-get install redis-server)");
        Path dir = Files.createTempDirectory("chaos-redis-" + port);
        Path pidFile = dir.resolve("redis.pid");
        Process launcher = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile.toString(),
            "--dir", dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("launch.log").toFile()).start();
        if (launcher.waitFor() != 0) {
            throw new IOException("redis-server exited " + launcher.exitValue() + ": " + Files.readString(dir.resolve("launch.log")));
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        Optional<Long> pid = Optional.empty();
        while (System.nanoTime() - deadline < 0) {
            pid = readPid(pidFile);
            if (pid.isPresent() && answersPing(port)) {
                return new RedisServerProcess(port, pidFile, pid.get());
            }
            Thread.sleep(20);
        }
        pid.flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy);
        throw new IOException("redis-server on port " + port + " did not answer PING within " + STARTUP);
    }

    int port() { return port; }

    Jedis connect() {
        return new Jedis("127.0.0.1", port, 5_000);
    }

    @Override
    public void close() throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (handle.get().isAlive() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a temp folder: nothing depends on it
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean answersPing(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port, 500)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
