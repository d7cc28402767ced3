package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Generates linearizable histories of the counter, set and list-append workloads, the way
 * {@link SimulatedRegister} does for registers: concurrent processes per key, each operation
 * taking effect strictly inside its interval, some timing out (and then taking effect or not),
 * and one final read per key after everything, as the runner's recovery phase does.
 */
final class SimulatedCollections {

    enum Kind {
        COUNTER(Op.Fn.INCR, Op.Fn.READ_COUNTER), SET(Op.Fn.ADD, Op.Fn.READ_SET), LIST(Op.Fn.APPEND, Op.Fn.READ_LIST);

        final Op.Fn change;
        final Op.Fn read;

        Kind(Op.Fn change, Op.Fn read) {
            this.change = change;
            this.read = read;
        }
    }

    private record Sim(String key, int process, Op.Fn f, long invoke, long linearize, long complete, boolean info,
                       boolean completed, boolean applies, Long argument) {
    }

    private SimulatedCollections() {
    }

    static History generate(Kind kind, long seed, int keys, int processesPerKey, int opsPerKey, double infoRate) {
        Random random = new Random(seed);
        List<Op> events = new ArrayList<>();
        record Event(long time, int order, Sim op, boolean invoke, Object result) {
        }
        List<Event> all = new ArrayList<>();
        int nextProcess = 0;
        for (int k = 0; k < keys; k++) {
            String key = kind.name().toLowerCase() + k;
            List<Sim> ops = new ArrayList<>();
            long end = 0;
            long nextValue = 1;
            for (int t = 0; t < processesPerKey; t++) {
                int process = nextProcess++;
                long now = random.nextInt(1000);
                for (int i = 0; i < opsPerKey / processesPerKey; i++) {
                    Op.Fn f = random.nextDouble() < 0.6 ? kind.change : kind.read;
                    long invoke = now + 1 + random.nextInt(100);
                    long linearize = invoke + 1 + random.nextInt(1000);
                    long complete = linearize + 1 + random.nextInt(1000);
                    boolean info = random.nextDouble() < infoRate;
                    boolean last = i == opsPerKey / processesPerKey - 1;
                    Long argument = f == kind.change && kind != Kind.COUNTER ? nextValue++ : null;
                    ops.add(new Sim(key, process, f, invoke, linearize, complete, info, !(info && last), !info || random.nextBoolean(), argument));
                    now = complete;
                    end = Math.max(end, complete);
                    if (info) {
                        process = nextProcess++;
                    }
                }
            }
            ops.add(new Sim(key, nextProcess++, kind.read, end + 1, end + 2, end + 3, false, true, true, null));
            ops.sort(Comparator.comparingLong(Sim::linearize));
            long counter = 0;
            TreeSet<Long> set = new TreeSet<>();
            List<Long> list = new ArrayList<>();
            for (Sim op : ops) {
                Object result = null;
                if (op.f() == kind.read) {
                    result = switch (kind) {
                        case COUNTER -> counter;
                        case SET -> List.copyOf(set);
                        case LIST -> List.copyOf(list);
                    };
                } else if (op.applies()) {
                    counter++;
                    set.add(op.argument() == null ? 0 : op.argument());
                    list.add(op.argument() == null ? 0 : op.argument());
                    result = kind == Kind.COUNTER ? counter : null;
                }
                all.add(new Event(op.invoke(), all.size(), op, true, null));
                if (op.completed()) {
                    all.add(new Event(op.complete(), all.size(), op, false, op.info() ? null : result));
                }
            }
        }
        all.sort(Comparator.comparingLong(Event::time).thenComparingInt(Event::order));
        for (Event e : all) {
            Sim o = e.op();
            Op.Type type = e.invoke() ? Op.Type.INVOKE : o.info() ? Op.Type.INFO : Op.Type.OK;
            Object value = e.invoke() ? o.argument() : e.result();
            events.add(new Op(events.size(), o.process(), type, o.f(), o.key(), value, e.time(), o.info() && !e.invoke() ? "timeout" : null));
        }
        return History.of(events);
    }
}
