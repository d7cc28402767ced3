package io.basalt.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * One event of a history, in Jepsen's form: a client process invokes an operation, and later
 * the same process records how it completed.
 *
 * <p>{@code value} is deliberately narrow so that every checker and the history file agree on
 * it: {@code null}, a {@link Long}, or an immutable {@code List<Long>} (a set or list read, or a
 * compare-and-set's {@code [expected, new]}).
 *
 * @param index position in the history, from 0
 * @param process the client process; one process has at most one operation outstanding
 * @param type invoke, or how it completed
 * @param f the operation: see {@link Fn}
 * @param key the key the operation is on (histories are checked per key)
 * @param value see above
 * @param nanos time since the history started, from one monotonic clock
 * @param error for fail and info: why (e.g. the server's error line); otherwise null
 */
public record Op(long index, int process, Type type, Fn f, String key, Object value, long nanos, String error) {

    /** How an event stands: Jepsen's four types. */
    public enum Type {
        /** the operation was sent */
        INVOKE,
        /** it took effect, and {@code value} is what it observed (for reads) */
        OK,
        /** it certainly did not take effect (the server refused it before applying) */
        FAIL,
        /** unknown: it may or may not have taken effect, now or later (a timeout, a dropped connection) */
        INFO
    }

    /** The operations the workloads perform. */
    public enum Fn {
        /** register read: value = the Long read, or null for an absent key */
        READ,
        /** register write: value = the Long written */
        WRITE,
        /** register compare-and-set: value = [expected, new]; FAIL when the register held something else */
        CAS,
        /** register swap (SET key new GET): invoke value = the Long written; OK value = the previous value or null */
        SWAP,
        /** counter increment by one; value on OK = the counter after it (INCR's reply) */
        INCR,
        /** counter read: value = the Long read (0 when absent) */
        READ_COUNTER,
        /** set add: value = the Long element */
        ADD,
        /** set read: value = every element, sorted */
        READ_SET,
        /** list append: value = the Long appended */
        APPEND,
        /** list read: value = the whole list, in order */
        READ_LIST
    }

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        if (value != null && !(value instanceof Long) && !(value instanceof List<?>)) {
            throw new IllegalArgumentException("an op's value is null, a Long or a List<Long>, not " + value.getClass());
        }
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Long)) {
                    throw new IllegalArgumentException("an op's list value holds Longs only, not " + o);
                }
            }
            value = List.copyOf(list);
        }
    }

    public boolean isInvoke() { return type == Type.INVOKE; }

    public Long longValue() { return (Long) value; }

    @SuppressWarnings("unchecked")
    public List<Long> listValue() { return (List<Long>) value; }
}
