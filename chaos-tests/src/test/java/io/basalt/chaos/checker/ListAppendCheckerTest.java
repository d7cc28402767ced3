package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListAppendCheckerTest {

    private static CheckResult check(Events e) {
        return new ListAppendChecker().check(e.history());
    }

    private static Anomaly only(CheckResult r, String kind) {
        assertEquals(Verdict.INVALID, r.verdict(), r::detail);
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind().equals(kind)).toList();
        assertEquals(1, of.size(), () -> r.anomalies().toString());
        return of.get(0);
    }

    private static void assertValid(Events e) {
        CheckResult r = check(e);
        assertEquals(Verdict.VALID, r.verdict(), () -> r.detail() + r.anomalies());
    }

    @Test
    void noOperationsIsNotAPass() {
        assertEquals(Verdict.UNKNOWN, check(new Events()).verdict());
    }

    @Test
    void appendsAndGrowingReads() {
        assertValid(new Events().append(1, "l", 1).ok(1).readList(2, "l").okList(2, 1).append(1, "l", 2).append(3, "l", 3)
            .readList(2, "l").okList(2, 1, 3).ok(3).ok(1).readList(2, "l").okList(2, 1, 3, 2));
    }

    @Test
    void indeterminateAppendMayBeAbsentOrPresent() {
        assertValid(new Events().append(1, "l", 1).ok(1).append(2, "l", 2).info(2).append(3, "l", 3).ok(3)
            .readList(4, "l").okList(4, 1, 3));
        assertValid(new Events().append(1, "l", 1).ok(1).append(2, "l", 2).info(2).append(3, "l", 3).ok(3)
            .readList(4, "l").okList(4, 1, 2, 3));
    }

    @Test
    void readsThatAreNotPrefixesOfEachOther() {
        CheckResult r = check(new Events().append(1, "l", 1).append(2, "l", 2)
            .readList(3, "l").okList(3, 1).readList(4, "l").okList(4, 2).ok(1).ok(2).readList(3, "l").okList(3, 2, 1));
        Anomaly a = only(r, "incompatible-reads");
        assertTrue(a.description().contains("is not a prefix of the longest read"), a.description());
    }

    @Test
    void duplicatesAndPhantoms() {
        CheckResult r = check(new Events().append(1, "l", 1).ok(1).append(1, "l", 2).fail(1).readList(2, "l").okList(2, 1, 1, 2));
        only(r, "duplicate");
        assertTrue(only(r, "phantom").description().contains("2 (its append failed)"));
    }

    @Test
    void lostAcknowledgedAppend() {
        CheckResult r = check(new Events().append(1, "l", 1).ok(1).append(1, "l", 2).ok(1).readList(2, "l").okList(2, 1));
        Anomaly a = only(r, "lost");
        assertTrue(a.description().contains("lost 1 acknowledged appends: 2"), a.description());
    }

    @Test
    void staleReadMissesAnAcknowledgedAppend() {
        only(check(new Events().append(1, "l", 1).ok(1).readList(2, "l").okList(2).readList(2, "l").okList(2, 1)), "stale-read");
    }

    @Test
    void appendsOutOfRealTimeOrder() {
        // 1 was acknowledged before 2 was appended, but a read shows 2 first: every value is there, only the order is wrong
        CheckResult r = check(new Events().append(1, "l", 1).ok(1).append(1, "l", 2).ok(1).readList(2, "l").okList(2, 2, 1));
        Anomaly a = only(r, "order");
        assertTrue(a.description().contains("holds 2 with 1 after it"), a.description());
    }

    @Test
    void appendMissingWhileALaterAppendIsPresent() {
        // the read began before 1 was acknowledged, so it may miss 1, but not while showing 2, which began after 1 was acknowledged
        CheckResult r = check(new Events().readList(2, "l").append(1, "l", 1).ok(1).append(1, "l", 2).ok(1).okList(2, 2)
            .readList(2, "l").okList(2, 1, 2));
        Anomaly a = only(r, "order");
        assertTrue(a.description().contains("holds 2 without 1"), a.description());
    }

    @Test
    void concurrentAppendsInEitherOrder() {
        assertValid(new Events().append(1, "l", 1).append(2, "l", 2).ok(2).ok(1).readList(3, "l").okList(3, 2, 1));
    }

    @Test
    void readGoingBackInTime() {
        CheckResult r = check(new Events().append(1, "l", 1).readList(2, "l").okList(2, 1).readList(2, "l").okList(2).ok(1)
            .readList(2, "l").okList(2, 1));
        Anomaly a = only(r, "went-back");
        assertTrue(a.description().contains("has 0 values, but a read of 1 values completed before it began"), a.description());
    }

    @Test
    void valueFromTheFuture() {
        only(check(new Events().readList(2, "l").okList(2, 1).append(1, "l", 1).ok(1).readList(2, "l").okList(2, 1)), "future-read");
    }

    @Test
    void longReadsAreAbbreviatedInDescriptions() {
        Events e = new Events();
        long[] values = new long[30];
        for (int i = 0; i < 30; i++) {
            e.append(1, "l", i + 1).ok(1);
            values[i] = i + 1;
        }
        values[29] = 99;
        Anomaly a = only(check(e.readList(2, "l").okList(2, values)), "phantom");
        assertTrue(a.description().contains("(ok 30 values [1, 2, 3, 4, 5 ... 26, 27, 28, 29, 99]"), a.description());
    }
}
