package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SetCheckerTest {

    private static CheckResult check(Events e) {
        return new SetChecker().check(e.history());
    }

    private static Anomaly only(CheckResult r, String kind) {
        assertEquals(Verdict.INVALID, r.verdict(), r::detail);
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind().equals(kind)).toList();
        assertEquals(1, of.size(), () -> r.anomalies().toString());
        return of.get(0);
    }

    @Test
    void noOperationsIsNotAPass() {
        CheckResult r = check(new Events());
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertTrue(r.detail().contains("no operations"), r.detail());
    }

    @Test
    void acknowledgedAndIndeterminateAddsWithAFinalRead() {
        Events e = new Events().add(1, "s", 1).ok(1).add(2, "s", 2).info(2).add(3, "s", 3).fail(3).add(4, "s", 4)
            .readSet(5, "s").okList(5, 1).ok(4).readSet(5, "s").okList(5, 1, 2, 4);
        CheckResult r = check(e);
        assertEquals(Verdict.VALID, r.verdict(), () -> r.detail() + r.anomalies());
        assertEquals(5, r.operationsChecked()); // the failed add is not counted
    }

    @Test
    void indeterminateAddMayBeAbsent() {
        assertEquals(Verdict.VALID, check(new Events().add(1, "s", 1).ok(1).add(2, "s", 2).info(2)
            .readSet(3, "s").okList(3, 1)).verdict());
    }

    @Test
    void lostAcknowledgedAdd() {
        Anomaly a = only(check(new Events().add(1, "s", 1).ok(1).add(1, "s", 2).ok(1).readSet(2, "s").okList(2, 2)), "lost");
        assertTrue(a.description().contains("final read of s") && a.description().contains("lost 1 elements known present before it began: 1 (add acknowledged)"), a.description());
        assertEquals(4, a.ops().size());
    }

    @Test
    void staleReadMissesAnAddAcknowledgedBeforeIt() {
        CheckResult r = check(new Events().add(1, "s", 1).ok(1).readSet(2, "s").okList(2).readSet(2, "s").okList(2, 1));
        Anomaly a = only(r, "stale-read");
        assertTrue(a.description().contains("misses 1 elements known present before it began: 1 (add acknowledged)"), a.description());
    }

    @Test
    void readConcurrentWithAnAddMayMissIt() {
        assertEquals(Verdict.VALID, check(new Events().add(1, "s", 1).readSet(2, "s").okList(2).ok(1)
            .readSet(2, "s").okList(2, 1)).verdict());
    }

    @Test
    void phantomElements() {
        CheckResult r = check(new Events().add(1, "s", 1).ok(1).add(1, "s", 2).fail(1).readSet(2, "s").okList(2, 1, 2, 9));
        Anomaly a = only(r, "phantom");
        assertTrue(a.description().contains("2 (its add failed), 9 (never added)"), a.description());
    }

    @Test
    void duplicateElementsInARead() {
        only(check(new Events().add(1, "s", 1).ok(1).readSet(2, "s").okList(2, 1, 1)), "duplicate");
    }

    @Test
    void elementFromTheFuture() {
        CheckResult r = check(new Events().add(1, "s", 1).ok(1).readSet(2, "s").okList(2, 1, 2).add(1, "s", 2).ok(1)
            .readSet(2, "s").okList(2, 1, 2));
        only(r, "future-read");
    }

    @Test
    void addsWithoutAnyReadAreUnknown() {
        CheckResult r = check(new Events().add(1, "s", 1).ok(1));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertTrue(r.detail().contains("no acknowledged read"), r.detail());
    }

    @Test
    void anomaliesAreCapped() {
        Events e = new Events();
        for (int i = 0; i < 30; i++) {
            e.add(1, "s" + i, i).ok(1).readSet(2, "s" + i).okList(2);
        }
        CheckResult r = check(e);
        assertEquals(Findings.LISTED_MAX, r.anomalies().size());
        assertTrue(r.detail().startsWith("30 anomalies (first 20 listed)"), r.detail());
    }

    @Test
    void elementSeenByAReadMustStay() {
        // the add is indeterminate, so only the earlier read proves 1 was there
        Anomaly a = only(check(new Events().add(1, "s", 1).info(1).readSet(2, "s").okList(2, 1).readSet(2, "s").okList(2)), "lost");
        assertTrue(a.description().contains("1 (seen by an earlier read)"), a.description());
        assertEquals(Verdict.INVALID, check(new Events().add(1, "s", 1).info(1).readSet(2, "s").okList(2, 1)
            .readSet(2, "s").okList(2).readSet(2, "s").okList(2, 1)).verdict());
    }
}
