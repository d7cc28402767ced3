package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.history.History;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A realistic chaos run's register history: 30 keys, 10 concurrent processes per key, 30,000
 * operations, about 4% of them timing out (several hundred indeterminate writes). The checker must
 * decide it in seconds (not asserted: no timed assertions; printed), and must catch one stale read.
 */
class LinearizabilityScaleTest {

    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());

    @Test
    void realisticHistoryIsValidAndOneStaleReadMakesItInvalid() {
        System.out.println("LinearizabilityScaleTest seed " + SEED + " (rerun with -Dchaos.seed=" + SEED + ")");
        SimulatedRegister sim = SimulatedRegister.generate(SEED, 30, 10, 1000, 0.04);
        History history = sim.history();
        CheckResult valid = LinearizabilityChecker.register().check(history);
        System.out.println("valid history (" + sim.size() + " ops, " + sim.infoWrites() + " indeterminate writes): "
            + valid.verdict() + ": " + valid.detail());
        assertEquals(Verdict.VALID, valid.verdict(), () -> "seed " + SEED + ": " + valid.detail() + " " + valid.anomalies());
        assertEquals(sim.size() - history.operations().stream().filter(o -> o.failed()).count(), valid.operationsChecked());

        String mutation = sim.injectStaleRead(new Random(SEED));
        CheckResult invalid = LinearizabilityChecker.register().check(sim.history());
        System.out.println("after " + mutation + ": " + invalid.verdict() + ": " + invalid.detail());
        invalid.anomalies().forEach(a -> System.out.println("  " + a.key() + ": " + a.description()));
        assertEquals(Verdict.INVALID, invalid.verdict(), () -> "seed " + SEED + ": " + mutation + ": " + invalid.detail());
        assertEquals(1, invalid.anomalies().size());
        assertTrue(mutation.startsWith("read of " + invalid.anomalies().get(0).key() + " "), mutation);
    }
}
