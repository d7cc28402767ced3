package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A sequential specification the {@link LinearizabilityChecker} checks a key's history against:
 * a state machine whose transitions are operations with their observed outputs. A history is
 * linearizable when its operations can be put in one order, consistent with real time, that
 * this machine accepts from {@link #initial()}.
 *
 * <p>States are compared with {@code equals} and memoized by {@code hashCode}, so they must be
 * immutable values; {@code null} is a valid state.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /** For the checker's name: "register". */
    String name();

    /** Whether this model checks operations of this kind (others are ignored). */
    boolean handles(Op.Fn f);

    /** The state of a key no operation touched. */
    S initial();

    /** Whether {@code op}, with the output it reported, could have happened in {@code state}. */
    boolean permits(S state, Operation op);

    /** The state after {@code op} took effect in {@code state}; called only when permitted. */
    S apply(S state, Operation op);

    /** Whether the operation changes nothing: an indeterminate one is then dropped (its output is unknown anyway). */
    boolean readOnly(Operation op);

    /**
     * Which of one key's operations the search places, and in which windows. The default:
     * acknowledged operations must take effect between invocation and completion; failed ones
     * did not take effect and are dropped; indeterminate reads are dropped; indeterminate
     * changes may take effect any time after their invocation, or never.
     */
    default Plan plan(List<Operation> keyOps) {
        List<Candidate> candidates = new ArrayList<>();
        for (Operation o : keyOps) {
            if (o.failed() || (o.indeterminate() && readOnly(o))) {
                continue;
            }
            candidates.add(Candidate.of(o));
        }
        return new Plan(candidates, 0, 0);
    }

    /**
     * A sentence saying why {@code stuck} could not be placed, given the states the key could be
     * in when it had to take effect, and the operations that help understand it (e.g. the
     * writers of the values involved).
     */
    default Explanation explain(String key, Operation stuck, Collection<S> possibleStates, List<Operation> keyOps) {
        return new Explanation(Ops.describe(stuck) + " on " + key + " could not take effect in any state it could be in then: "
            + possibleStates, List.of());
    }

    /**
     * @param candidates the operations to place
     * @param droppedIndeterminate indeterminate changes left out because they provably do not matter
     * @param boundedIndeterminate indeterminate changes given a finite window because they provably took effect
     */
    record Plan(List<Candidate> candidates, int droppedIndeterminate, int boundedIndeterminate) {
    }

    record Explanation(String text, List<Operation> related) {
    }
}
