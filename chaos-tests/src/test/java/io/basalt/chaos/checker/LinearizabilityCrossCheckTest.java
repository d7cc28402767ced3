package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checker (memoized WGL with the indeterminate-write rewrites) against the definition,
 * checked by brute force on thousands of small random histories: try every order of the
 * operations that respects real time, with every indeterminate change either placed or left
 * out, and no rewrite at all. Half the histories write unique values, half reuse a few, so the
 * uniqueness guard of the rewrites is exercised too.
 */
class LinearizabilityCrossCheckTest {

    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
    private static final RegisterModel MODEL = new RegisterModel();

    @Test
    void agreesWithBruteForceOnSmallRandomHistories() {
        System.out.println("LinearizabilityCrossCheckTest seed " + SEED + " (rerun with -Dchaos.seed=" + SEED + ")");
        Random random = new Random(SEED);
        int valid = 0;
        int invalid = 0;
        for (int trial = 0; trial < 4000; trial++) {
            History h = randomHistory(random, trial % 2 == 0);
            List<Operation> ops = h.operations();
            boolean expected = bruteForce(ops);
            CheckResult r = LinearizabilityChecker.register().check(h);
            if (r.verdict() == Verdict.UNKNOWN && ops.stream().noneMatch(Operation::ok)) {
                continue;
            }
            Verdict want = expected ? Verdict.VALID : Verdict.INVALID;
            int t = trial;
            assertEquals(want, r.verdict(), () -> "seed " + SEED + " trial " + t + ": " + h.events() + " " + r.detail());
            if (expected) {
                valid++;
            } else {
                invalid++;
            }
        }
        System.out.println("cross-check: " + valid + " valid, " + invalid + " invalid histories agreed");
        assertTrue(valid > 200 && invalid > 200, valid + " valid, " + invalid + " invalid: the generator lost its balance");
    }

    private static History randomHistory(Random random, boolean uniqueValues) {
        Events e = new Events();
        int[] process = {0, 1, 2};
        boolean[] busy = new boolean[3];
        Op.Fn[] fns = new Op.Fn[3];
        int nextProcess = 3;
        long nextValue = 1;
        long current = 0;
        int invocations = 0;
        int length = 6 + random.nextInt(6);
        for (int step = 0; step < 2 * length; step++) {
            int t = random.nextInt(3);
            int p = process[t];
            if (!busy[t]) {
                if (invocations == length) {
                    continue;
                }
                invocations++;
                long v = uniqueValues ? nextValue++ : 1 + random.nextInt(3);
                double r = random.nextDouble();
                fns[t] = r < 0.4 ? Op.Fn.READ : r < 0.7 ? Op.Fn.WRITE : r < 0.85 ? Op.Fn.CAS : Op.Fn.SWAP;
                switch (fns[t]) {
                    case READ -> e.read(p, "x");
                    case WRITE -> e.write(p, "x", v);
                    case CAS -> e.cas(p, "x", random.nextBoolean() ? current : 1 + random.nextInt(3), v);
                    default -> e.swap(p, "x", v);
                }
                if (fns[t] != Op.Fn.READ) {
                    current = v;
                }
                busy[t] = true;
                continue;
            }
            double r = random.nextDouble();
            if (r < 0.15) {
                e.info(p);
                process[t] = nextProcess++;
            } else if (r < 0.2) {
                e.fail(p);
            } else if (fns[t] == Op.Fn.READ || fns[t] == Op.Fn.SWAP) {
                // mostly what was last written, so that a good share of histories are valid
                long seen = random.nextDouble() < 0.7 ? current : random.nextInt(4);
                if (seen == 0) {
                    e.okAbsent(p);
                } else {
                    e.ok(p, seen);
                }
            } else {
                e.ok(p);
            }
            busy[t] = false;
        }
        return e.history();
    }

    /** The definition: some order of the determinate operations and a subset of the indeterminate changes. */
    private static boolean bruteForce(List<Operation> all) {
        List<Candidate> candidates = new ArrayList<>();
        for (Operation o : all) {
            if (o.failed() || (o.indeterminate() && o.f() == Op.Fn.READ)) {
                continue;
            }
            candidates.add(Candidate.of(o));
        }
        return search(candidates, new HashSet<>(), MODEL.initial());
    }

    private static boolean search(List<Candidate> candidates, Set<Integer> placed, Long state) {
        boolean requiredLeft = false;
        for (int i = 0; i < candidates.size(); i++) {
            if (!placed.contains(i) && !candidates.get(i).optional()) {
                requiredLeft = true;
            }
        }
        if (!requiredLeft) {
            return true;
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (placed.contains(i) || !minimal(candidates, placed, i)) {
                continue;
            }
            Operation o = candidates.get(i).operation();
            if (MODEL.permits(state, o)) {
                placed.add(i);
                boolean found = search(candidates, placed, MODEL.apply(state, o));
                placed.remove(i);
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether no unplaced operation had to complete before candidate i began. */
    private static boolean minimal(List<Candidate> candidates, Set<Integer> placed, int i) {
        for (int j = 0; j < candidates.size(); j++) {
            if (j != i && !placed.contains(j) && candidates.get(j).end() < candidates.get(i).start()) {
                return false;
            }
        }
        return true;
    }
}
