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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OwnershipSlotMapSource.class);
    private static final long ANSWER_TIMEOUT_MS = 10_000;

    private final long periodMs;
    private volatile SlotMap current;
    /** The shard list the metadata group published last (null: no metadata group; the list never changes). */
    private volatile List<io.basalt.router.slot.ShardInfo> publishedShards;
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

    /**
     * A newer shard list from the metadata group: shards added at the end, or replicas changed.
     * Takes effect with the next refresh, which is started now.
     */
    public void updateShards(List<io.basalt.router.slot.ShardInfo> shards) {
        if (shards.size() < current.shards().size()) {
            return; // shards are only ever appended; a shorter list is an older state
        }
        publishedShards = List.copyOf(shards);
        refresh(current);
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
        List<io.basalt.router.slot.ShardInfo> published = publishedShards;
        List<io.basalt.router.slot.ShardInfo> shards = published != null && published.size() >= base.shards().size()
            ? published : base.shards();
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            answers.add(c.execute(shards.get(s), false, SLOTS_SPEC, SLOTS_ARGV, s));
        }
        // a shard that does not answer in time (a new shard still electing) is left out of this
        // round rather than holding every later refresh behind it
        CompletableFuture<SlotMap> done = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .orTimeout(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .handle((ignored, error) -> rebuild(base, shards, answers));
        inFlight = done;
        done.whenComplete((map, error) -> {
            synchronized (this) {
                inFlight = null;
            }
        });
        return done;
    }

    private SlotMap rebuild(SlotMap base, List<io.basalt.router.slot.ShardInfo> shards,
                            List<CompletableFuture<byte[]>> answers) {
        // per slot: whether its current owner still claims it, and the lowest shard claiming it
        boolean[] ownerClaims = new boolean[HashSlot.SLOT_COUNT];
        int[] firstClaimant = new int[HashSlot.SLOT_COUNT];
        java.util.Arrays.fill(firstClaimant, -1);
        for (int s = 0; s < shards.size(); s++) {
            CompletableFuture<byte[]> answer = answers.get(s);
            int[] ranges = !answer.isDone() || answer.isCompletedExceptionally() ? null : ranges(answer.join());
            if (ranges == null) {
                continue;
            }
            for (int i = 0; i + 1 < ranges.length; i += 2) {
                for (int slot = Math.max(0, ranges[i]); slot <= ranges[i + 1] && slot < HashSlot.SLOT_COUNT; slot++) {
                    if (firstClaimant[slot] < 0) {
                        firstClaimant[slot] = s;
                    }
                    if (base.shardIndexOfSlot(slot) == s) {
                        ownerClaims[slot] = true;
                    }
                }
            }
        }
        int[] owner = new int[HashSlot.SLOT_COUNT];
        boolean changed = !shards.equals(base.shards());
        for (int slot = 0; slot < HashSlot.SLOT_COUNT; slot++) {
            int was = base.shardIndexOfSlot(slot);
            owner[slot] = firstClaimant[slot] < 0 || ownerClaims[slot] ? was : firstClaimant[slot];
            changed |= owner[slot] != was;
        }
        synchronized (this) {
            if (changed && current == base) {
                current = new SlotMap(base.epoch() + 1, owner, shards);
                LOG.info("slot map {}: {} shard(s)", current.epoch(), shards.size());
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
