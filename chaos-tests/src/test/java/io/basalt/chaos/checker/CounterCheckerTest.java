package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {

    private static CheckResult check(Events e) {
        return new CounterChecker().check(e.history());
    }

    private static Anomaly only(CheckResult r, String kind) {
        assertEquals(Verdict.INVALID, r.verdict(), r::detail);
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind().equals(kind)).toList();
        assertEquals(1, of.size(), () -> r.anomalies().toString());
        return of.get(0);
    }

    @Test
    void noOperationsIsNotAPass() {
        assertEquals(Verdict.UNKNOWN, check(new Events()).verdict());
        assertEquals(Verdict.UNKNOWN, check(new Events().incr(1, "c").fail(1)).verdict());
    }

    @Test
    void incrementsAndReads() {
        Events e = new Events().readCounter(1, "c").ok(1, 0).incr(1, "c").ok(1, 1).incr(2, "c").incr(3, "c").ok(3, 2)
            .readCounter(1, "c").ok(1, 2).ok(2, 3).readCounter(1, "c").ok(1, 3);
        CheckResult r = check(e);
        assertEquals(Verdict.VALID, r.verdict(), () -> r.detail() + r.anomalies());
    }

    @Test
    void absentCounterReadsZero() {
        assertEquals(Verdict.VALID, check(new Events().readCounter(1, "c").okAbsent(1)).verdict());
    }

    @Test
    void indeterminateIncrementsMayOrMayNotCount() {
        Events base = new Events().incr(1, "c").ok(1, 1).incr(2, "c").info(2).incr(3, "c").info(3);
        assertEquals(Verdict.VALID, check(base.readCounter(4, "c").ok(4, 1)).verdict());
        Events two = new Events().incr(1, "c").ok(1, 1).incr(2, "c").info(2).incr(3, "c").info(3);
        assertEquals(Verdict.VALID, check(two.readCounter(4, "c").ok(4, 3)).verdict());
    }

    @Test
    void finalReadBelowAcknowledgedIncrementsIsALoss() {
        Anomaly a = only(check(new Events().incr(1, "c").ok(1, 1).incr(1, "c").ok(1, 2).readCounter(2, "c").ok(2, 1)), "lost");
        assertTrue(a.description().contains("the final read of c saw 1 but at least 2 increments had been acknowledged"), a.description());
    }

    @Test
    void finalReadAboveAttemptedIncrementsIsAPhantom() {
        only(check(new Events().incr(1, "c").ok(1, 1).incr(1, "c").info(1).readCounter(2, "c").ok(2, 3)), "phantom-increments");
    }

    @Test
    void readBelowItsRealTimeBound() {
        CheckResult r = check(new Events().incr(1, "c").ok(1, 1).readCounter(2, "c").ok(2, 0).readCounter(2, "c").ok(2, 1));
        only(r, "counter-read");
    }

    @Test
    void readAboveIncrementsInvokedBeforeItCompleted() {
        CheckResult r = check(new Events().readCounter(2, "c").ok(2, 1).incr(1, "c").ok(1, 1).readCounter(2, "c").ok(2, 1));
        Anomaly a = only(r, "counter-read");
        assertTrue(a.description().contains("at most 0 increments had been attempted"), a.description());
    }

    @Test
    void twoIncrementsWithTheSameReply() {
        CheckResult r = check(new Events().incr(1, "c").incr(2, "c").ok(1, 1).ok(2, 1).readCounter(1, "c").ok(1, 2));
        Anomaly a = only(r, "duplicate-incr");
        assertEquals(4, a.ops().size());
    }

    @Test
    void incrementReplyMustCountEarlierAcknowledgedIncrements() {
        only(check(new Events().incr(1, "c").ok(1, 1).incr(1, "c").ok(1, 5).readCounter(1, "c").ok(1, 2)), "counter-read");
        only(check(new Events().incr(1, "c").ok(1, 1).incr(1, "c").ok(1, 1).readCounter(1, "c").ok(1, 2)), "counter-read");
    }

    @Test
    void incrementsWithoutAnyReadAreUnknown() {
        CheckResult r = check(new Events().incr(1, "c").ok(1, 1));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertTrue(r.detail().contains("no acknowledged read"), r.detail());
    }

    @Test
    void readsMustNotGoBackInTime() {
        // both reads are within their bounds (one indeterminate increment), but the second began after the first saw 1
        Anomaly a = only(check(new Events().incr(1, "c").info(1).readCounter(2, "c").ok(2, 1).readCounter(2, "c").ok(2, 0)),
            "went-back");
        assertTrue(a.description().contains("a read of c saw 0 after p2 READ_COUNTER (ok 1"), a.description());
    }
}
