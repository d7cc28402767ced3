package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sequential models of the set, counter and list workloads, for the linearizability checker: the
 * definition the direct checkers approximate, used by tests to prove the direct checkers never
 * reject a linearizable history.
 */
final class CollectionModels {

    private CollectionModels() {
    }

    /** A grow-only set; the state is its sorted elements. */
    static final class SetModel implements Model<List<Long>> {
        @Override public String name() { return "set"; }
        @Override public boolean handles(Op.Fn f) { return f == Op.Fn.ADD || f == Op.Fn.READ_SET; }
        @Override public List<Long> initial() { return List.of(); }
        @Override public boolean readOnly(Operation op) { return op.f() == Op.Fn.READ_SET; }

        @Override
        public boolean permits(List<Long> state, Operation op) {
            return op.f() == Op.Fn.ADD || state.equals(op.completion().listValue());
        }

        @Override
        public List<Long> apply(List<Long> state, Operation op) {
            if (op.f() == Op.Fn.READ_SET || state.contains(op.invoke().longValue())) {
                return state;
            }
            List<Long> next = new ArrayList<>(state);
            next.add(op.invoke().longValue());
            next.sort(null);
            return List.copyOf(next);
        }
    }

    /** A list appended to at the end. */
    static final class ListModel implements Model<List<Long>> {
        @Override public String name() { return "list"; }
        @Override public boolean handles(Op.Fn f) { return f == Op.Fn.APPEND || f == Op.Fn.READ_LIST; }
        @Override public List<Long> initial() { return List.of(); }
        @Override public boolean readOnly(Operation op) { return op.f() == Op.Fn.READ_LIST; }

        @Override
        public boolean permits(List<Long> state, Operation op) {
            return op.f() == Op.Fn.APPEND || state.equals(op.completion().listValue());
        }

        @Override
        public List<Long> apply(List<Long> state, Operation op) {
            if (op.f() == Op.Fn.READ_LIST) {
                return state;
            }
            List<Long> next = new ArrayList<>(state);
            next.add(op.invoke().longValue());
            return List.copyOf(next);
        }
    }

    /** A counter incremented by one, reading 0 while absent. */
    static final class CounterModel implements Model<Long> {
        @Override public String name() { return "counter"; }
        @Override public boolean handles(Op.Fn f) { return f == Op.Fn.INCR || f == Op.Fn.READ_COUNTER; }
        @Override public Long initial() { return 0L; }
        @Override public boolean readOnly(Operation op) { return op.f() == Op.Fn.READ_COUNTER; }

        @Override
        public boolean permits(Long state, Operation op) {
            if (!op.ok()) {
                return true;
            }
            Long seen = op.completion().longValue();
            long expected = op.f() == Op.Fn.INCR ? state + 1 : state;
            return Objects.equals(seen == null ? 0L : seen, expected);
        }

        @Override
        public Long apply(Long state, Operation op) {
            return op.f() == Op.Fn.INCR ? state + 1 : state;
        }
    }
}
