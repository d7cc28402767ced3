package io.basalt.chaos.runner;

import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * How long clients went without a successful operation around each fault: the figure a
 * failover drill is about. For a fault injected at time s, the unavailability is the longest
 * gap between two successful completions (or between s and the first one) that begins at or
 * after the last success before s and overlaps the fault or the time until service resumed.
 */
public final class Availability {

    /**
     * One fault and its unavailability.
     *
     * @param fault the fault window
     * @param unavailableNanos the longest stretch without a successful operation around it
     * @param firstOkAfterNanos when the first operation completed OK after the fault started
     *     (-1 when none did before the history ended)
     */
    public record Window(FaultWindow fault, long unavailableNanos, long firstOkAfterNanos) {

        public double unavailableMs() { return unavailableNanos / 1e6; }
    }

    private Availability() {
    }

    public static List<Window> of(List<Op> events, List<FaultWindow> faults) {
        long[] oks = events.stream().filter(e -> e.type() == Op.Type.OK).mapToLong(Op::nanos).sorted().toArray();
        List<Window> result = new ArrayList<>();
        for (FaultWindow f : faults) {
            int i = firstAtOrAfter(oks, f.startNanos());
            long previous = i == 0 ? f.startNanos() : Math.max(oks[i - 1], 0);
            long firstOk = i < oks.length ? oks[i] : -1;
            long longest = 0;
            // walk the gaps from the last success before the fault until successes resume past its end
            long cursor = previous;
            for (int j = i; j < oks.length; j++) {
                longest = Math.max(longest, oks[j] - cursor);
                cursor = oks[j];
                if (oks[j] > f.endNanos()) {
                    break;
                }
            }
            if (firstOk < 0) {
                longest = Long.MAX_VALUE;
            }
            result.add(new Window(f, longest, firstOk));
        }
        return result;
    }

    private static int firstAtOrAfter(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
