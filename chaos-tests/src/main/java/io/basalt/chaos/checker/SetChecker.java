package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the set workload: ADD of unique Long elements to a key (SADD), READ_SET of all of them
 * (SMEMBERS, sorted). Per key:
 * <ul>
 * <li><b>lost</b>: an acknowledged add (or an element an earlier read held) missing from the final
 * read (the key's last acknowledged read, which the runner does in its recovery phase, after healing);
 * <li><b>stale-read</b>: any read missing an element known present before the read was invoked:
 * its add was acknowledged, or a read that completed earlier held it (elements are never
 * removed, so a linearizable set must show it). This and the future-read check are the cheap
 * real-time part of linearizability for sets: necessary, not sufficient (two concurrent reads
 * that each see a different one of two concurrent adds, and not the other, pass them);
 * <li><b>future-read</b>: a read holding an element whose add was invoked after the read completed;
 * <li><b>phantom</b>: a read holding an element no add attempted (or whose add failed);
 * <li><b>duplicate</b>: an element twice in one read.
 * </ul>
 * Indeterminate adds may be present or absent. Elements are assumed unique per key (the workload
 * adds each value once): an element added twice is reported as "duplicate-add", and the timing
 * checks then use its first add.
 */
public final class SetChecker implements Checker {

    @Override
    public String name() { return "set"; }

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
                .filter(o -> o.f() == Op.Fn.ADD || o.f() == Op.Fn.READ_SET).filter(o -> !o.failed() || o.f() == Op.Fn.ADD).toList();
            if (ops.isEmpty()) {
                continue;
            }
            keys++;
            checked += ops.stream().filter(o -> !o.failed()).count();
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
        Map<Long, Operation> attempted = new HashMap<>();
        Set<Long> failed = new HashSet<>();
        List<Operation> okAdds = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        for (Operation o : ops) {
            if (o.f() == Op.Fn.READ_SET) {
                if (o.ok()) {
                    reads.add(o);
                }
                continue;
            }
            Long element = o.invoke().longValue();
            if (o.failed()) {
                failed.add(element);
                continue;
            }
            Operation earlier = attempted.putIfAbsent(element, o);
            if (earlier != null) {
                findings.add(new Anomaly("duplicate-add", key, "element " + element + " of " + key
                    + " was added twice, but the workload adds unique elements: " + Ops.describe(earlier) + ", " + Ops.describe(o),
                    Ops.events(earlier, o)));
            }
            if (o.ok()) {
                okAdds.add(o);
            }
        }
        okAdds.sort(Comparator.comparingLong(Ops::end));
        reads.sort(Comparator.comparingLong(Ops::end));
        if (reads.isEmpty()) {
            if (!okAdds.isEmpty()) {
                unknown.add(key + " (no acknowledged read, so " + okAdds.size() + " acknowledged adds are unverified)");
            }
            return;
        }
        Operation finalRead = reads.get(reads.size() - 1);
        List<Evidence> presentSince = presentSince(okAdds, reads);
        for (Operation read : reads) {
            checkRead(key, read, read == finalRead, attempted, failed, presentSince, findings);
        }
    }

    /**
     * Since when each element is known to be in the set: its add's acknowledgement, or the
     * completion of the first read that held it, whichever came first (elements are never
     * removed, so from then on every read must hold it). Sorted by that time.
     */
    private static List<Evidence> presentSince(List<Operation> okAdds, List<Operation> readsByEnd) {
        Map<Long, Evidence> earliest = new HashMap<>();
        for (Operation add : okAdds) {
            earliest.put(add.invoke().longValue(), new Evidence(add.invoke().longValue(), Ops.end(add), add));
        }
        for (Operation read : readsByEnd) {
            for (Long e : read.completion().listValue()) {
                Evidence known = earliest.get(e);
                if (known == null || known.since() > Ops.end(read)) {
                    earliest.put(e, new Evidence(e, Ops.end(read), read));
                }
            }
        }
        List<Evidence> sorted = new ArrayList<>(earliest.values());
        sorted.sort(Comparator.comparingLong(Evidence::since));
        return sorted;
    }

    /** Element {@code element} is known present from event {@code since} on, because of {@code by}. */
    private record Evidence(Long element, long since, Operation by) {

        @Override
        public String toString() {
            return element + (by.f() == Op.Fn.ADD ? " (add acknowledged)" : " (seen by an earlier read)");
        }
    }

    private static void checkRead(String key, Operation read, boolean isFinal, Map<Long, Operation> attempted, Set<Long> failed,
                                  List<Evidence> presentSince, Findings findings) {
        List<Long> elements = read.completion().listValue();
        Set<Long> seen = new HashSet<>();
        List<Long> duplicates = new ArrayList<>();
        List<Long> phantoms = new ArrayList<>();
        List<Operation> future = new ArrayList<>();
        for (Long e : elements) {
            if (!seen.add(e)) {
                duplicates.add(e);
            }
            Operation add = attempted.get(e);
            if (add == null) {
                phantoms.add(e);
            } else if (Ops.start(add) > Ops.end(read)) {
                future.add(add);
            }
        }
        String which = (isFinal ? "final read" : "read") + " of " + key + " " + Ops.describe(read);
        if (!duplicates.isEmpty()) {
            findings.add(new Anomaly("duplicate", key, which + " holds these elements more than once: "
                + Ops.joinCapped(duplicates, 10), Ops.events(read)));
        }
        if (!phantoms.isEmpty()) {
            List<String> named = phantoms.stream().map(e -> failed.contains(e) ? e + " (its add failed)" : e + " (never added)").toList();
            findings.add(new Anomaly("phantom", key, which + " holds elements no add could have put there: "
                + Ops.joinCapped(named, 10), Ops.events(read)));
        }
        if (!future.isEmpty()) {
            List<Operation> involved = new ArrayList<>(future.subList(0, Math.min(5, future.size())));
            involved.add(read);
            findings.add(new Anomaly("future-read", key, which + " holds elements whose adds began after it completed: "
                + Ops.joinCapped(future.stream().map(Ops::describe).toList(), 5), Ops.events(involved)));
        }
        List<Evidence> missing = new ArrayList<>();
        for (Evidence known : presentSince) {
            if (known.since() > Ops.start(read)) {
                break;
            }
            if (!seen.contains(known.element())) {
                missing.add(known);
            }
        }
        if (!missing.isEmpty()) {
            List<Operation> involved = new ArrayList<>(missing.subList(0, Math.min(5, missing.size())).stream().map(Evidence::by).toList());
            involved.add(read);
            String what = isFinal ? " lost " + missing.size() + " elements known present before it began: "
                : " misses " + missing.size() + " elements known present before it began: ";
            findings.add(new Anomaly(isFinal ? "lost" : "stale-read", key, which + what
                + Ops.joinCapped(missing.stream().map(Evidence::toString).toList(), 10)
                + "; first known by " + Ops.describe(missing.get(0).by()), Ops.events(involved)));
        }
    }
}
