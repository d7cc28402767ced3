package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.checker.CounterChecker;
import io.basalt.chaos.checker.LinearizabilityChecker;
import io.basalt.chaos.checker.ListAppendChecker;
import io.basalt.chaos.checker.RegisterModel;
import io.basalt.chaos.checker.SetChecker;
import java.util.List;

/** Which checkers judge which workload's history: the one place workloads name checkers. */
final class WorkloadCheckers {

    private WorkloadCheckers() {}

    static List<Checker> register() {
        return List.of(new LinearizabilityChecker(new RegisterModel()));
    }

    static List<Checker> counter() {
        return List.of(new CounterChecker());
    }

    static List<Checker> set() {
        return List.of(new SetChecker());
    }

    static List<Checker> listAppend() {
        return List.of(new ListAppendChecker());
    }
}
