package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.history.History;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The set, counter and list checkers check necessary conditions of linearizability, so they must
 * never call a linearizable history INVALID. Checked on thousands of small random histories
 * against the linearizability checker run with the sequential models of {@link CollectionModels};
 * and they must catch a good share of the non-linearizable ones.
 */
class CollectionCheckersCrossCheckTest {

    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());

    static {
        System.out.println("CollectionCheckersCrossCheckTest seed " + SEED + " (rerun with -Dchaos.seed=" + SEED + ")");
    }

    private enum Kind { SET, COUNTER, LIST }

    @Test
    void set() {
        crossCheck(Kind.SET, new SetChecker(), new CollectionModels.SetModel());
    }

    @Test
    void counter() {
        crossCheck(Kind.COUNTER, new CounterChecker(), new CollectionModels.CounterModel());
    }

    @Test
    void list() {
        crossCheck(Kind.LIST, new ListAppendChecker(), new CollectionModels.ListModel());
    }

    private static void crossCheck(Kind kind, Checker checker, Model<?> model) {
        Random random = new Random(SEED);
        int linearizable = 0;
        int caught = 0;
        int notLinearizable = 0;
        for (int trial = 0; trial < 3000; trial++) {
            History h = randomHistory(kind, random);
            Verdict definition = new LinearizabilityChecker(model).check(h).verdict();
            CheckResult r = checker.check(h);
            int t = trial;
            if (definition == Verdict.VALID) {
                linearizable++;
                assertNotEquals(Verdict.INVALID, r.verdict(), () -> "seed " + SEED + " trial " + t + ": " + h.events() + " " + r.anomalies());
            } else if (definition == Verdict.INVALID) {
                notLinearizable++;
                caught += r.verdict() == Verdict.INVALID ? 1 : 0;
            }
        }
        System.out.println(kind + ": " + linearizable + " linearizable passed; caught " + caught + " of " + notLinearizable + " non-linearizable");
        assertTrue(linearizable > 100 && caught > notLinearizable / 2,
            linearizable + " linearizable, caught " + caught + " of " + notLinearizable);
    }

    private static History randomHistory(Kind kind, Random random) {
        Events e = new Events();
        int[] process = {0, 1, 2};
        boolean[] busy = new boolean[3];
        boolean[] reading = new boolean[3];
        List<Long> added = new ArrayList<>();
        int nextProcess = 3;
        long nextValue = 1;
        int invocations = 0;
        int length = 5 + random.nextInt(6);
        String key = "k";
        for (int step = 0; step < 3 * length; step++) {
            int t = random.nextInt(3);
            int p = process[t];
            if (!busy[t]) {
                if (invocations == length) {
                    continue;
                }
                invocations++;
                reading[t] = random.nextDouble() < 0.45;
                switch (kind) {
                    case SET -> { if (reading[t]) { e.readSet(p, key); } else { e.add(p, key, nextValue); added.add(nextValue++); } }
                    case LIST -> { if (reading[t]) { e.readList(p, key); } else { e.append(p, key, nextValue); added.add(nextValue++); } }
                    case COUNTER -> { if (reading[t]) { e.readCounter(p, key); } else { e.incr(p, key); added.add(nextValue++); } }
                }
                busy[t] = true;
                continue;
            }
            busy[t] = false;
            double r = random.nextDouble();
            if (r < 0.12) {
                e.info(p);
                process[t] = nextProcess++;
                continue;
            }
            if (r < 0.17) {
                e.fail(p);
                continue;
            }
            if (kind == Kind.COUNTER) {
                // near the number of increments so far, so that both kinds of history come up
                long v = Math.max(0, added.size() - random.nextInt(3) + (random.nextDouble() < 0.1 ? 1 : 0));
                e.ok(p, v);
            } else if (!reading[t]) {
                e.ok(p);
            } else {
                List<Long> seen = new ArrayList<>(added.subList(0, Math.max(0, added.size() - random.nextInt(3))));
                if (random.nextDouble() < 0.15 && seen.size() > 1) {
                    Collections.swap(seen, 0, seen.size() - 1);
                }
                if (random.nextDouble() < 0.1 && !seen.isEmpty()) {
                    seen.remove(random.nextInt(seen.size()));
                }
                if (kind == Kind.SET) {
                    seen.sort(null);
                }
                e.okList(p, seen.stream().mapToLong(Long::longValue).toArray());
            }
        }
        return e.history();
    }
}
