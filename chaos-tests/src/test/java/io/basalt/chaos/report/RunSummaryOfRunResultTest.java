package io.basalt.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.checker.Verdict;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.runner.Availability;
import io.basalt.chaos.runner.RunOptions;
import io.basalt.chaos.runner.RunResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The report's verdict from a runner result is VALID exactly when the run is. */
class RunSummaryOfRunResultTest {

    private static final CheckResult VALID_CHECK = new CheckResult("set", Verdict.VALID, 10, List.of(), "ok");

    @Test
    void everyPhaseCheckCountsTowardsTheVerdict() {
        assertEquals(Verdict.VALID, verdict(true, true, true, List.of(VALID_CHECK)));
        assertEquals(Verdict.UNKNOWN, verdict(false, true, true, List.of(VALID_CHECK)), "gate failed: the run barely ran");
        assertEquals(Verdict.INVALID, verdict(true, false, false, List.of(VALID_CHECK)), "no write after healing");
        assertEquals(Verdict.UNKNOWN, verdict(true, true, false, List.of(VALID_CHECK)), "final reads failed");
        assertEquals(Verdict.UNKNOWN, verdict(true, true, true, List.of()), "no checker ran");
        assertEquals(Verdict.INVALID, verdict(true, true, true,
            List.of(VALID_CHECK, new CheckResult("linearizable-register", Verdict.INVALID, 10, List.of(), "bad"))));
    }

    @Test
    void phasesAndRunInfoComeFromTheResult() {
        RunResult r = result(true, true, true, List.of(VALID_CHECK));
        RunSummary s = RunSummary.of(r, "bin/basalt drill --seed 5");

        assertEquals(List.of("gate", "faults", "recovery"), s.phases().stream().map(RunSummary.PhaseStats::name).toList());
        assertEquals(5, s.run().seed());
        assertEquals("bin/basalt drill --seed 5", s.run().replay());
        assertEquals(List.of("gate", "recovery", "final-reads", "set"), s.results().stream().map(CheckResult::checker).toList());
        assertEquals(1, s.unavailability().size());
    }

    private static Verdict verdict(boolean gate, boolean recovered, boolean finalReads, List<CheckResult> checks) {
        RunResult r = result(gate, recovered, finalReads, checks);
        Verdict v = RunSummary.of(r, "").verdict();
        assertEquals(r.valid(), v == Verdict.VALID, "agrees with RunResult.valid()");
        return v;
    }

    private static RunResult result(boolean gate, boolean recovered, boolean finalReads, List<CheckResult> checks) {
        History history = ReportWriterTest.syntheticHistory(new Random(5));
        List<FaultWindow> faults = List.of(new FaultWindow("kill-leader", "killed n1", 3_000_000_000L, 5_000_000_000L));
        long s = 1_000_000_000L;
        return new RunResult("r", RunOptions.ciDrill(5), "local", "set", List.of("kill-leader"), history, faults,
            Availability.of(history.events(), faults), checks, new RunResult.Phases(0, 2 * s, 2 * s, 9 * s, 9 * s, 11 * s),
            gate ? 500 : 3, gate, recovered, finalReads);
    }
}
