package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Small helpers the checkers share to select operations and to describe them in anomalies. */
final class Ops {

    /** Elements of a list value a description shows in full. */
    private static final int LIST_SHOWN_MAX = 10;

    private Ops() {
    }

    /** Index of the completion event; Long.MAX_VALUE when the outcome is unknown (it may take effect any time later). */
    static long end(Operation o) {
        return o.indeterminate() ? Long.MAX_VALUE : o.completion().index();
    }

    static long start(Operation o) {
        return o.invoke().index();
    }

    /** The events of these operations (invocations and completions), in history order. */
    static List<Op> events(List<Operation> operations) {
        List<Op> events = new ArrayList<>();
        for (Operation o : operations) {
            events.add(o.invoke());
            if (o.completion() != null) {
                events.add(o.completion());
            }
        }
        events.sort(Comparator.comparingLong(Op::index));
        return events;
    }

    static List<Op> events(Operation... operations) {
        return events(List.of(operations));
    }

    /** "p3 WRITE 5 (ok, events 10-14)", for anomaly descriptions. */
    static String describe(Operation o) {
        Object argument = o.invoke().value();
        Object result = o.completion() == null ? null : o.completion().value();
        StringBuilder sb = new StringBuilder("p").append(o.process()).append(' ').append(o.f());
        if (argument != null) {
            sb.append(' ').append(show(argument));
        }
        String outcome = o.completion() == null ? "never completed" : o.outcome().name().toLowerCase();
        sb.append(" (").append(outcome);
        if (o.ok() && result != null) {
            sb.append(" ").append(show(result));
        }
        sb.append(", events ").append(o.invoke().index()).append('-')
            .append(o.completion() == null ? "" : String.valueOf(o.completion().index())).append(')');
        return sb.toString();
    }

    /** A value for a sentence: a long list read shows its size, head and tail rather than every element. */
    static String show(Object value) {
        if (value instanceof List<?> list && list.size() > LIST_SHOWN_MAX) {
            int half = LIST_SHOWN_MAX / 2;
            return list.size() + " values " + list.subList(0, half).toString().replace("]", "") + " ... "
                + list.subList(list.size() - half, list.size()).toString().replace("[", "");
        }
        return String.valueOf(value);
    }

    /** Joins at most {@code max} items, saying how many more there were. */
    static String joinCapped(List<?> items, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, items.size()); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(items.get(i));
        }
        if (items.size() > max) {
            sb.append(" and ").append(items.size() - max).append(" more");
        }
        return sb.toString();
    }
}
