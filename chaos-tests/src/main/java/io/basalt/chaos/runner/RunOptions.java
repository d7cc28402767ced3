package io.basalt.chaos.runner;

import java.time.Duration;

/**
 * How a chaos run is paced. Every random choice of the run (which fault, when, for how long,
 * which operation a client performs) derives from {@code seed}.
 *
 * @param seed printed at the start; the same seed replays the same fault schedule
 * @param concurrency client threads
 * @param gate the phase before any fault, in which the run must reach {@code minGateOpsPerSecond}
 * @param minGateOpsPerSecond successful operations per second the gate requires: a run that did
 *     (almost) nothing cannot pass
 * @param faultPhase how long faults are injected
 * @param quietMin shortest pause between two faults
 * @param quietMax longest pause between two faults
 * @param faultMin shortest time a fault is kept
 * @param faultMax longest time a fault is kept
 * @param recovery the phase after healing in which the cluster must serve again
 * @param recoveryDeadline how long the cluster may take to serve a write after healing
 * @param clientTimeout each client connection's socket timeout
 * @param faultCount when above 0, the fault phase lasts until this many faults were injected
 *     and healed, however long that takes (the drill's "N leader kills"); otherwise {@code faultPhase}
 */
public record RunOptions(long seed, int concurrency, Duration gate, double minGateOpsPerSecond, Duration faultPhase,
                         Duration quietMin, Duration quietMax, Duration faultMin, Duration faultMax, Duration recovery,
                         Duration recoveryDeadline, Duration clientTimeout, int faultCount) {

    /** A short drill as CI runs it: about a minute of load, faults every few seconds. */
    public static RunOptions ciDrill(long seed) {
        return new RunOptions(seed, 8, Duration.ofSeconds(5), 50, Duration.ofSeconds(40),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(6),
            Duration.ofSeconds(8), Duration.ofSeconds(60), Duration.ofSeconds(15), 0);
    }

    /** The seed from {@code -Dchaos.seed}, or a fresh one. */
    public static long seedFromSystemProperty() {
        String s = System.getProperty("chaos.seed");
        return s == null || s.isBlank() ? System.nanoTime() ^ Double.doubleToLongBits(Math.random()) : Long.parseLong(s.trim());
    }

    public RunOptions withFaultPhase(Duration faultPhase) {
        return new RunOptions(seed, concurrency, gate, minGateOpsPerSecond, faultPhase, quietMin, quietMax, faultMin,
            faultMax, recovery, recoveryDeadline, clientTimeout, faultCount);
    }

    public RunOptions withPacing(Duration quietMin, Duration quietMax, Duration faultMin, Duration faultMax) {
        return new RunOptions(seed, concurrency, gate, minGateOpsPerSecond, faultPhase, quietMin, quietMax, faultMin,
            faultMax, recovery, recoveryDeadline, clientTimeout, faultCount);
    }

    public RunOptions withConcurrency(int concurrency) {
        return new RunOptions(seed, concurrency, gate, minGateOpsPerSecond, faultPhase, quietMin, quietMax, faultMin,
            faultMax, recovery, recoveryDeadline, clientTimeout, faultCount);
    }

    public RunOptions withFaultCount(int faultCount) {
        return new RunOptions(seed, concurrency, gate, minGateOpsPerSecond, faultPhase, quietMin, quietMax, faultMin,
            faultMax, recovery, recoveryDeadline, clientTimeout, faultCount);
    }
}
