package io.basalt.router.slot;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which shard owns each of the 16384 hash slots, as of one epoch. Immutable: a new topology is
 * a new SlotMap with a higher epoch, published by swapping a reference, so a router reads a
 * consistent map without locks. Routing a key is one array read, O(1) whatever the cluster size.
 *
 * <p>The map is a routing hint, not the authority: each shard's own log records which slots it
 * owns and rejects commands for others, so a stale map costs a retry, never a misplaced write.
 */
public final class SlotMap {

    private final long epoch;
    private final int[] shardOfSlot;
    private final List<ShardInfo> shards;

    public SlotMap(long epoch, int[] shardOfSlot, List<ShardInfo> shards) {
        if (shardOfSlot.length != HashSlot.SLOT_COUNT) {
            throw new IllegalArgumentException("a slot map has " + HashSlot.SLOT_COUNT + " slots, not " + shardOfSlot.length);
        }
        this.epoch = epoch;
        this.shardOfSlot = shardOfSlot.clone();
        this.shards = List.copyOf(shards);
        for (int shard : this.shardOfSlot) {
            if (shard < 0 || shard >= this.shards.size()) {
                throw new IllegalArgumentException("slot assigned to unknown shard " + shard);
            }
        }
    }

    /** One shard owning every slot: the "cluster mode disabled" topology. */
    public static SlotMap singleShard(long epoch, ShardInfo shard) {
        return new SlotMap(epoch, new int[HashSlot.SLOT_COUNT], List.of(shard));
    }

    public long epoch() { return epoch; }

    public List<ShardInfo> shards() { return shards; }

    public ShardInfo shardOfSlot(int slot) {
        return shards.get(shardOfSlot[slot]);
    }

    /** The position in {@link #shards()} of the shard owning {@code slot}. */
    public int shardIndexOfSlot(int slot) {
        return shardOfSlot[slot];
    }

    public ShardInfo shardOfKey(byte[] key) {
        return shardOfSlot(HashSlot.of(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotMap m && m.epoch == epoch && Arrays.equals(m.shardOfSlot, shardOfSlot)
            && m.shards.equals(shards);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, Arrays.hashCode(shardOfSlot), shards);
    }
}
