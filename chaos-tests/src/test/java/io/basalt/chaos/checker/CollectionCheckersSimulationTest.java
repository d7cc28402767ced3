package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The set, counter and list-append checkers on realistic linearizable histories (many
 * concurrent processes, timeouts): they must pass them, so their real-time bounds are not too
 * tight; and one injected fault must fail them.
 */
class CollectionCheckersSimulationTest {

    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());

    static {
        System.out.println("CollectionCheckersSimulationTest seed " + SEED + " (rerun with -Dchaos.seed=" + SEED + ")");
    }

    private static History generate(SimulatedCollections.Kind kind) {
        return SimulatedCollections.generate(kind, SEED, 10, 10, 1000, 0.03);
    }

    private static void assertVerdict(Verdict expected, CheckResult r) {
        assertEquals(expected, r.verdict(), () -> "seed " + SEED + ": " + r.detail() + " " + r.anomalies());
    }

    @Test
    void counter() {
        History h = generate(SimulatedCollections.Kind.COUNTER);
        assertVerdict(Verdict.VALID, new CounterChecker().check(h));
        // the final read of one key sees 100 fewer (more than the indeterminate ones): an acknowledged increment lost
        assertVerdict(Verdict.INVALID, new CounterChecker().check(mutateFinalRead(h, Op.Fn.READ_COUNTER, v -> (Long) v - 100)));
    }

    @Test
    void set() {
        History h = generate(SimulatedCollections.Kind.SET);
        assertVerdict(Verdict.VALID, new SetChecker().check(h));
        CheckResult r = new SetChecker().check(mutateFinalRead(h, Op.Fn.READ_SET, v -> dropFirst(v)));
        assertVerdict(Verdict.INVALID, r);
    }

    @Test
    void listAppend() {
        History h = generate(SimulatedCollections.Kind.LIST);
        assertVerdict(Verdict.VALID, new ListAppendChecker().check(h));
        assertVerdict(Verdict.INVALID, new ListAppendChecker().check(mutateFinalRead(h, Op.Fn.READ_LIST, v -> dropFirst(v))));
    }

    private static Object dropFirst(Object v) {
        List<?> list = (List<?>) v;
        return new ArrayList<>(list.subList(1, list.size()));
    }

    /** Changes the value of the last completion of {@code f} (the final read of the last key). */
    private static History mutateFinalRead(History h, Op.Fn f, java.util.function.UnaryOperator<Object> change) {
        List<Op> events = new ArrayList<>(h.events());
        for (int i = events.size() - 1; i >= 0; i--) {
            Op op = events.get(i);
            if (op.f() == f && op.type() == Op.Type.OK) {
                events.set(i, new Op(op.index(), op.process(), op.type(), op.f(), op.key(), change.apply(op.value()), op.nanos(), null));
                return History.of(events);
            }
        }
        throw new IllegalStateException("no " + f);
    }
}
