package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that each key's history is linearizable with respect to a sequential {@link Model}.
 *
 * <p>Keys are checked one at a time: linearizability is compositional (Herlihy & Wing), and
 * Horn & Kroening's P-compositionality makes the same point for checking, so a history over 30
 * keys is 30 small searches instead of one search over their product. Each key is searched by
 * {@link WglSearch} over the candidates its model's {@link Model#plan plan} keeps.
 *
 * <p>The search is exponential in the worst case, so it is bounded: per key by explored states
 * and time, and overall by time. A key whose budget runs out gets no verdict: the result is
 * UNKNOWN and names it, never VALID. An INVALID key contributes one anomaly naming the operation
 * that could not be placed, the values the key could hold then, the writers of the values
 * involved and the operations concurrent with it.
 */
public final class LinearizabilityChecker implements Checker {

    /**
     * @param statesPerKeyMax memoized (set, state) pairs one key may explore
     * @param perKey time one key may take
     * @param total time the whole check may take
     */
    public record Budget(long statesPerKeyMax, Duration perKey, Duration total) {

        /**
         * Generous for a chaos run: a simulated 30k-operation history over 30 keys explores about
         * 30k states per key. The state cap also bounds memory: each memoized state keeps its
         * bitset, so a million states of a 1,000-operation key hold about 200 MB.
         */
        public static final Budget DEFAULT = new Budget(1_000_000, Duration.ofSeconds(60), Duration.ofMinutes(5));
    }

    private final Model<?> model;
    private final Budget budget;

    public LinearizabilityChecker(Model<?> model) {
        this(model, Budget.DEFAULT);
    }

    public LinearizabilityChecker(Model<?> model, Budget budget) {
        this.model = model;
        this.budget = budget;
    }

    /** The usual checker for the register workload. */
    public static LinearizabilityChecker register() {
        return new LinearizabilityChecker(new RegisterModel());
    }

    @Override
    public String name() { return "linearizable-" + model.name(); }

    @Override
    public CheckResult check(History history) {
        return checkWith(model, history);
    }

    private <S> CheckResult checkWith(Model<S> m, History history) {
        long started = System.nanoTime();
        long totalDeadline = started + budget.total().toNanos();
        Findings findings = new Findings();
        List<String> unknown = new ArrayList<>();
        long checked = 0;
        long acknowledged = 0;
        long states = 0;
        int keys = 0;
        int dropped = 0;
        int bounded = 0;
        for (Map.Entry<String, List<Operation>> entry : history.operationsByKey().entrySet()) {
            List<Operation> ops = entry.getValue().stream().filter(o -> m.handles(o.f())).toList();
            if (ops.isEmpty()) {
                continue;
            }
            keys++;
            String key = entry.getKey();
            checked += ops.stream().filter(o -> !o.failed()).count();
            acknowledged += ops.stream().filter(Operation::ok).count();
            if (System.nanoTime() - totalDeadline > 0) {
                unknown.add(key + " (not checked: the total budget of " + budget.total().toSeconds() + " s was spent)");
                continue;
            }
            Model.Plan plan = m.plan(ops);
            dropped += plan.droppedIndeterminate();
            bounded += plan.boundedIndeterminate();
            long keyDeadline = Math.min(System.nanoTime() + budget.perKey().toNanos(), totalDeadline);
            WglSearch<S> search = new WglSearch<>(m, plan.candidates(), budget.statesPerKeyMax(), keyDeadline);
            WglSearch.Result result = search.run();
            states += search.statesExplored();
            switch (result) {
                case LINEARIZABLE -> { }
                case BUDGET_EXHAUSTED -> unknown.add(key + " (search budget exhausted after " + search.statesExplored()
                    + " states: limits " + budget.statesPerKeyMax() + " states, " + budget.perKey().toMillis() + " ms per key)");
                case NOT_LINEARIZABLE -> findings.add(anomaly(m, key, search, ops));
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        String detail = checked + " operations on " + keys + " keys, " + states + " states explored, " + millis + " ms"
            + "; indeterminate changes: " + dropped + " unobserved (dropped), " + bounded + " observed (bounded)";
        if (!unknown.isEmpty()) {
            detail = "UNKNOWN for " + unknown.size() + " keys: " + Ops.joinCapped(unknown, 5) + "; " + detail;
        }
        return findings.result(name(), checked, acknowledged, unknown.isEmpty() ? Verdict.VALID : Verdict.UNKNOWN, detail);
    }

    private static <S> Anomaly anomaly(Model<S> m, String key, WglSearch<S> search, List<Operation> ops) {
        Operation stuck = search.stuck();
        Model.Explanation why = m.explain(key, stuck, search.stuckStates(), ops);
        List<Operation> involved = new ArrayList<>();
        involved.add(stuck);
        involved.addAll(why.related());
        for (Operation o : search.stuckConcurrent()) {
            if (!involved.contains(o)) {
                involved.add(o);
            }
        }
        String concurrent = search.stuckConcurrent().isEmpty() ? "none"
            : Ops.joinCapped(search.stuckConcurrent().stream().map(Ops::describe).toList(), 5);
        String text = why.text() + "; the search got furthest here, with " + search.stuckLinearized()
            + " operations placed; still open there: " + concurrent;
        return new Anomaly("nonlinearizable", key, text, Ops.events(involved));
    }
}
