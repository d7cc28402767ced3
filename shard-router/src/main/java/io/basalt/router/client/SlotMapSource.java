package io.basalt.router.client;

import io.basalt.router.slot.SlotMap;
import java.util.concurrent.CompletableFuture;

/**
 * Where the routing client gets its slot map, and a newer one when a shard says the map it used
 * is stale ({@code -BASALTMOVED <slot>}: the shard does not own the slot, and did not execute the
 * command). One shard: the map is fixed by the command line ({@link #fixed}); several shards or
 * a metadata group: {@link OwnershipSlotMapSource}, fed the shard table by the metadata group.
 */
public interface SlotMapSource {

    /** The newest map known here, without waiting. */
    SlotMap current();

    /**
     * A map newer than {@code stale} if one exists, else the newest known (possibly {@code stale}
     * itself). May complete later (after asking the metadata group); never completes exceptionally
     * for "nothing newer".
     */
    CompletableFuture<SlotMap> refresh(SlotMap stale);

    /**
     * Whether maps follow the shards' own ownership (slots move while the gateway runs): then a
     * BASALTMOVED is retried for a while (the slot's new owner may not have taken it yet) rather
     * than {@link RoutingClient#MOVED_RETRIES} times at once.
     */
    default boolean followsOwnership() {
        return false;
    }

    /** A map that never changes: a refresh answers the same map. */
    static SlotMapSource fixed(SlotMap map) {
        CompletableFuture<SlotMap> same = CompletableFuture.completedFuture(map);
        return new SlotMapSource() {
            @Override
            public SlotMap current() {
                return map;
            }

            @Override
            public CompletableFuture<SlotMap> refresh(SlotMap stale) {
                return same;
            }
        };
    }
}
