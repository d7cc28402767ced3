package io.basalt.router.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticTopologyTest {

    private static String peers(int m) {
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= m; i++) {
            list.add("n" + i + "=127.0.0.1:" + (7800 + i));
        }
        return String.join(",", list);
    }

    private static List<String> ids(ShardInfo shard) {
        return shard.replicas().stream().map(ShardInfo.Replica::peerId).toList();
    }

    @Test
    void theTwoArgumentFormKeepsOneShardOnEveryPeerAsBefore() {
        StaticTopology t = StaticTopology.parse(peers(5), 1);
        assertEquals(1, t.shards().size());
        assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), ids(t.shards().get(0)));
        assertEquals(StaticTopology.groupIdOf(0).toString(), t.shards().get(0).groupId());
        assertEquals(SlotMap.singleShard(1, t.shards().get(0)), t.slotMap());
        assertEquals(peers(5), t.describe());
    }

    @Test
    void replicasRotateRoundThePeersInPeerOrder() {
        StaticTopology t = StaticTopology.parse(peers(6), 3, 3);
        assertEquals(List.of("n1", "n2", "n3"), ids(t.shards().get(0)));
        assertEquals(List.of("n2", "n3", "n4"), ids(t.shards().get(1)));
        assertEquals(List.of("n3", "n4", "n5"), ids(t.shards().get(2)));
        assertEquals(List.of(0), t.shardsOf("n1"));
        assertEquals(List.of(0, 1, 2), t.shardsOf("n3"));
        assertEquals(List.of(), t.shardsOf("n6"));

        StaticTopology wrap = StaticTopology.parse(peers(3), 3, 2);
        assertEquals(List.of("n1", "n2"), ids(wrap.shards().get(0)));
        assertEquals(List.of("n2", "n3"), ids(wrap.shards().get(1)));
        assertEquals(List.of("n3", "n1"), ids(wrap.shards().get(2)));
        for (int i = 0; i < 3; i++) {
            assertEquals(i, wrap.shardIndexOf(StaticTopology.groupIdOf(i).toString()));
        }
        assertEquals(-1, wrap.shardIndexOf(StaticTopology.groupIdOf(3).toString()));
    }

    @Test
    void slotRangesCoverEverySlotExactlyOnceForEveryShardCount() {
        for (int n : new int[] {1, 2, 3, 5, 7, 16, 100, 1000, 1024}) {
            StaticTopology t = StaticTopology.parse(peers(3), n, 3);
            SlotMap map = t.slotMap();
            assertEquals(1, map.epoch());
            int next = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(next, t.firstSlot(i), "shard " + i + " of " + n + " starts where the previous ended");
                int size = t.lastSlot(i) - t.firstSlot(i) + 1;
                assertTrue(size == HashSlot.SLOT_COUNT / n || size == HashSlot.SLOT_COUNT / n + 1, "even ranges: " + size);
                assertEquals(size, t.slotsOf(i).cardinality());
                for (int slot = t.firstSlot(i); slot <= t.lastSlot(i); slot++) {
                    assertEquals(t.shards().get(i), map.shardOfSlot(slot));
                }
                next = t.lastSlot(i) + 1;
            }
            assertEquals(HashSlot.SLOT_COUNT, next);
        }
        StaticTopology three = StaticTopology.parse(peers(3), 3, 3);
        assertEquals(List.of(0, 5461, 10922), List.of(three.firstSlot(0), three.firstSlot(1), three.firstSlot(2)));
        assertEquals(16383, three.lastSlot(2));
    }

    @Test
    void distinctShardsHaveDistinctGroups() {
        Set<String> groups = new HashSet<>();
        StaticTopology.parse(peers(3), 1024, 1).shards().forEach(s -> groups.add(s.groupId()));
        assertEquals(1024, groups.size());
    }

    @Test
    void badDescriptionsAreRefusedWithClearErrors() {
        assertEquals("shards must be between 1 and 1024, got 0",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(peers(3), 0, 3)).getMessage());
        assertEquals("shards must be between 1 and 1024, got 1025",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(peers(3), 1025)).getMessage());
        assertEquals("replicas per shard must be between 1 and 7, got 0",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(peers(3), 1, 0)).getMessage());
        assertEquals("replicas per shard must be between 1 and 7, got 8",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(peers(9), 1, 8)).getMessage());
        assertEquals("4 replicas per shard need at least as many nodes; only 3 peer(s) given",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(peers(3), 2, 4)).getMessage());
        assertEquals("a cluster needs at least one peer",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse(" , ", 1)).getMessage());
        assertEquals("peer 'n1' is not of the form id=host:port",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse("n1", 1, 1)).getMessage());
        assertEquals("peer id 'n1' appears twice",
            assertThrows(IllegalArgumentException.class, () -> StaticTopology.parse("n1=h:1,n1=h:2", 1)).getMessage());
    }
}
