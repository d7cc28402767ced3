package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A single register per key, as the register workload uses a string key: the state is the Long
 * it holds, or null while the key is absent.
 * <ul>
 * <li>READ: returns the state (null = absent).
 * <li>WRITE v: the state becomes v.
 * <li>CAS [expected, new]: acknowledged means the state was {@code expected} and became
 * {@code new}; a failed CAS did not take effect (it is dropped before the search, like every
 * failed operation, because FAIL also covers refusals that observed nothing).
 * <li>SWAP v (SET key v GET): returns the previous state and sets v; when indeterminate its
 * output is unknown, so it is accepted in any state.
 * </ul>
 * Indeterminate changes are planned by {@link RegisterPlanner}.
 */
public final class RegisterModel implements Model<Long> {

    @Override
    public String name() { return "register"; }

    @Override
    public boolean handles(Op.Fn f) {
        return f == Op.Fn.READ || f == Op.Fn.WRITE || f == Op.Fn.CAS || f == Op.Fn.SWAP;
    }

    @Override
    public Long initial() { return null; }

    @Override
    public boolean permits(Long state, Operation op) {
        return switch (op.f()) {
            case READ -> Objects.equals(state, op.completion().longValue());
            case WRITE -> true;
            case CAS -> Objects.equals(state, op.invoke().listValue().get(0));
            case SWAP -> !op.ok() || Objects.equals(state, op.completion().longValue());
            default -> throw new IllegalArgumentException("not a register operation: " + op.f());
        };
    }

    @Override
    public Long apply(Long state, Operation op) {
        Long written = written(op);
        return written == null ? state : written;
    }

    @Override
    public boolean readOnly(Operation op) {
        return op.f() == Op.Fn.READ;
    }

    @Override
    public Plan plan(List<Operation> keyOps) {
        return RegisterPlanner.plan(keyOps);
    }

    /** The value an operation sets if it takes effect, or null for a read. */
    static Long written(Operation o) {
        return switch (o.f()) {
            case WRITE, SWAP -> o.invoke().longValue();
            case CAS -> o.invoke().listValue().get(1);
            default -> null;
        };
    }

    @Override
    public Explanation explain(String key, Operation stuck, Collection<Long> possible, List<Operation> keyOps) {
        String values = possible.isEmpty() ? "none" : Ops.joinCapped(possible.stream().map(RegisterModel::show).toList(), 8);
        String what = switch (stuck.f()) {
            case READ -> "read of " + key + " returned " + show(stuck.completion().longValue());
            case CAS -> "cas of " + key + " from " + show(stuck.invoke().listValue().get(0)) + " to "
                + stuck.invoke().listValue().get(1) + " succeeded";
            case SWAP -> "swap of " + key + " to " + stuck.invoke().longValue() + " returned previous "
                + show(stuck.completion().longValue());
            default -> Ops.describe(stuck) + " on " + key + " took effect";
        };
        List<Operation> related = new ArrayList<>();
        Long seen = stuck.f() == Op.Fn.READ || stuck.f() == Op.Fn.SWAP ? stuck.completion().longValue()
            : stuck.f() == Op.Fn.CAS ? stuck.invoke().listValue().get(0) : null;
        StringBuilder sb = new StringBuilder(what).append(" but the only values possible then were ").append(values);
        List<String> writers = new ArrayList<>();
        for (Operation o : keyOps) {
            Long w = o.failed() ? null : written(o);
            if (w != null && (w.equals(seen) || possible.contains(w)) && o != stuck) {
                related.add(o);
                writers.add(w + " by " + Ops.describe(o));
            }
        }
        if (seen != null && keyOps.stream().noneMatch(o -> !o.failed() && seen.equals(written(o)))) {
            sb.append("; ").append(seen).append(" was never written");
        }
        if (!writers.isEmpty()) {
            sb.append("; written: ").append(Ops.joinCapped(writers, 6));
        }
        sb.append("; the operation: ").append(Ops.describe(stuck));
        return new Explanation(sb.toString(), related);
    }

    private static String show(Long v) {
        return v == null ? "nothing (absent)" : v.toString();
    }
}
