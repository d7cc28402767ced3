package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the list-append workload: APPEND of unique Long values (RPUSH) and READ_LIST of the
 * whole list (LRANGE 0 -1). Appends only ever add at the end, so every state of a key's list is
 * a prefix of every later state; per key:
 * <ul>
 * <li><b>incompatible-reads</b>: two reads where neither is a prefix of the other (checked
 * against the longest read: pairwise prefix-compatibility holds iff every read is a prefix of it);
 * <li><b>duplicate</b> / <b>phantom</b>: a value twice in a read, or one no append attempted;
 * <li><b>lost</b>: an acknowledged append missing from the final read (the key's last acknowledged read);
 * <li><b>stale-read</b>: a read missing an append acknowledged before the read was invoked;
 * <li><b>future-read</b>: a read holding a value whose append was invoked after the read completed;
 * <li><b>order</b>: append A acknowledged before append B was invoked, yet a read holds B without
 * A before it;
 * <li><b>went-back</b>: a read shorter than a read that completed before it was invoked.
 * </ul>
 * Indeterminate appends may be present or absent. Values are assumed unique per key, as the
 * workload appends each once; a value appended twice is reported ("duplicate-append").
 */
public final class ListAppendChecker implements Checker {

    @Override
    public String name() { return "list-append"; }

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
                .filter(o -> o.f() == Op.Fn.APPEND || o.f() == Op.Fn.READ_LIST).filter(o -> !o.failed() || o.f() == Op.Fn.APPEND).toList();
            if (ops.isEmpty()) {
                continue;
            }
            keys++;
            checked += ops.stream().filter(o -> !o.failed()).count();
            acknowledged += ops.stream().filter(Operation::ok).count();
            new KeyCheck(entry.getKey(), ops, findings).run(unknown);
        }
        String detail = checked + " operations on " + keys + " keys, " + (System.nanoTime() - started) / 1_000_000 + " ms";
        if (!unknown.isEmpty()) {
            detail = "UNKNOWN for " + unknown.size() + " keys: " + Ops.joinCapped(unknown, 5) + "; " + detail;
        }
        return findings.result(name(), checked, acknowledged, unknown.isEmpty() ? Verdict.VALID : Verdict.UNKNOWN, detail);
    }

    private static final class KeyCheck {
        private final String key;
        private final Findings findings;
        private final Map<Long, Operation> attempted = new HashMap<>();
        private final Set<Long> failed = new HashSet<>();
        private final List<Operation> okAppends = new ArrayList<>();
        private final List<Operation> reads = new ArrayList<>();
        private final long[] okEnds;

        KeyCheck(String key, List<Operation> ops, Findings findings) {
            this.key = key;
            this.findings = findings;
            for (Operation o : ops) {
                if (o.f() == Op.Fn.READ_LIST) {
                    if (o.ok()) {
                        reads.add(o);
                    }
                    continue;
                }
                Long value = o.invoke().longValue();
                if (o.failed()) {
                    failed.add(value);
                    continue;
                }
                Operation earlier = attempted.putIfAbsent(value, o);
                if (earlier != null) {
                    findings.add(new Anomaly("duplicate-append", key, "value " + value + " was appended to " + key
                        + " twice, but the workload appends unique values: " + Ops.describe(earlier) + ", " + Ops.describe(o),
                        Ops.events(earlier, o)));
                }
                if (o.ok()) {
                    okAppends.add(o);
                }
            }
            okAppends.sort(Comparator.comparingLong(Ops::end));
            okEnds = okAppends.stream().mapToLong(Ops::end).toArray();
            reads.sort(Comparator.comparingLong(Ops::end));
        }

        void run(List<String> unknown) {
            if (reads.isEmpty()) {
                if (!okAppends.isEmpty()) {
                    unknown.add(key + " (no acknowledged read, so " + okAppends.size() + " acknowledged appends are unverified)");
                }
                return;
            }
            Operation longest = reads.stream().max(Comparator.comparingInt(r -> r.completion().listValue().size())).orElseThrow();
            int[] longestBefore = new int[reads.size()];
            long[] readEnds = new long[reads.size()];
            for (int i = 0; i < reads.size(); i++) {
                int size = reads.get(i).completion().listValue().size();
                longestBefore[i] = Math.max(size, i == 0 ? 0 : longestBefore[i - 1]);
                readEnds[i] = Ops.end(reads.get(i));
            }
            for (int i = 0; i < reads.size(); i++) {
                Operation read = reads.get(i);
                String which = (i == reads.size() - 1 ? "final read" : "read") + " of " + key + " " + Ops.describe(read);
                List<Long> list = read.completion().listValue();
                checkElements(read, which, list);
                checkPrefix(read, which, list, longest);
                Set<Long> present = new HashSet<>(list);
                checkAcknowledged(read, which, present, i == reads.size() - 1);
                checkOrder(read, which, list, present);
                int before = -Arrays.binarySearch(readEnds, Ops.start(read)) - 1;
                if (before > 0 && longestBefore[before - 1] > list.size()) {
                    findings.add(new Anomaly("went-back", key, which + " has " + list.size() + " values, but a read of "
                        + longestBefore[before - 1] + " values completed before it began", Ops.events(read)));
                }
            }
        }

        private void checkElements(Operation read, String which, List<Long> list) {
            Set<Long> seen = new HashSet<>();
            List<Long> duplicates = new ArrayList<>();
            List<String> phantoms = new ArrayList<>();
            List<Operation> future = new ArrayList<>();
            for (Long v : list) {
                if (!seen.add(v)) {
                    duplicates.add(v);
                }
                Operation append = attempted.get(v);
                if (append == null) {
                    phantoms.add(v + (failed.contains(v) ? " (its append failed)" : " (never appended)"));
                } else if (Ops.start(append) > Ops.end(read)) {
                    future.add(append);
                }
            }
            if (!duplicates.isEmpty()) {
                findings.add(new Anomaly("duplicate", key, which + " holds these values more than once: "
                    + Ops.joinCapped(duplicates, 10), Ops.events(read)));
            }
            if (!phantoms.isEmpty()) {
                findings.add(new Anomaly("phantom", key, which + " holds values no append could have put there: "
                    + Ops.joinCapped(phantoms, 10), Ops.events(read)));
            }
            if (!future.isEmpty()) {
                findings.add(new Anomaly("future-read", key, which + " holds values whose appends began after it completed: "
                    + Ops.joinCapped(future.stream().map(Ops::describe).toList(), 5), Ops.events(with(future, read))));
            }
        }

        private void checkPrefix(Operation read, String which, List<Long> list, Operation longest) {
            List<Long> reference = longest.completion().listValue();
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).equals(reference.get(i))) {
                    findings.add(new Anomaly("incompatible-reads", key, which + " is not a prefix of the longest read "
                        + Ops.describe(longest) + ": at position " + i + " one has " + list.get(i) + " and the other "
                        + reference.get(i), Ops.events(read, longest)));
                    return;
                }
            }
        }

        private void checkAcknowledged(Operation read, String which, Set<Long> present, boolean isFinal) {
            List<Operation> missing = new ArrayList<>();
            for (Operation append : okAppends) {
                if (Ops.end(append) > Ops.start(read)) {
                    break;
                }
                if (!present.contains(append.invoke().longValue())) {
                    missing.add(append);
                }
            }
            if (!missing.isEmpty()) {
                String what = isFinal ? " lost " + missing.size() + " acknowledged appends: "
                    : " misses " + missing.size() + " appends acknowledged before it began: ";
                findings.add(new Anomaly(isFinal ? "lost" : "stale-read", key, which + what
                    + Ops.joinCapped(missing.stream().map(a -> String.valueOf(a.invoke().longValue())).toList(), 10)
                    + "; first: " + Ops.describe(missing.get(0)), Ops.events(with(missing, read))));
            }
        }

        /**
         * Real-time order: scanning the read left to right while tracking the latest-invoked
         * append seen so far (B), an acknowledged append A found after B with A completed before B
         * began is out of order; and an acknowledged append missing from the read is out of order
         * when it completed before some value in the read began (and after the read began, else
         * it is a stale read, reported as such).
         */
        private void checkOrder(Operation read, String which, List<Long> list, Set<Long> present) {
            long latestStart = -1;
            int latestAt = -1;
            for (int j = 0; j < list.size(); j++) {
                Operation a = attempted.get(list.get(j));
                if (a == null) {
                    continue;
                }
                if (a.ok() && Ops.end(a) < latestStart) {
                    reportOrder(read, which, a, list.get(latestAt), " with " + list.get(j) + " after it");
                    return;
                }
                if (Ops.start(a) > latestStart) {
                    latestStart = Ops.start(a);
                    latestAt = j;
                }
            }
            for (int k = -Arrays.binarySearch(okEnds, Ops.start(read)) - 1; k < okEnds.length && okEnds[k] < latestStart; k++) {
                Operation a = okAppends.get(k);
                if (!present.contains(a.invoke().longValue())) {
                    reportOrder(read, which, a, list.get(latestAt), " without " + a.invoke().longValue());
                    return;
                }
            }
        }

        private void reportOrder(Operation read, String which, Operation a, Long laterValue, String where) {
            Operation b = attempted.get(laterValue);
            findings.add(new Anomaly("order", key, which + " holds " + laterValue + where + ", but " + Ops.describe(a)
                + " was acknowledged before " + Ops.describe(b) + " began", Ops.events(a, b, read)));
        }

        private static List<Operation> with(List<Operation> some, Operation read) {
            List<Operation> involved = new ArrayList<>(some.subList(0, Math.min(5, some.size())));
            involved.add(read);
            return involved;
        }
    }
}
