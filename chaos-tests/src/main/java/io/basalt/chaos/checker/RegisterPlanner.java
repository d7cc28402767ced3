package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, before the search, what each indeterminate register change means. This is what keeps
 * the search fast through faults: an indeterminate write (a timeout during a partition) may take
 * effect anywhere after its invocation or never, so each one left in the search doubles the
 * states it may have to explore, and a chaos run has hundreds of them.
 *
 * <p>Two rewrites, each proven to keep the verdict:
 * <ul>
 * <li><b>Unobserved: dropped.</b> If no operation of the key observes the value {@code v} an
 * indeterminate change writes (no read returned it, no CAS expected it, no SWAP returned it), the
 * change can be taken out of any valid order: after it, until something overwrites the register,
 * only operations compatible with the register holding {@code v} could follow, and by hypothesis
 * there are none; so it is immediately followed by an overwrite (a WRITE, or a SWAP whose output
 * is unknown), which does not depend on the state before it, or by nothing. So the history is
 * linearizable with the change iff it is without it. This needs no uniqueness.
 * <li><b>Observed by an acknowledged operation: required, with a deadline.</b> If {@code v} is
 * written by this one operation only (<em>values are unique per key in our workloads</em>, and
 * this is checked per value, not assumed), and an acknowledged operation observed {@code v}, then
 * the change certainly took effect, before the first such observer completed. It gets a finite
 * window [invocation, that completion], as if it had been acknowledged then. When {@code v} is
 * written by several operations, the observation could come from another one, so the change
 * stays optional with an open window.
 * </ul>
 * Indeterminate changes observed only by other indeterminate operations stay optional.
 */
final class RegisterPlanner {

    private RegisterPlanner() {
    }

    static Model.Plan plan(List<Operation> keyOps) {
        Map<Long, Integer> writers = new HashMap<>();
        Map<Long, Long> firstObservedBy = new HashMap<>();
        Set<Long> observed = new HashSet<>();
        for (Operation o : keyOps) {
            if (o.failed()) {
                continue;
            }
            Long written = RegisterModel.written(o);
            if (written != null) {
                writers.merge(written, 1, Integer::sum);
            }
            Long seen = observation(o);
            if (seen != null) {
                observed.add(seen);
                if (o.ok()) {
                    firstObservedBy.merge(seen, o.completion().index(), Math::min);
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        int dropped = 0;
        int bounded = 0;
        for (Operation o : keyOps) {
            if (o.failed() || (o.indeterminate() && o.f() == Op.Fn.READ)) {
                continue;
            }
            if (!o.indeterminate()) {
                candidates.add(Candidate.of(o));
                continue;
            }
            Long v = RegisterModel.written(o);
            if (v == null || !observed.contains(v)) {
                dropped++;
                continue;
            }
            Long deadline = firstObservedBy.get(v);
            if (writers.get(v) == 1 && deadline != null && deadline > Ops.start(o)) {
                candidates.add(new Candidate(o, Ops.start(o), deadline));
                bounded++;
            } else {
                candidates.add(Candidate.of(o));
            }
        }
        return new Model.Plan(candidates, dropped, bounded);
    }

    /** The value an operation saw the register hold, when it saw one (a read of an absent key sees nothing we track). */
    private static Long observation(Operation o) {
        return switch (o.f()) {
            case READ -> o.ok() ? o.completion().longValue() : null;
            case CAS -> o.invoke().listValue().get(0);
            case SWAP -> o.ok() ? o.completion().longValue() : null;
            default -> null;
        };
    }
}
