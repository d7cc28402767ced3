package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Generates the history of a linearizable register service, as a chaos run would record it:
 * per key, {@code processesPerKey} client threads each doing one operation at a time, every
 * operation taking effect at an instant strictly inside its [invoke, complete] interval, with
 * unique written values. A fraction of operations time out (INFO): those took effect or not, at
 * random, half of them after the timeout, and their thread continues under a new process id, as
 * the runner does. Some threads
 * end with an operation that never completes.
 */
final class SimulatedRegister {

    private static final class SimOp {
        final String key;
        final int process;
        final Op.Fn f;
        final long invoke;
        final long linearize;
        final long complete;
        Op.Type outcome = Op.Type.OK;
        boolean completed = true;
        boolean applies = true;
        Object argument;
        Object result;

        SimOp(String key, int process, Op.Fn f, long invoke, long linearize, long complete) {
            this.key = key;
            this.process = process;
            this.f = f;
            this.invoke = invoke;
            this.linearize = linearize;
            this.complete = complete;
        }
    }

    private final List<SimOp> ops = new ArrayList<>();
    private int infoWrites;

    private SimulatedRegister() {
    }

    /**
     * @param infoRate the fraction of operations whose outcome is unknown
     */
    static SimulatedRegister generate(long seed, int keys, int processesPerKey, int opsPerKey, double infoRate) {
        Random random = new Random(seed);
        SimulatedRegister sim = new SimulatedRegister();
        int nextProcess = 0;
        for (int k = 0; k < keys; k++) {
            String key = "k" + k;
            List<SimOp> keyOps = new ArrayList<>();
            for (int t = 0; t < processesPerKey; t++) {
                int process = nextProcess++;
                long now = random.nextInt(1000);
                for (int i = 0; i < opsPerKey / processesPerKey; i++) {
                    double r = random.nextDouble();
                    Op.Fn f = r < 0.45 ? Op.Fn.READ : r < 0.7 ? Op.Fn.WRITE : r < 0.85 ? Op.Fn.CAS : Op.Fn.SWAP;
                    long invoke = now + 1 + random.nextInt(100);
                    long linearize = invoke + 1 + random.nextInt(1000);
                    long complete = linearize + 1 + random.nextInt(1000);
                    boolean last = i == opsPerKey / processesPerKey - 1;
                    boolean info = random.nextDouble() < infoRate || (last && random.nextDouble() < 0.1);
                    if (info && random.nextBoolean()) {
                        // a timed-out change may take effect well after the client gave up on it
                        linearize = complete + random.nextInt(5000);
                    }
                    SimOp op = new SimOp(key, process, f, invoke, linearize, complete);
                    keyOps.add(op);
                    now = complete;
                    if (info) {
                        op.outcome = Op.Type.INFO;
                        op.completed = !last;
                        op.applies = random.nextBoolean();
                        process = nextProcess++;
                    }
                }
            }
            keyOps.sort(Comparator.comparingLong(o -> o.linearize));
            sim.run(keyOps, random);
            sim.ops.addAll(keyOps);
        }
        return sim;
    }

    /** Applies the operations in linearization order to a register, filling in what each saw. */
    private void run(List<SimOp> keyOps, Random random) {
        Long state = null;
        long nextValue = 1;
        for (SimOp op : keyOps) {
            boolean info = op.outcome == Op.Type.INFO;
            switch (op.f) {
                case READ -> op.result = state;
                case WRITE -> {
                    op.argument = nextValue++;
                    infoWrites += info ? 1 : 0;
                    if (op.applies) {
                        state = (Long) op.argument;
                    }
                }
                case SWAP -> {
                    op.argument = nextValue++;
                    if (op.applies) {
                        op.result = state;
                        state = (Long) op.argument;
                    }
                }
                case CAS -> {
                    boolean succeeds = state != null && (info || random.nextDouble() < 0.6);
                    long expected = succeeds ? state : (state == null ? 0 : state) + 1_000_000;
                    op.argument = List.of(expected, nextValue++);
                    if (!succeeds) {
                        op.outcome = info ? Op.Type.INFO : Op.Type.FAIL;
                    } else if (op.applies) {
                        state = (Long) ((List<?>) op.argument).get(1);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    int infoWrites() { return infoWrites; }

    int size() { return ops.size(); }

    /**
     * Makes one late acknowledged read stale: it returns the value of a write that completed
     * before another acknowledged write began, which itself completed before the read began. With
     * unique values no linearization can explain it.
     *
     * @return what was changed, for the test's output
     */
    String injectStaleRead(Random random) {
        List<SimOp> reads = ops.stream().filter(o -> o.f == Op.Fn.READ && o.outcome == Op.Type.OK).toList();
        for (int attempt = 0; attempt < 1000; attempt++) {
            SimOp read = reads.get(reads.size() / 2 + random.nextInt(reads.size() / 2));
            SimOp overwrite = ops.stream()
                .filter(o -> o.key.equals(read.key) && o.outcome == Op.Type.OK && o.f != Op.Fn.READ && o.complete < read.invoke)
                .max(Comparator.comparingLong(o -> o.complete)).orElse(null);
            if (overwrite == null) {
                continue;
            }
            SimOp old = ops.stream()
                .filter(o -> o.key.equals(read.key) && o.outcome == Op.Type.OK && o.f == Op.Fn.WRITE && o.complete < overwrite.invoke)
                .max(Comparator.comparingLong(o -> o.complete)).orElse(null);
            if (old == null || Objects.equals(old.argument, read.result)) {
                continue;
            }
            String what = "read of " + read.key + " by p" + read.process + " at " + read.invoke + " changed from "
                + read.result + " to " + old.argument;
            read.result = old.argument;
            return what;
        }
        throw new IllegalStateException("no read to make stale");
    }

    History history() {
        record Event(long time, int order, SimOp op, boolean invoke) {
        }
        List<Event> events = new ArrayList<>();
        for (SimOp op : ops) {
            events.add(new Event(op.invoke, events.size(), op, true));
            if (op.completed) {
                events.add(new Event(op.complete, events.size(), op, false));
            }
        }
        events.sort(Comparator.comparingLong(Event::time).thenComparingInt(Event::order));
        List<Op> result = new ArrayList<>(events.size());
        for (Event e : events) {
            SimOp o = e.op;
            int index = result.size();
            if (e.invoke) {
                result.add(new Op(index, o.process, Op.Type.INVOKE, o.f, o.key, o.f == Op.Fn.READ ? null : o.argument, e.time, null));
            } else {
                Object value = o.outcome == Op.Type.OK && (o.f == Op.Fn.READ || o.f == Op.Fn.SWAP) ? o.result : null;
                result.add(new Op(index, o.process, o.outcome, o.f, o.key, value, e.time, o.outcome == Op.Type.OK ? null : "timeout"));
            }
        }
        return History.of(result);
    }
}
