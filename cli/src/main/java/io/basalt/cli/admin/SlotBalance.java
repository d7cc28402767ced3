package io.basalt.cli.admin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Plans even slot counts: every shard ends with 16384/N slots, the first 16384 mod N shards one
 * more; donors give their highest slots (so ranges stay contiguous where they were), receivers
 * take in shard order. Each slot moves at most once and only as many as the imbalance needs.
 */
final class SlotBalance {
    private SlotBalance() {}

    record Move(int from, int to, BitSet slots) {}

    static List<Move> even(List<BitSet> owned) {
        int n = owned.size();
        int total = 0;
        for (BitSet b : owned) {
            total += b.cardinality();
        }
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            target[i] = total / n + (i < total % n ? 1 : 0);
        }
        int[] have = new int[n];
        List<BitSet> left = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            have[i] = owned.get(i).cardinality();
            left.add((BitSet) owned.get(i).clone());
        }
        List<Move> moves = new ArrayList<>();
        for (int to = 0; to < n; to++) {
            for (int from = 0; from < n && have[to] < target[to]; from++) {
                int spare = have[from] - target[from];
                if (spare <= 0) {
                    continue;
                }
                int take = Math.min(spare, target[to] - have[to]);
                BitSet slots = new BitSet();
                BitSet donor = left.get(from);
                for (int s = donor.length() - 1; s >= 0 && slots.cardinality() < take; s = donor.previousSetBit(s - 1)) {
                    slots.set(s);
                }
                donor.andNot(slots);
                have[from] -= take;
                have[to] += take;
                moves.add(new Move(from, to, slots));
            }
        }
        return moves;
    }

    /** "a-b,c,d-e" for a slot set. */
    static String ranges(BitSet slots) {
        StringBuilder b = new StringBuilder();
        for (int s = slots.nextSetBit(0); s >= 0; ) {
            int end = slots.nextClearBit(s) - 1;
            b.append(b.isEmpty() ? "" : ",").append(s);
            if (end > s) {
                b.append('-').append(end);
            }
            s = slots.nextSetBit(end + 1);
        }
        return b.toString();
    }
}
