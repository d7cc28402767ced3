package io.basalt.chaos.drill;

import io.basalt.chaos.nemesis.KillNemesis;
import io.basalt.chaos.nemesis.Nemesis;
import io.basalt.chaos.nemesis.PauseNemesis;
import io.basalt.chaos.nemesis.Target;
import io.basalt.chaos.nemesis.TransferLeadershipNemesis;
import io.basalt.chaos.runner.Availability;
import io.basalt.chaos.runner.ChaosRun;
import io.basalt.chaos.runner.Reported;
import io.basalt.chaos.runner.RunOptions;
import io.basalt.chaos.runner.RunResult;
import io.basalt.chaos.workload.CounterWorkload;
import io.basalt.chaos.workload.ListAppendWorkload;
import io.basalt.chaos.workload.RegisterWorkload;
import io.basalt.chaos.workload.SetWorkload;
import io.basalt.chaos.workload.Workload;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt drill failover}: while a workload runs through the gateway, takes the shard's
 * leader down in turn (kill -9, SIGSTOP, or a leadership transfer), prints how long clients went
 * without a successful operation each time, then checks the whole history and writes a report.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Kill (or pause, or move) the shard's leader in turn under load; print each unavailability window, "
        + "the checker's verdict and the report path.")
final class FailoverDrill implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "The gateway's Redis address, host:port.")
    String target;

    @Option(names = "--peers", defaultValue = "n1=127.0.0.1:9860,n2=127.0.0.1:9861,n3=127.0.0.1:9862",
        description = "The nodes' Raft addresses, id=host:port,... (default: basalt local's, ${DEFAULT-VALUE}).")
    String peers;

    @Option(names = "--faults", defaultValue = "10", description = "Leader failures to inject (default ${DEFAULT-VALUE}).")
    int faults;

    @Option(names = "--fault", defaultValue = "kill",
        description = "kill (SIGKILL; the cluster's supervisor must restart it, basalt local does), pause (SIGSTOP "
            + "for the hold time) or transfer (Ratis leadership transfer). Default ${DEFAULT-VALUE}.")
    String fault;

    @Option(names = "--workload", defaultValue = "register",
        description = "register, counter, set or list-append (default ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--concurrency", defaultValue = "8", description = "Client connections (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hold-s", defaultValue = "3", description = "Seconds a fault is kept before healing (default ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--interval-s", defaultValue = "4", description = "Seconds between faults (default ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--seed", description = "Seed of the run's random choices (default: a fresh one, printed).")
    Long seed;

    @Option(names = "--report-dir", defaultValue = "basalt-drill-reports", description = "Where reports go (default ${DEFAULT-VALUE}).")
    Path reportDir;

    @Override
    public Integer call() throws Exception {
        long s = seed != null ? seed : RunOptions.seedFromSystemProperty();
        RunOptions base = RunOptions.ciDrill(s);
        RunOptions options = new RunOptions(s, concurrency, base.gate(), base.minGateOpsPerSecond(), Duration.ofHours(1),
            Duration.ofSeconds(intervalSeconds), Duration.ofSeconds(intervalSeconds), Duration.ofSeconds(holdSeconds),
            Duration.ofSeconds(holdSeconds), base.recovery(), base.recoveryDeadline(), base.clientTimeout(), faults);
        try (ExternalCluster cluster = new ExternalCluster(address(target), parsePeers(peers), Duration.ofSeconds(60))) {
            cluster.start();
            String replay = "bin/basalt drill failover --target " + target + " --peers " + peers + " --faults " + faults
                + " --fault " + fault + " --workload " + workload + " --concurrency " + concurrency + " --seed " + s;
            ChaosRun run = new ChaosRun("failover-" + fault, cluster, workload(), List.of(nemesis()), options, System.out);
            RunResult result = Reported.run(run, reportDir, replay, System.out);
            printWindows(result);
            return result.valid() ? 0 : 1;
        }
    }

    private static void printWindows(RunResult result) {
        List<Availability.Window> windows = result.availability();
        if (windows.isEmpty()) {
            System.out.println("no fault was injected");
            return;
        }
        double[] ms = windows.stream().mapToDouble(w -> w.unavailableNanos() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
            : w.unavailableMs()).sorted().toArray();
        double p50 = ms[(ms.length - 1) / 2];
        double max = ms[ms.length - 1];
        System.out.printf("unavailability over %d faults: p50 %.0f ms, max %.0f ms (%s)%n", ms.length, p50, max,
            Arrays.stream(ms).mapToObj(v -> String.format("%.0f", v)).toList());
        System.out.println("verdict: " + (result.valid() ? "VALID" : "NOT VALID") + " (" + result.checkedOperations()
            + " operations checked)");
    }

    private Nemesis nemesis() {
        return switch (fault) {
            case "kill" -> new KillNemesis(Target.LEADER);
            case "pause" -> new PauseNemesis(Target.LEADER);
            case "transfer" -> new TransferLeadershipNemesis();
            default -> throw new IllegalArgumentException("--fault must be kill, pause or transfer, not " + fault);
        };
    }

    private Workload workload() {
        return switch (workload) {
            case "register" -> new RegisterWorkload();
            case "counter" -> new CounterWorkload();
            case "set" -> new SetWorkload();
            case "list-append" -> new ListAppendWorkload();
            default -> throw new IllegalArgumentException("--workload must be register, counter, set or list-append, not " + workload);
        };
    }

    static Map<String, InetSocketAddress> parsePeers(String list) {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String t = item.trim();
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("peer '" + t + "' is not id=host:port");
            }
            out.put(t.substring(0, eq), address(t.substring(eq + 1)));
        }
        return out;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
