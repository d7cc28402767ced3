package io.basalt.router.placement;

import io.basalt.router.slot.HashSlot;
import java.util.function.IntConsumer;

/**
 * Slot → shard → leader node as two flat arrays: routing a command costs two array reads
 * whatever the number of nodes, shards or slots each shard owns. (A list of ranges searched per
 * command, or a map from shard id to a replica list scanned for the leader, would cost log or
 * linear time in cluster size; this shape is why a 500-node cluster routes as fast as a 3-node
 * one.) Immutable: leader changes publish a new table.
 */
public final class RouteTable {

    private final int[] shardOfSlot;
    private final int[] leaderOfShard;

    public RouteTable(int[] shardOfSlot, int[] leaderOfShard) {
        if (shardOfSlot.length != HashSlot.SLOT_COUNT) {
            throw new IllegalArgumentException("a route table has " + HashSlot.SLOT_COUNT + " slots");
        }
        for (int shard : shardOfSlot) {
            if (shard < 0 || shard >= leaderOfShard.length) {
                throw new IllegalArgumentException("slot assigned to unknown shard " + shard);
            }
        }
        this.shardOfSlot = shardOfSlot.clone();
        this.leaderOfShard = leaderOfShard.clone();
    }

    /** Slots split into contiguous, near-equal ranges over the plan's shards, leaders from the plan. */
    public static RouteTable of(PlacementPlan plan) {
        int shards = plan.shardCount();
        int[] shardOfSlot = new int[HashSlot.SLOT_COUNT];
        for (int slot = 0; slot < shardOfSlot.length; slot++) {
            shardOfSlot[slot] = (int) ((long) slot * shards / HashSlot.SLOT_COUNT);
        }
        int[] leaders = new int[shards];
        for (int s = 0; s < shards; s++) {
            leaders[s] = plan.leaderOf(s);
        }
        return new RouteTable(shardOfSlot, leaders);
    }

    /** The node index of the leader of the shard owning {@code slot}. */
    public int leaderOfSlot(int slot) {
        return lookup(slot, null);
    }

    public int shardOfSlot(int slot) {
        return shardOfSlot[slot];
    }

    /**
     * The same lookup as {@link #leaderOfSlot}, reporting each table read to {@code reads}: the
     * structural check that routing cost does not depend on cluster size reads this, with no clock.
     */
    public int traceLeaderOfSlot(int slot, IntConsumer reads) {
        return lookup(slot, reads);
    }

    private int lookup(int slot, IntConsumer reads) {
        int shard = shardOfSlot[slot];
        if (reads != null) {
            reads.accept(shardOfSlot.length);
        }
        int leader = leaderOfShard[shard];
        if (reads != null) {
            reads.accept(leaderOfShard.length);
        }
        return leader;
    }
}
