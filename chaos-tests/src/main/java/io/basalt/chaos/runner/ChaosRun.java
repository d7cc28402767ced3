package io.basalt.chaos.runner;

import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.cluster.ClusterBackend;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.nemesis.Fault;
import io.basalt.chaos.nemesis.Nemesis;
import io.basalt.chaos.workload.Workload;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;

/**
 * One chaos run, in the phases the trusted anchors use:
 * <ol>
 *   <li><b>gate</b>: load without faults; the run must reach a minimum throughput, so a run that
 *       did nothing cannot pass;</li>
 *   <li><b>faults</b>: the load goes on while nemeses inject faults one at a time, each kept for
 *       a while and then healed, on a schedule drawn from the seed;</li>
 *   <li><b>heal and recover</b>: everything is healed, the cluster must serve a write within a
 *       deadline, load continues briefly, then a final read of every key must succeed;</li>
 *   <li><b>check</b>: the workload's checkers judge the whole history.</li>
 * </ol>
 * The run is valid only when every phase passed and every checker said VALID.
 */
public final class ChaosRun {

    private final String name;
    private final ClusterBackend cluster;
    private final Workload workload;
    private final List<Nemesis> nemeses;
    private final RunOptions options;
    private final PrintStream log;
    private final History history = new History();
    private final List<FaultWindow> faults = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopClients = new AtomicBoolean();

    public ChaosRun(String name, ClusterBackend cluster, Workload workload, List<Nemesis> nemeses, RunOptions options,
                    PrintStream log) {
        this.name = name;
        this.cluster = cluster;
        this.workload = workload;
        this.nemeses = List.copyOf(nemeses);
        this.options = options;
        this.log = log;
    }

    public History history() { return history; }

    /** Gate windows tried before a run is declared too slow to mean anything. */
    static final int GATE_WINDOWS = 3;

    public RunResult run() throws Exception {
        log.printf("chaos run %s: seed %d (replay with -Dchaos.seed=%d), backend %s, workload %s, nemeses %s%n",
            name, options.seed(), options.seed(), cluster.name(), workload.name(), nemeses.stream().map(Nemesis::name).toList());
        List<Nemesis> usable = new ArrayList<>();
        for (Nemesis n : nemeses) {
            Optional<String> why = n.unsupported(cluster);
            if (why.isPresent()) {
                log.printf("  nemesis %s skipped: %s%n", n.name(), why.get());
            } else {
                usable.add(n);
            }
        }
        try (Jedis admin = jedis()) {
            workload.reset(admin);
        }
        Random schedule = new Random(options.seed());
        List<Thread> clients = startClients(schedule.nextLong());

        // The gate is one window of options.gate(), tried up to GATE_WINDOWS times: the clients'
        // first seconds (connections, JIT, a node still catching up) on a busy 2-core machine
        // are slower than the cluster, and a run only needs to show it can serve, once.
        long gateStart = history.now();
        long gateEnd = gateStart;
        double gateRate = 0;
        boolean gatePassed = false;
        for (int window = 0; window < GATE_WINDOWS && !gatePassed; window++) {
            long windowStart = history.now();
            sleep(options.gate());
            gateEnd = history.now();
            long gateOks = countOk(windowStart, gateEnd);
            gateRate = gateOks / ((gateEnd - windowStart) / 1e9);
            gatePassed = gateRate >= options.minGateOpsPerSecond();
            log.printf("  gate: %d ok ops in %.1f s = %.0f/s (needs %.0f/s): %s%n", gateOks, (gateEnd - windowStart) / 1e9,
                gateRate, options.minGateOpsPerSecond(), gatePassed ? "passed" : window + 1 < GATE_WINDOWS ? "again" : "FAILED");
        }

        long faultStart = history.now();
        runFaults(usable, schedule);
        long faultEnd = history.now();

        long recoveryStart = history.now();
        boolean served = awaitWrite(options.recoveryDeadline());
        log.printf("  recovery: %s%n", served ? String.format("a write succeeded %.1f s after healing",
            (history.now() - recoveryStart) / 1e9) : "NO write succeeded within " + options.recoveryDeadline().toSeconds() + " s");
        if (served) {
            sleep(options.recovery());
        }
        stopClients.set(true);
        for (Thread t : clients) {
            t.join(options.clientTimeout().toMillis() * 2 + 5000);
        }
        boolean finalReads = false;
        if (served) {
            try (Jedis jedis = jedis()) {
                finalReads = workload.finalReads(jedis, history, 1_000_000);
            }
        }
        long recoveryEnd = history.now();
        log.printf("  final reads: %s%n", finalReads ? "succeeded" : "FAILED");

        List<CheckResult> results = new ArrayList<>();
        for (Checker checker : workload.checkers()) {
            long t0 = System.nanoTime();
            CheckResult r = checker.check(history);
            log.printf("  checker %s: %s over %d ops in %.1f s; %s%n", r.checker(), r.verdict(), r.operationsChecked(),
                (System.nanoTime() - t0) / 1e9, r.detail());
            r.anomalies().stream().limit(5).forEach(a -> log.printf("    %s on %s: %s%n", a.kind(), a.key(), a.description()));
            results.add(r);
        }
        List<Availability.Window> windows = Availability.of(history.events(), faults);
        for (Availability.Window w : windows) {
            log.printf("  fault %-55s unavailable %s%n", w.fault().description(),
                w.unavailableNanos() == Long.MAX_VALUE ? "until the end" : String.format("%.0f ms", w.unavailableMs()));
        }
        RunResult result = new RunResult(name, options, cluster.name(), workload.name(),
            usable.stream().map(Nemesis::name).toList(), history, List.copyOf(faults), windows, results,
            new RunResult.Phases(gateStart, gateEnd, faultStart, faultEnd, recoveryStart, recoveryEnd),
            gateRate, gatePassed, served, finalReads);
        log.printf("chaos run %s: %s (%d events, seed %d)%n", name, result.valid() ? "VALID" : "NOT VALID",
            history.size(), options.seed());
        return result;
    }

    private void runFaults(List<Nemesis> usable, Random schedule) throws Exception {
        long end = System.nanoTime() + options.faultPhase().toNanos();
        if (usable.isEmpty()) {
            log.println("  faults: no usable nemesis; load only");
            sleep(options.faultPhase());
            return;
        }
        int injected = 0;
        while (true) {
            sleep(between(schedule, options.quietMin(), options.quietMax()));
            if (options.faultCount() > 0 ? injected >= options.faultCount() : System.nanoTime() >= end) {
                return;
            }
            Nemesis nemesis = usable.get(schedule.nextInt(usable.size()));
            Random random = new Random(schedule.nextLong());
            Duration hold = between(schedule, options.faultMin(), options.faultMax());
            long start = history.now();
            Fault fault;
            try {
                fault = nemesis.start(cluster, random);
            } catch (Exception e) {
                log.printf("  %6.1fs %s could not start: %s%n", start / 1e9, nemesis.name(), e);
                continue;
            }
            injected++;
            log.printf("  %6.1fs %s%n", start / 1e9, fault.description());
            try {
                sleep(hold);
            } finally {
                fault.heal();
                long healed = history.now();
                faults.add(new FaultWindow(nemesis.name(), fault.description(), start, healed));
                log.printf("  %6.1fs healed: %s%n", healed / 1e9, fault.description());
            }
        }
    }

    private List<Thread> startClients(long seed) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            int thread = i;
            Random random = new Random(seed + 7919L * i);
            Thread t = new Thread(() -> clientLoop(thread, random), "chaos-client-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private void clientLoop(int thread, Random random) {
        int process = thread;
        Jedis jedis = jedis();
        try {
            while (!stopClients.get()) {
                Op.Type type = workload.perform(jedis, history, process, random);
                if (type == Op.Type.INFO) {
                    // the outcome is unknown: this process may still have an operation in flight
                    process += options.concurrency();
                    jedis.close();
                    jedis = jedis();
                }
                if (type != Op.Type.OK) {
                    pace(random);
                }
            }
        } finally {
            jedis.close();
        }
    }

    /** A short, random pause after a failure, so clients do not spin while the cluster has no leader. */
    private static void pace(Random random) {
        try {
            Thread.sleep(10 + random.nextInt(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitWrite(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (Jedis jedis = jedis()) {
                jedis.set("chaos:recovery-probe", Long.toString(history.now()));
                return true;
            } catch (RuntimeException e) {
                pace(new Random());
            }
        }
        return false;
    }

    private long countOk(long from, long to) {
        return history.events().stream().filter(e -> e.type() == Op.Type.OK && e.nanos() >= from && e.nanos() < to).count();
    }

    private Jedis jedis() {
        InetSocketAddress a = cluster.resp();
        int timeout = (int) options.clientTimeout().toMillis();
        return new Jedis(a.getHostString(), a.getPort(), timeout, timeout);
    }

    private static Duration between(Random random, Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return min.plusMillis(span <= 0 ? 0 : (long) (random.nextDouble() * span));
    }

    /** The pacing of the phases themselves (how long to keep load or a fault), not synchronization. */
    private static void sleep(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(Math.max(0, d.toMillis()));
    }
}
