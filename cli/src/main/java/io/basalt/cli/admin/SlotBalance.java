package io.basalt.cli.admin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Plans slot moves between shards. Even slot counts ({@link #even}): every shard ends with 16384/N slots, the first 16384 mod N shards one
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

    /**
     * Plans slot moves that even out the keys per shard ({@code keysOfSlot}, by slot): the
     * heaviest shard repeatedly gives its highest slot that weighs less than the gap to the
     * lightest shard, so every step narrows the spread. It stops when no slot qualifies: then every
     * nonempty slot of the heaviest shard weighs at least the gap, so the spread ends below the
     * heaviest single slot (the bound a slot-granular move can reach). Empty slots stay where they
     * are. Moves are the difference between the first and the last owner, so each slot moves once.
     */
    static List<Move> byKeys(List<BitSet> owned, long[] keysOfSlot) {
        int n = owned.size();
        int[] first = new int[keysOfSlot.length];
        java.util.Arrays.fill(first, -1);
        List<BitSet> now = new ArrayList<>();
        long[] weight = new long[n];
        for (int i = 0; i < n; i++) {
            BitSet b = (BitSet) owned.get(i).clone();
            now.add(b);
            for (int s = b.nextSetBit(0); s >= 0; s = b.nextSetBit(s + 1)) {
                first[s] = i;
                weight[i] += keysOfSlot[s];
            }
        }
        for (int guard = 0; guard < keysOfSlot.length; guard++) {
            int heavy = 0;
            int light = 0;
            for (int i = 1; i < n; i++) {
                if (weight[i] > weight[heavy]) {
                    heavy = i;
                }
                if (weight[i] < weight[light]) {
                    light = i;
                }
            }
            long gap = weight[heavy] - weight[light];
            int pick = -1;
            BitSet donor = now.get(heavy);
            for (int s = donor.length() - 1; s >= 0; s = donor.previousSetBit(s - 1)) {
                if (keysOfSlot[s] > 0 && keysOfSlot[s] < gap) {
                    pick = s;
                    break;
                }
            }
            if (pick < 0) {
                break;
            }
            donor.clear(pick);
            now.get(light).set(pick);
            weight[heavy] -= keysOfSlot[pick];
            weight[light] += keysOfSlot[pick];
        }
        List<Move> moves = new ArrayList<>();
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from == to) {
                    continue;
                }
                BitSet slots = (BitSet) owned.get(from).clone();
                slots.and(now.get(to));
                if (!slots.isEmpty()) {
                    moves.add(new Move(from, to, slots));
                }
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
