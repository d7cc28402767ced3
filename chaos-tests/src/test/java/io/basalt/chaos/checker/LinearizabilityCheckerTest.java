package io.basalt.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.history.History;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static CheckResult check(Events e) {
        return LinearizabilityChecker.register().check(e.history());
    }

    private static void assertValid(Events e) {
        CheckResult r = check(e);
        assertEquals(Verdict.VALID, r.verdict(), () -> r.detail() + " " + r.anomalies());
    }

    private static Anomaly assertInvalid(Events e) {
        CheckResult r = check(e);
        assertEquals(Verdict.INVALID, r.verdict(), r::detail);
        assertEquals(1, r.anomalies().size(), () -> r.anomalies().toString());
        Anomaly a = r.anomalies().get(0);
        assertEquals("nonlinearizable", a.kind());
        return a;
    }

    private static void assertMentions(Anomaly a, String... fragments) {
        for (String f : fragments) {
            assertTrue(a.description().contains(f), () -> "expected \"" + f + "\" in: " + a.description());
        }
    }

    @Test
    void emptyHistoryIsNotAPass() {
        CheckResult r = LinearizabilityChecker.register().check(new Events().history());
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertTrue(r.detail().contains("no operations"), r.detail());
    }

    @Test
    void historyWithNothingAcknowledgedIsNotAPass() {
        CheckResult r = check(new Events().write(1, "x", 1).info(1).read(2, "x").fail(2));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertEquals(1, r.operationsChecked());
    }

    @Test
    void sequentialWritesAndReads() {
        assertValid(new Events().read(1, "x").okAbsent(1).writeOk(1, "x", 1).readOk(2, "x", 1).writeOk(2, "x", 2).readOk(1, "x", 2));
    }

    @Test
    void readOfAValueNeverWritten() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 1).readOk(2, "x", 9));
        assertMentions(a, "read of x returned 9", "only values possible then were 1", "9 was never written");
        assertEquals("x", a.key());
    }

    @Test
    void staleReadAfterACompletedWrite() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 1).writeOk(2, "x", 2).readOk(3, "x", 1));
        assertMentions(a, "read of x returned 1 but the only values possible then were 2", "1 by p1 WRITE 1", "2 by p2 WRITE 2");
        // the anomaly carries the stale read and both writers' events
        assertEquals(6, a.ops().size());
    }

    @Test
    void absentReadAfterAWrite() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 1).read(2, "x").okAbsent(2));
        assertMentions(a, "returned nothing (absent)");
    }

    @Test
    void readConcurrentWithAWriteMaySeeEitherValue() {
        assertValid(new Events().writeOk(1, "x", 1).write(1, "x", 2).readOk(2, "x", 2).readOk(3, "x", 2).ok(1));
        assertValid(new Events().writeOk(1, "x", 1).write(1, "x", 2).readOk(2, "x", 1).readOk(3, "x", 2).ok(1));
    }

    @Test
    void readsConcurrentWithTwoWritesSeeingThemInEitherOrder() {
        // w1 and w2 overlap each other and both reads: order w2, r(2), w1, r(1) explains it
        assertValid(new Events().write(1, "x", 1).write(2, "x", 2).readOk(3, "x", 2).readOk(4, "x", 1).ok(1).ok(2));
    }

    @Test
    void readsObservingConcurrentWritesInAnImpossibleOrder() {
        // once the writes are done, sequential reads see 1, then 2, then 1 again: 1 would have to be written twice;
        // the search gets furthest with w2, w1, read 1, and then cannot place the read of 2
        Anomaly a = assertInvalid(new Events().write(1, "x", 1).write(2, "x", 2).ok(1).ok(2)
            .readOk(3, "x", 1).readOk(4, "x", 2).readOk(3, "x", 1));
        assertMentions(a, "read of x returned 2 but the only values possible then were 1", "3 operations placed");
    }

    @Test
    void twoCasFromTheSameExpectedValueCannotBothSucceed() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 0).cas(1, "x", 0, 1).cas(2, "x", 0, 2).ok(1).ok(2));
        assertMentions(a, "cas of x from 0 to", "succeeded but the only values possible then were");
    }

    @Test
    void casChains() {
        assertValid(new Events().writeOk(1, "x", 0).cas(1, "x", 0, 1).cas(2, "x", 1, 2).ok(2).ok(1).readOk(3, "x", 2));
    }

    @Test
    void failedCasDidNotTakeEffect() {
        assertValid(new Events().writeOk(1, "x", 0).cas(1, "x", 0, 1).fail(1).readOk(2, "x", 0));
        assertInvalid(new Events().writeOk(1, "x", 0).cas(1, "x", 0, 1).fail(1).readOk(2, "x", 1));
    }

    @Test
    void failedWriteDidNotTakeEffect() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 0).write(1, "x", 3).fail(1).readOk(2, "x", 3));
        assertMentions(a, "3 was never written");
    }

    @Test
    void indeterminateWriteExplainsAnOtherwiseImpossibleRead() {
        CheckResult r = check(new Events().writeOk(1, "x", 1).write(2, "x", 2).info(2).readOk(3, "x", 2));
        assertEquals(Verdict.VALID, r.verdict(), r::detail);
        assertTrue(r.detail().contains("1 observed (bounded)"), r.detail());
    }

    @Test
    void uncompletedWriteMayTakeEffectLater() {
        assertValid(new Events().writeOk(1, "x", 1).write(2, "x", 2).readOk(3, "x", 1).readOk(3, "x", 2).readOk(3, "x", 2));
    }

    @Test
    void readObservingAnIndeterminateWriteThenTheOlderValue() {
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 1).write(2, "x", 2).info(2).readOk(3, "x", 2).readOk(3, "x", 1));
        assertMentions(a, "read of x returned 1 but the only values possible then were 2");
    }

    @Test
    void unobservedIndeterminateWritesAreDropped() {
        Events e = new Events().writeOk(1, "x", 1);
        for (int i = 0; i < 100; i++) {
            e.write(10 + i, "x", 100 + i).info(10 + i);
        }
        e.readOk(2, "x", 1);
        CheckResult r = check(e);
        assertEquals(Verdict.VALID, r.verdict(), r::detail);
        assertTrue(r.detail().contains("100 unobserved (dropped)"), r.detail());
    }

    @Test
    void indeterminateReadsAreDropped() {
        assertValid(new Events().writeOk(1, "x", 1).read(2, "x").info(2).readOk(3, "x", 1));
    }

    @Test
    void swapReturnsThePreviousValue() {
        assertValid(new Events().swap(1, "x", 1).okAbsent(1).swap(1, "x", 2).ok(1, 1).readOk(2, "x", 2));
        Anomaly a = assertInvalid(new Events().writeOk(1, "x", 1).writeOk(1, "x", 2).swap(2, "x", 3).ok(2, 1));
        assertMentions(a, "swap of x to 3 returned previous 1 but the only values possible then were 2");
    }

    @Test
    void twoSwapsCannotReturnTheSamePreviousValue() {
        assertInvalid(new Events().writeOk(1, "x", 1).swap(1, "x", 2).swap(2, "x", 3).ok(1, 1).ok(2, 1));
        assertValid(new Events().writeOk(1, "x", 1).swap(1, "x", 2).swap(2, "x", 3).ok(1, 3).ok(2, 1));
    }

    @Test
    void indeterminateSwapTakesEffectWhateverItsOutput() {
        assertValid(new Events().writeOk(1, "x", 1).swap(2, "x", 2).info(2).readOk(3, "x", 2));
    }

    @Test
    void indeterminateWriteIsNotRequiredWhenItsValueIsNotUnique() {
        // the CAS's new value 5 is also written by p2; the read of 5 is explained by p2's write, so the CAS
        // (which could never succeed: nothing ever held 9) must stay optional rather than be forced in
        Events e = new Events().writeOk(1, "x", 1).cas(3, "x", 9, 5).info(3).writeOk(2, "x", 5).readOk(4, "x", 5);
        assertValid(e);
        Model.Plan plan = RegisterPlanner.plan(e.history().operations());
        assertEquals(0, plan.boundedIndeterminate());
        assertEquals(0, plan.droppedIndeterminate());
        // with unique values the same shape is bounded, and then the impossible CAS is an anomaly
        Events unique = new Events().writeOk(1, "x", 1).cas(3, "x", 9, 5).info(3).readOk(4, "x", 5);
        assertEquals(1, RegisterPlanner.plan(unique.history().operations()).boundedIndeterminate());
        assertInvalid(unique);
    }

    @Test
    void keysAreCheckedIndependently() {
        Events e = new Events().writeOk(1, "a", 1).writeOk(1, "b", 1).readOk(2, "a", 1).readOk(2, "b", 7);
        Anomaly a = assertInvalid(e);
        assertEquals("b", a.key());
        assertTrue(check(e).detail().contains("on 2 keys"));
    }

    @Test
    void anomaliesAreCappedAndCounted() {
        Events e = new Events();
        for (int k = 0; k < 25; k++) {
            e.writeOk(1, "k" + k, 1).readOk(2, "k" + k, 2);
        }
        CheckResult r = check(e);
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Findings.LISTED_MAX, r.anomalies().size());
        assertTrue(r.detail().startsWith("25 anomalies (first 20 listed)"), r.detail());
    }

    @Test
    void exhaustedStateBudgetIsUnknownNeverValid() {
        History h = SimulatedRegister.generate(42, 1, 8, 400, 0.0).history();
        var budget = new LinearizabilityChecker.Budget(50, Duration.ofMinutes(1), Duration.ofMinutes(1));
        CheckResult r = new LinearizabilityChecker(new RegisterModel(), budget).check(h);
        assertEquals(Verdict.UNKNOWN, r.verdict(), r::detail);
        assertTrue(r.detail().contains("search budget exhausted"), r.detail());
        assertTrue(r.detail().contains("UNKNOWN for 1 keys: k0"), r.detail());
    }

    @Test
    void exhaustedTimeBudgetIsUnknownNeverValid() {
        History h = SimulatedRegister.generate(43, 3, 4, 50, 0.0).history();
        var budget = new LinearizabilityChecker.Budget(1_000_000, Duration.ofMinutes(1), Duration.ZERO);
        CheckResult r = new LinearizabilityChecker(new RegisterModel(), budget).check(h);
        assertEquals(Verdict.UNKNOWN, r.verdict(), r::detail);
        assertTrue(r.detail().contains("UNKNOWN for 3 keys"), r.detail());
        assertTrue(r.detail().contains("total budget"), r.detail());
    }

    @Test
    void anInvalidKeyWinsOverAnUnknownOne() {
        // key k0 needs more than 50 states; key "bad" is invalid within 3
        Events e = new Events().replay(SimulatedRegister.generate(44, 1, 8, 400, 0.0).history().events())
            .writeOk(1000, "bad", 1).readOk(1001, "bad", 2);
        var budget = new LinearizabilityChecker.Budget(50, Duration.ofMinutes(1), Duration.ofMinutes(1));
        CheckResult r = new LinearizabilityChecker(new RegisterModel(), budget).check(e.history());
        assertEquals(Verdict.INVALID, r.verdict(), r::detail);
        assertTrue(r.detail().contains("UNKNOWN for 1 keys: k0"), r.detail());
    }
}
