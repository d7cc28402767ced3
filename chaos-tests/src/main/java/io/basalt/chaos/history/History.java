package io.basalt.chaos.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history of client operations, recorded concurrently by many client threads and checked
 * afterwards. Times come from one monotonic clock ({@link System#nanoTime()}) relative to the
 * start, so real-time order between operations is exact within this JVM.
 */
public final class History {

    private final long startNanos;
    private final List<Op> ops = new ArrayList<>();

    public History() {
        this(System.nanoTime());
    }

    /** @param startNanos the {@link System#nanoTime()} value that is time 0 of this history */
    public History(long startNanos) {
        this.startNanos = startNanos;
    }

    /** A history read back from a file or built by a test: events in order. */
    public static History of(List<Op> events) {
        History h = new History(0);
        h.ops.addAll(events);
        return h;
    }

    public long startNanos() { return startNanos; }

    /** Now on this history's clock. */
    public long now() { return System.nanoTime() - startNanos; }

    public synchronized Op invoke(int process, Op.Fn f, String key, Object value) {
        Op op = new Op(ops.size(), process, Op.Type.INVOKE, f, key, value, now(), null);
        ops.add(op);
        return op;
    }

    public synchronized Op ok(Op invoke, Object value) {
        return complete(invoke, Op.Type.OK, value, null);
    }

    public synchronized Op fail(Op invoke, String error) {
        return complete(invoke, Op.Type.FAIL, null, error);
    }

    public synchronized Op info(Op invoke, String error) {
        return complete(invoke, Op.Type.INFO, null, error);
    }

    private Op complete(Op invoke, Op.Type type, Object value, String error) {
        Op op = new Op(ops.size(), invoke.process(), type, invoke.f(), invoke.key(), value, now(), error);
        ops.add(op);
        return op;
    }

    /** Every event so far, in order. */
    public synchronized List<Op> events() {
        return List.copyOf(ops);
    }

    /**
     * Invocations paired with their completions, in invocation order. A process's completion
     * pairs with that process's outstanding invocation.
     */
    public synchronized List<Operation> operations() {
        Map<Integer, Op> outstanding = new HashMap<>();
        Map<Op, Op> completionOf = new LinkedHashMap<>();
        for (Op op : ops) {
            if (op.isInvoke()) {
                Op previous = outstanding.put(op.process(), op);
                if (previous != null) {
                    throw new IllegalStateException("process " + op.process() + " invoked op " + op.index()
                        + " while op " + previous.index() + " was outstanding");
                }
                completionOf.put(op, null);
            } else {
                Op invoke = outstanding.remove(op.process());
                if (invoke == null) {
                    throw new IllegalStateException("completion " + op.index() + " of process " + op.process() + " has no invocation");
                }
                completionOf.put(invoke, op);
            }
        }
        List<Operation> result = new ArrayList<>(completionOf.size());
        completionOf.forEach((invoke, completion) -> result.add(new Operation(invoke, completion)));
        return result;
    }

    /** Operations grouped by key, each list in invocation order (for per-key checking). */
    public Map<String, List<Operation>> operationsByKey() {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation o : operations()) {
            byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
        }
        return byKey;
    }

    public synchronized int size() { return ops.size(); }
}
