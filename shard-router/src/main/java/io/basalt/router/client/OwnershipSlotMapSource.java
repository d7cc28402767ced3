package io.basalt.router.client;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.SlotMap;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slot map that follows the shards' own record of which slots they own, without a metadata
 * group: a refresh asks every shard {@code basalt.slots} (a linearizable read of its replicated
 * ownership) and rebuilds the map. Refreshed when a shard answers BASALTMOVED, and every
 * {@code periodMs} so that reads also move to a slot's new owner.
 *
 * <p>A slot claimed by one shard goes to it. A slot claimed by none (a shard that did not answer,
 * or the instant between the source giving a slot up and the target taking it) or by several
 * keeps its owner in the current map if that shard still claims it or nobody does, else goes to
 * the lowest claimant. The epoch goes up by one whenever the map changes: each gateway counts
 * its own epochs, which only order its own maps.
 */
public final class OwnershipSlotMapSource implements SlotMapSource, Closeable {

    private static final CommandSpec SLOTS_SPEC = InternalCommandSpecs.specs().stream()
        .filter(s -> s.name().equals(InternalCommandSpecs.SLOTS)).findFirst().orElseThrow();
    private static final List<byte[]> SLOTS_ARGV = List.of(InternalCommandSpecs.SLOTS.getBytes(StandardCharsets.US_ASCII));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slot-map-refresh");
        t.setDaemon(true);
        return t;
    });
    private final long periodMs;
    private volatile SlotMap current;
    private volatile RoutingClient client;
    private CompletableFuture<SlotMap> inFlight;

    public OwnershipSlotMapSource(SlotMap initial, long periodMs) {
        this.current = initial;
        this.periodMs = periodMs;
    }

    /** Starts asking the shards through this client (which routes with this source). */
    public void attach(RoutingClient routingClient) {
        this.client = routingClient;
        timer.scheduleWithFixedDelay(() -> refresh(current), 0, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public SlotMap current() {
        return current;
    }

    @Override
    public boolean followsOwnership() {
        return true;
    }

    @Override
    public synchronized CompletableFuture<SlotMap> refresh(SlotMap stale) {
        RoutingClient c = client;
        if (c == null) {
            return CompletableFuture.completedFuture(current);
        }
        if (inFlight != null) {
            return inFlight; // one question at a time; every waiter gets its answer
        }
        SlotMap base = current;
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        for (int s = 0; s < base.shards().size(); s++) {
            answers.add(c.execute(base.shards().get(s), false, SLOTS_SPEC, SLOTS_ARGV, s));
        }
        CompletableFuture<SlotMap> done = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .handle((ignored, error) -> rebuild(base, answers));
        inFlight = done;
        done.whenComplete((map, error) -> {
            synchronized (this) {
                inFlight = null;
            }
        });
        return done;
    }

    private SlotMap rebuild(SlotMap base, List<CompletableFuture<byte[]>> answers) {
        int shards = base.shards().size();
        int[] claims = new int[HashSlot.SLOT_COUNT]; // bit s: shard s claims the slot
        for (int s = 0; s < shards && s < 31; s++) {
            int[] ranges = answers.get(s).isCompletedExceptionally() ? null : ranges(answers.get(s).join());
            if (ranges == null) {
                continue;
            }
            for (int i = 0; i + 1 < ranges.length; i += 2) {
                for (int slot = Math.max(0, ranges[i]); slot <= ranges[i + 1] && slot < HashSlot.SLOT_COUNT; slot++) {
                    claims[slot] |= 1 << s;
                }
            }
        }
        int[] owner = new int[HashSlot.SLOT_COUNT];
        boolean changed = false;
        for (int slot = 0; slot < HashSlot.SLOT_COUNT; slot++) {
            int was = base.shardIndexOfSlot(slot);
            int c = claims[slot];
            owner[slot] = c == 0 || (c & (1 << was)) != 0 ? was : Integer.numberOfTrailingZeros(c);
            changed |= owner[slot] != was;
        }
        synchronized (this) {
            if (changed && current == base) {
                current = new SlotMap(base.epoch() + 1, owner, base.shards());
            }
            return current;
        }
    }

    /** The integers of a flat RESP array of integers; null for an error or anything else. */
    static int[] ranges(byte[] reply) {
        if (reply.length == 0 || reply[0] != '*') {
            return null;
        }
        String text = new String(reply, StandardCharsets.US_ASCII);
        String[] lines = text.split("\r\n");
        int n = Integer.parseInt(lines[0].substring(1));
        if (n < 0 || lines.length < n + 1) {
            return null;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!lines[i + 1].startsWith(":")) {
                return null;
            }
            out[i] = Integer.parseInt(lines[i + 1].substring(1));
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
