package io.basalt.chaos.drills;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.cluster.ClusterOptions;
import io.basalt.chaos.nemesis.Nemeses;
import io.basalt.chaos.runner.ChaosRun;
import io.basalt.chaos.runner.Reported;
import io.basalt.chaos.runner.RunOptions;
import io.basalt.chaos.runner.RunResult;
import io.basalt.chaos.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What every drill shares: where runs and reports go, the run options for CI (about a minute of
 * load; {@code -Dchaos.long=true}, set by the chaos-long Maven profile, makes the fault phase ten
 * minutes), and the verdict: a drill passes only when the run is valid, with at least
 * {@link #MIN_CHECKED} operations checked.
 */
final class Drills {

    /** A drill that checked fewer operations than this proves too little to pass. */
    static final long MIN_CHECKED = 2000;

    private Drills() {
    }

    static RunOptions options() {
        RunOptions o = RunOptions.ciDrill(RunOptions.seedFromSystemProperty());
        if (Boolean.getBoolean("chaos.long")) {
            o = o.withFaultPhase(java.time.Duration.ofMinutes(10));
        }
        return o;
    }

    static ClusterOptions.Builder cluster(String name) throws Exception {
        Path runs = Files.createDirectories(Path.of("target", "chaos-runs"));
        return ClusterOptions.builder(Files.createTempDirectory(runs, name + "-"));
    }

    /** Runs the workload under the named nemeses and writes the report; returns the result unjudged. */
    static RunResult run(String name, ClusterBackend cluster, Workload workload, String nemeses, RunOptions options,
                         Class<?> test, String method) throws Exception {
        cluster.start();
        String replay = "bin/test -pl chaos-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="
            + test.getSimpleName() + "#" + method + " -Dchaos.seed=" + options.seed();
        ChaosRun run = new ChaosRun(name, cluster, workload, Nemeses.parse(nemeses), options, System.out);
        return Reported.run(run, Reported.reportsRoot(), replay, System.out);
    }

    /** The drill's verdict: valid, and enough operations checked. */
    static void assertValid(RunResult result) {
        String checks = result.checks().stream()
            .map(c -> c.checker() + "=" + c.verdict() + " (" + c.detail() + ")" + anomalies(c))
            .collect(Collectors.joining("; "));
        assertTrue(result.valid(), result.name() + " (seed " + result.options().seed() + ") is not valid: gate "
            + result.gatePassed() + ", recovered " + result.recovered() + ", final reads " + result.finalReadsSucceeded()
            + "; " + checks);
        assertTrue(result.checkedOperations() >= MIN_CHECKED, result.name() + " checked only "
            + result.checkedOperations() + " operations (needs " + MIN_CHECKED + "): " + checks);
    }

    private static String anomalies(CheckResult c) {
        return c.anomalies().isEmpty() ? "" : " first anomaly: " + c.anomalies().get(0).description();
    }
}
