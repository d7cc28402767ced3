package io.basalt.chaos.checker;

import io.basalt.chaos.history.Operation;

/**
 * An operation as the linearizability search sees it: the window (in history event indices) in
 * which it must take effect. An operation whose window ends at Long.MAX_VALUE is optional: it may
 * take effect at any point after {@code start}, or never (an indeterminate write).
 *
 * @param operation the operation
 * @param start the index of its invocation
 * @param end the index of the event by which it must have taken effect, or Long.MAX_VALUE
 */
public record Candidate(Operation operation, long start, long end) {

    public static Candidate of(Operation o) {
        return new Candidate(o, Ops.start(o), Ops.end(o));
    }

    public boolean optional() { return end == Long.MAX_VALUE; }
}
