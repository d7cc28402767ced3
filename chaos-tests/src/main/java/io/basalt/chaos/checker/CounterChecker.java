package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the counter workload: INCR (by one; its reply is the counter after it) and READ_COUNTER
 * (0 while absent). A linearizable counter's every observation is bounded by real time: when an
 * operation R (a read, or an INCR's reply) is observed, at least the increments acknowledged
 * before R was invoked have taken effect, and at most those invoked before R completed have.
 * Per key:
 * <ul>
 * <li><b>lost</b> / <b>phantom-increments</b>: the final read (the key's last acknowledged
 * read) is below the acknowledged increments, or above the attempted ones (acknowledged +
 * indeterminate);
 * <li><b>counter-read</b>: any other read, or an INCR reply, outside its real-time bounds;
 * <li><b>duplicate-incr</b>: two acknowledged INCRs with the same reply (each increment yields a
 * new value, so one of them was applied twice or not at all);
 * <li><b>went-back</b>: an observation below one that completed before it began.
 * </ul>
 */
public final class CounterChecker implements Checker {

    @Override
    public String name() { return "counter"; }

    @Override
    public CheckResult check(History history) {
        long started = System.nanoTime();
        Findings findings = new Findings();
        List<String> unknown = new ArrayList<>();
        long checked = 0;
        long acknowledged = 0;
        int keys = 0;
        for (Map.Entry<String, List<Operation>> entry : history.operationsByKey().entrySet()) {
            List<Operation> ops = entry.getValue().stream()
                .filter(o -> o.f() == Op.Fn.INCR || o.f() == Op.Fn.READ_COUNTER).filter(o -> !o.failed()).toList();
            if (ops.isEmpty()) {
                continue;
            }
            keys++;
            checked += ops.size();
            acknowledged += ops.stream().filter(Operation::ok).count();
            checkKey(entry.getKey(), ops, findings, unknown);
        }
        String detail = checked + " operations on " + keys + " keys, " + (System.nanoTime() - started) / 1_000_000 + " ms";
        if (!unknown.isEmpty()) {
            detail = "UNKNOWN for " + unknown.size() + " keys: " + Ops.joinCapped(unknown, 5) + "; " + detail;
        }
        return findings.result(name(), checked, acknowledged, unknown.isEmpty() ? Verdict.VALID : Verdict.UNKNOWN, detail);
    }

    private static void checkKey(String key, List<Operation> ops, Findings findings, List<String> unknown) {
        List<Operation> incrs = ops.stream().filter(o -> o.f() == Op.Fn.INCR).toList();
        long[] okEnds = incrs.stream().filter(Operation::ok).mapToLong(Ops::end).sorted().toArray();
        long[] attemptedStarts = incrs.stream().mapToLong(Ops::start).sorted().toArray();
        Map<Long, Operation> byReply = new HashMap<>();
        for (Operation incr : incrs) {
            if (!incr.ok()) {
                continue;
            }
            Long reply = incr.completion().longValue();
            Operation other = byReply.putIfAbsent(reply, incr);
            if (other != null) {
                findings.add(new Anomaly("duplicate-incr", key, "two increments of " + key + " both replied " + reply + ": "
                    + Ops.describe(other) + " and " + Ops.describe(incr), Ops.events(other, incr)));
            }
            checkBounds(key, incr, reply, "counter-read", "the reply of incr", okEnds, attemptedStarts, findings);
        }
        List<Operation> reads = ops.stream().filter(o -> o.f() == Op.Fn.READ_COUNTER && o.ok())
            .sorted(Comparator.comparingLong(Ops::end)).toList();
        checkMonotonic(key, ops, findings);
        if (reads.isEmpty()) {
            if (okEnds.length > 0) {
                unknown.add(key + " (no acknowledged read, so " + okEnds.length + " acknowledged increments are unverified)");
            }
            return;
        }
        for (int i = 0; i < reads.size(); i++) {
            Operation read = reads.get(i);
            Long v = read.completion().longValue();
            boolean isFinal = i == reads.size() - 1;
            checkBounds(key, read, v == null ? 0 : v, isFinal ? "final" : "counter-read", isFinal ? "the final read" : "a read",
                okEnds, attemptedStarts, findings);
        }
    }

    /**
     * The counter only grows: an observation (a read, or an INCR's reply) must not be below one
     * that completed before it began, and an INCR's reply must be above it.
     */
    private static void checkMonotonic(String key, List<Operation> ops, Findings findings) {
        List<Operation> observations = ops.stream().filter(Operation::ok).sorted(Comparator.comparingLong(Ops::end)).toList();
        long[] ends = observations.stream().mapToLong(Ops::end).toArray();
        Operation[] highestSoFar = new Operation[observations.size()];
        for (int i = 0; i < observations.size(); i++) {
            Operation o = observations.get(i);
            highestSoFar[i] = i > 0 && observed(highestSoFar[i - 1]) >= observed(o) ? highestSoFar[i - 1] : o;
        }
        for (Operation o : observations) {
            int before = countBefore(ends, Ops.start(o));
            if (before == 0) {
                continue;
            }
            Operation earlier = highestSoFar[before - 1];
            long floor = observed(earlier) + (o.f() == Op.Fn.INCR ? 1 : 0);
            if (observed(o) < floor) {
                findings.add(new Anomaly("went-back", key, (o.f() == Op.Fn.INCR ? "the reply of incr" : "a read") + " of " + key
                    + " saw " + observed(o) + " after " + Ops.describe(earlier) + " had seen " + observed(earlier)
                    + ": " + Ops.describe(o), Ops.events(earlier, o)));
            }
        }
    }

    private static long observed(Operation o) {
        Long v = o.completion().longValue();
        return v == null ? 0 : v;
    }

    /** Checks an observation against [acknowledged before it began, attempted before it ended]. */
    private static void checkBounds(String key, Operation o, long observed, String kind, String what,
                                    long[] okEnds, long[] attemptedStarts, Findings findings) {
        long lower = countBefore(okEnds, Ops.start(o)) + (o.f() == Op.Fn.INCR ? 1 : 0);
        long upper = countBefore(attemptedStarts, Ops.end(o));
        if (observed >= lower && observed <= upper) {
            return;
        }
        String k = kind.equals("final") ? (observed < lower ? "lost" : "phantom-increments") : kind;
        String why = observed < lower ? "at least " + lower + " increments had been acknowledged"
            + (o.f() == Op.Fn.INCR ? " (counting itself)" : "") + " before it began"
            : "at most " + upper + " increments had been attempted before it completed";
        findings.add(new Anomaly(k, key, what + " of " + key + " saw " + observed + " but " + why + ": " + Ops.describe(o),
            Ops.events(o)));
    }

    /** How many of the sorted times are strictly before {@code t}. */
    private static int countBefore(long[] sorted, long t) {
        int i = Arrays.binarySearch(sorted, t);
        // event indices are unique, so a hit is the event at t itself, which is not before t
        return i >= 0 ? i : -i - 1;
    }
}
