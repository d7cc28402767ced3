package io.basalt.chaos.runner;

import io.basalt.chaos.checker.CheckResult;
import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import java.util.List;

/**
 * Everything a run produced: its history, faults, checker results and phase outcomes.
 *
 * @param gateOpsPerSecond successful operations per second before any fault
 * @param gatePassed whether that reached the minimum
 * @param recovered whether a write succeeded within the deadline after healing
 * @param finalReadsSucceeded whether the recovery phase's final read of every key succeeded
 */
public record RunResult(String name, RunOptions options, String backend, String workload, List<String> nemeses,
                        History history, List<FaultWindow> faults, List<Availability.Window> availability,
                        List<CheckResult> checks, Phases phases, double gateOpsPerSecond, boolean gatePassed,
                        boolean recovered, boolean finalReadsSucceeded) {

    /** Phase boundaries on the history's clock. */
    public record Phases(long gateStart, long gateEnd, long faultStart, long faultEnd, long recoveryStart, long recoveryEnd) {
    }

    /** Valid only when every phase passed and every checker said VALID. */
    public boolean valid() {
        return gatePassed && recovered && finalReadsSucceeded && !checks.isEmpty()
            && checks.stream().allMatch(CheckResult::valid);
    }

    public long checkedOperations() {
        return checks.stream().mapToLong(CheckResult::operationsChecked).max().orElse(0);
    }
}
