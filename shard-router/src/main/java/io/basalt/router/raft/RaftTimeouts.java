package io.basalt.router.raft;

import java.time.Duration;

/**
 * Raft election timeouts shared by servers and clients of a cluster.
 *
 * <p>Defaults are 300–600 ms, at or above Ratis's own 150–300 ms: on two cores shared by three
 * JVMs, lower timeouts caused election storms under load (notes/ratis-3.3-facts.md, section B),
 * while a leader kill still fails over in well under a second. Heartbeats go out every
 * {@code min / 2}.
 */
public record RaftTimeouts(Duration electionMin, Duration electionMax) {

    public static final RaftTimeouts DEFAULT = new RaftTimeouts(Duration.ofMillis(300), Duration.ofMillis(600));

    public RaftTimeouts {
        if (electionMin.isNegative() || electionMin.isZero() || electionMax.compareTo(electionMin) <= 0) {
            throw new IllegalArgumentException("need 0 < electionMin < electionMax, got " + electionMin + ", " + electionMax);
        }
    }
}
