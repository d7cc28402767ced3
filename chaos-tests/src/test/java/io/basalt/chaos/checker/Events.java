package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small DSL for test histories that reads like the event log:
 * <pre>
 * new Events()
 *     .write(1, "x", 5)      // p1 invokes WRITE x 5
 *     .read(2, "x")          // p2 invokes READ x
 *     .ok(1)                 // p1's write completes OK
 *     .ok(2, 5)              // p2's read returns 5
 *     .history();
 * </pre>
 * Completions pair with the process's outstanding invocation; event times are their indices.
 */
final class Events {

    private final List<Op> events = new ArrayList<>();
    private final Map<Integer, Op> outstanding = new HashMap<>();

    Events invoke(int process, Op.Fn f, String key, Object value) {
        Op op = new Op(events.size(), process, Op.Type.INVOKE, f, key, value, events.size(), null);
        if (outstanding.put(process, op) != null) {
            throw new IllegalStateException("p" + process + " already has an operation outstanding");
        }
        events.add(op);
        return this;
    }

    Events read(int p, String key) { return invoke(p, Op.Fn.READ, key, null); }

    Events write(int p, String key, long v) { return invoke(p, Op.Fn.WRITE, key, v); }

    Events cas(int p, String key, long expected, long v) { return invoke(p, Op.Fn.CAS, key, List.of(expected, v)); }

    Events swap(int p, String key, long v) { return invoke(p, Op.Fn.SWAP, key, v); }

    Events incr(int p, String key) { return invoke(p, Op.Fn.INCR, key, null); }

    Events readCounter(int p, String key) { return invoke(p, Op.Fn.READ_COUNTER, key, null); }

    Events add(int p, String key, long element) { return invoke(p, Op.Fn.ADD, key, element); }

    Events readSet(int p, String key) { return invoke(p, Op.Fn.READ_SET, key, null); }

    Events append(int p, String key, long element) { return invoke(p, Op.Fn.APPEND, key, element); }

    Events readList(int p, String key) { return invoke(p, Op.Fn.READ_LIST, key, null); }

    private Events complete(int process, Op.Type type, Object value, String error) {
        Op invoke = outstanding.remove(process);
        if (invoke == null) {
            throw new IllegalStateException("p" + process + " has nothing outstanding");
        }
        events.add(new Op(events.size(), process, type, invoke.f(), invoke.key(), value, events.size(), error));
        return this;
    }

    /** Completes OK with no value (a write, an add, an append). */
    Events ok(int p) { return complete(p, Op.Type.OK, null, null); }

    /** Completes OK having observed {@code v}. */
    Events ok(int p, long v) { return complete(p, Op.Type.OK, v, null); }

    /** A read of an absent key; a swap that found nothing. */
    Events okAbsent(int p) { return complete(p, Op.Type.OK, null, null); }

    /** Completes OK with a list or set read. */
    Events okList(int p, long... elements) {
        return complete(p, Op.Type.OK, Arrays.stream(elements).boxed().toList(), null);
    }

    Events fail(int p) { return complete(p, Op.Type.FAIL, null, "ERR refused"); }

    Events info(int p) { return complete(p, Op.Type.INFO, null, "timeout"); }

    /** An operation that completes before the next event: the sequential shorthand. */
    Events writeOk(int p, String key, long v) { return write(p, key, v).ok(p); }

    Events readOk(int p, String key, long v) { return read(p, key).ok(p, v); }

    /** Appends recorded events (e.g. a generated history's), renumbered to follow this history's. */
    Events replay(List<Op> recorded) {
        for (Op op : recorded) {
            if (op.isInvoke()) {
                invoke(op.process(), op.f(), op.key(), op.value());
            } else {
                complete(op.process(), op.type(), op.value(), op.error());
            }
        }
        return this;
    }

    History history() { return History.of(events); }
}
