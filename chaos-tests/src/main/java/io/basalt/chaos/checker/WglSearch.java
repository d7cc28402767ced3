package io.basalt.chaos.checker;

import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Wing & Gong search for a linearization of one key's history, with Lowe's memoization
 * ("Testing for linearizability", 2017), as Porcupine and Knossos's WGL also do.
 *
 * <p>Calls and returns of the candidates form one doubly linked list in history order. Walking
 * from the head, a call may be <em>linearized</em> (taken out of the list with its return) when
 * the model permits it in the current state; reaching a return whose operation is still in the
 * list means that operation had to take effect before this point and could not, so the search
 * undoes its last choice and tries the next call after it. Emptying the list (or reaching only
 * returns at infinity, those of optional operations) proves the history linearizable; undoing
 * everything proves it is not.
 *
 * <p>Memoization: two search paths that linearized the same set of operations and reached the
 * same state have the same future, so each (set, state) pair is explored once. The set is a
 * bitset with an incrementally kept Zobrist hash, so probing the cache costs no rehash.
 *
 * <p>For reporting, the search remembers the furthest return it could not get past (the
 * operation that could not be placed), the states the key could be in there, and the operations
 * still open there (its concurrent operations).
 */
final class WglSearch<S> {

    enum Result { LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXHAUSTED }

    /** How many distinct states an anomaly lists at the point of failure. */
    private static final int STUCK_STATES_MAX = 8;
    /** How many open operations an anomaly names. */
    private static final int CONCURRENT_MAX = 10;
    /** Steps between two looks at the clock. */
    private static final int CLOCK_EVERY = 1024;

    private final Model<S> model;
    private final List<Candidate> candidates;
    private final long statesMax;
    private final long deadlineNanos;

    // the list: entries 0..2n-1 (call of candidate i at some slot, its return at another), head = 2n
    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    private final boolean[] isCall;
    private final int[] returnOf;
    private final int head;

    private final long[] zobrist;
    private final Set<CacheKey> cache = new HashSet<>();

    private long stuckEnd = -1;
    private Operation stuck;
    private final Set<S> stuckStates = new LinkedHashSet<>();
    private final List<Operation> stuckConcurrent = new ArrayList<>();
    private int stuckLinearized;

    WglSearch(Model<S> model, List<Candidate> candidates, long statesMax, long deadlineNanos) {
        this.model = model;
        this.candidates = candidates;
        this.statesMax = statesMax;
        this.deadlineNanos = deadlineNanos;
        int n = candidates.size();
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        opOf = new int[2 * n];
        isCall = new boolean[2 * n];
        returnOf = new int[2 * n];
        head = 2 * n;
        Integer[] order = new Integer[2 * n];
        for (int e = 0; e < 2 * n; e++) {
            order[e] = e;
            opOf[e] = e / 2;
            isCall[e] = e % 2 == 0;
            returnOf[e] = e | 1;
        }
        // returns at the same instant (an indeterminate write bounded by its observer's completion) go first
        Arrays.sort(order, Comparator.<Integer>comparingLong(e -> time(e)).thenComparing(e -> isCall[e]).thenComparingInt(e -> e));
        int last = head;
        for (int e : order) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = -1;
        zobrist = new long[n];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < n; i++) {
            zobrist[i] = random.nextLong();
        }
    }

    private long time(int e) {
        Candidate c = candidates.get(e / 2);
        return e % 2 == 0 ? c.start() : c.end();
    }

    Result run() {
        int n = candidates.size();
        long[] linearized = new long[(n + 63) / 64];
        long hash = 0;
        S state = model.initial();
        int[] stackEntry = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        long steps = 0;
        int e = next[head];
        while (true) {
            if (e == -1) {
                return Result.LINEARIZABLE;
            }
            int op = opOf[e];
            if (!isCall[e]) {
                if (candidates.get(op).optional()) {
                    return Result.LINEARIZABLE;
                }
                noteStuck(e, state, depth);
                if (depth == 0) {
                    return Result.NOT_LINEARIZABLE;
                }
                depth--;
                int call = stackEntry[depth];
                @SuppressWarnings("unchecked") S previous = (S) stackState[depth];
                state = previous;
                stackState[depth] = null;
                linearized[opOf[call] >> 6] &= ~(1L << opOf[call]);
                hash ^= zobrist[opOf[call]];
                unlift(call);
                e = next[call];
                continue;
            }
            if (++steps % CLOCK_EVERY == 0 && (System.nanoTime() - deadlineNanos > 0)) {
                return Result.BUDGET_EXHAUSTED;
            }
            Operation o = candidates.get(op).operation();
            if (model.permits(state, o)) {
                S after = model.apply(state, o);
                linearized[op >> 6] |= 1L << op;
                long h = hash ^ zobrist[op];
                if (cache.add(new CacheKey(linearized.clone(), h, after))) {
                    if (cache.size() > statesMax) {
                        return Result.BUDGET_EXHAUSTED;
                    }
                    stackEntry[depth] = e;
                    stackState[depth] = state;
                    depth++;
                    state = after;
                    hash = h;
                    lift(e);
                    e = next[head];
                    continue;
                }
                linearized[op >> 6] &= ~(1L << op);
            }
            e = next[e];
        }
    }

    private void lift(int call) {
        unlink(call);
        unlink(returnOf[call]);
    }

    private void unlink(int e) {
        next[prev[e]] = next[e];
        if (next[e] != -1) {
            prev[next[e]] = prev[e];
        }
    }

    /** Undoes {@link #lift} exactly (dancing links): entries relink in the reverse order they left. */
    private void unlift(int call) {
        relink(returnOf[call]);
        relink(call);
    }

    private void relink(int e) {
        next[prev[e]] = e;
        if (next[e] != -1) {
            prev[next[e]] = e;
        }
    }

    private void noteStuck(int returnEntry, S state, int depth) {
        long end = time(returnEntry);
        if (end < stuckEnd) {
            return;
        }
        if (end > stuckEnd) {
            stuckEnd = end;
            stuck = candidates.get(opOf[returnEntry]).operation();
            stuckStates.clear();
            stuckConcurrent.clear();
            stuckLinearized = depth;
            for (int e = next[head]; e != returnEntry && e != -1 && stuckConcurrent.size() < CONCURRENT_MAX; e = next[e]) {
                if (isCall[e] && opOf[e] != opOf[returnEntry]) {
                    stuckConcurrent.add(candidates.get(opOf[e]).operation());
                }
            }
        }
        if (stuckStates.size() < STUCK_STATES_MAX) {
            stuckStates.add(state);
        }
    }

    long statesExplored() { return cache.size(); }

    /** The operation that could not be placed (after a NOT_LINEARIZABLE result). */
    Operation stuck() { return stuck; }

    Set<S> stuckStates() { return stuckStates; }

    List<Operation> stuckConcurrent() { return stuckConcurrent; }

    /** How many operations were placed before it, on the path that reached it first. */
    int stuckLinearized() { return stuckLinearized; }

    private record CacheKey(long[] linearized, long hash, Object state) {

        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && k.hash == hash && Arrays.equals(k.linearized, linearized)
                && java.util.Objects.equals(k.state, state);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash) * 31 + java.util.Objects.hashCode(state);
        }
    }
}
