package io.basalt.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one administrative command (ip, iptables, tc) and waits for it, with a deadline. */
final class Shell {
    private Shell() {}

    /** The command's exit code and merged output. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result tryRun(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // these commands print a few lines at most, so reading before waiting cannot block them
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out.strip());
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static Result tryRun(String... command) {
        return tryRun(List.of(command));
    }

    /** Runs the command; fails with its output when it exits non-zero. */
    static String run(List<String> command) throws IOException {
        Result r = tryRun(command);
        if (!r.ok()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    static String run(String... command) throws IOException {
        return run(List.of(command));
    }
}
