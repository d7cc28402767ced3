package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotBalanceTest {

    @Test
    void twoShardsAndAnEmptyOneEndWithAThirdEachMovingOnlyWhatIsNeeded() {
        List<BitSet> owned = new ArrayList<>();
        owned.add(range(0, 8192));
        owned.add(range(8192, 16384));
        owned.add(new BitSet());
        List<SlotBalance.Move> moves = SlotBalance.even(owned);
        int[] count = {8192, 8192, 0};
        BitSet movedOnce = new BitSet();
        int moved = 0;
        for (SlotBalance.Move m : moves) {
            assertTrue(owned.get(m.from()).stream().allMatch(s -> true));
            BitSet overlap = (BitSet) movedOnce.clone();
            overlap.and(m.slots());
            assertTrue(overlap.isEmpty(), "a slot moves at most once");
            movedOnce.or(m.slots());
            BitSet notOwned = (BitSet) m.slots().clone();
            notOwned.andNot(owned.get(m.from()));
            assertTrue(notOwned.isEmpty(), "a donor gives only slots it owns");
            count[m.from()] -= m.slots().cardinality();
            count[m.to()] += m.slots().cardinality();
            moved += m.slots().cardinality();
        }
        assertEquals(5462, count[0]);
        assertEquals(5461, count[1]);
        assertEquals(5461, count[2]);
        assertEquals(5461, moved, "only the imbalance moves");
        assertEquals("13653-16383", SlotBalance.ranges(moves.get(moves.size() - 1).slots()));
    }

    @Test
    void byKeysEvensOutTheKeysWithinTheHeaviestSlot() {
        long[] keys = new long[16384];
        java.util.Random random = new java.util.Random(7);
        for (int s = 0; s < 16384; s++) {
            keys[s] = s < 4000 ? random.nextInt(50) : random.nextInt(3); // a hot range on shard 0
        }
        List<BitSet> owned = new ArrayList<>(List.of(range(0, 8192), range(8192, 16384), new BitSet()));
        List<SlotBalance.Move> moves = SlotBalance.byKeys(owned, keys);
        long[] weight = new long[3];
        BitSet movedOnce = new BitSet();
        List<BitSet> after = new ArrayList<>();
        owned.forEach(b -> after.add((BitSet) b.clone()));
        for (SlotBalance.Move m : moves) {
            BitSet twice = (BitSet) movedOnce.clone();
            twice.and(m.slots());
            assertTrue(twice.isEmpty(), "a slot moves at most once");
            movedOnce.or(m.slots());
            after.get(m.from()).andNot(m.slots());
            after.get(m.to()).or(m.slots());
        }
        long max = 0;
        for (int i = 0; i < 3; i++) {
            for (int s = after.get(i).nextSetBit(0); s >= 0; s = after.get(i).nextSetBit(s + 1)) {
                weight[i] += keys[s];
            }
        }
        for (long k : keys) {
            max = Math.max(max, k);
        }
        long spread = Math.max(weight[0], Math.max(weight[1], weight[2])) - Math.min(weight[0], Math.min(weight[1], weight[2]));
        assertTrue(spread <= max, "spread " + spread + " within the heaviest slot " + max + ": " + java.util.Arrays.toString(weight));
    }

    @Test
    void balancedShardsMoveNothing() {
        assertTrue(SlotBalance.even(List.of(range(0, 8192), range(8192, 16384))).isEmpty());
    }

    @Test
    void rangesTextJoinsRuns() {
        BitSet b = range(0, 3);
        b.set(5);
        b.set(7, 10);
        assertEquals("0-2,5,7-9", SlotBalance.ranges(b));
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }
}
