package io.basalt.gateway.cluster;

import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.SlotMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster as this gateway describes it to cluster-aware clients: one shard owning every slot,
 * served by this gateway as its "master" and by the other gateways as its "replicas".
 *
 * <p><b>Why every gateway claims every slot.</b> A gateway routes any slot to the shard that owns
 * it, so the slot ranges it announces need not follow the real shards; what matters is that the
 * client keeps working. If gateways split the slots among themselves, a stopped gateway would
 * leave its range pointing at a dead address in every other gateway's answer (gateways do not
 * probe each other), and Jedis, Lettuce and redis-cli -c would fail those slots. When each
 * gateway names itself master of all slots, a client that loses a gateway refreshes its map from
 * any other gateway and gets a live one. Load spreads by how clients reach gateways (seed lists,
 * a load-balanced name), as it does for cluster-unaware clients. The others appear as replicas
 * so clients that read from replicas (Lettuce ReadFrom, READONLY) can use them; every gateway
 * gives linearizable reads, so a "replica" read is as fresh as a master read.
 *
 * <p>The real slot map still matters: its epoch is the cluster epoch clients see, and its shard
 * owning slot 0 names the shard id.
 *
 * <p>With {@code --cluster-slots leaders} the presentation follows the real shards instead
 * ({@link LeaderClaims}): each shard's ranges are claimed by the gateway beside its leader, and a
 * keyed command for a slot another gateway claims is answered MOVED ({@link #redirect}).
 */
public final class ClusterView {

    private final boolean enabled;
    private final GatewayNode self;
    private final List<GatewayNode> others;
    private final Supplier<SlotMap> slotMap;
    private final boolean leaders;
    private final Supplier<io.basalt.proto.internal.MetaReply> meta;
    /** The last presentation built, and what it was built from (rebuilt when either changes). */
    private volatile Cached cached;

    private record Cached(SlotMap map, io.basalt.proto.internal.MetaReply meta, ClusterTopology topology) {}

    public ClusterView(ClusterSettings settings, GatewayNode listener, Supplier<SlotMap> slotMap) {
        this(settings, listener, slotMap, () -> null);
    }

    /** @param meta the metadata group's latest reply (state and node health), for leaders mode */
    public ClusterView(ClusterSettings settings, GatewayNode listener, Supplier<SlotMap> slotMap,
                       Supplier<io.basalt.proto.internal.MetaReply> meta) {
        this.leaders = settings.leaders();
        this.meta = meta;
        this.enabled = settings.enabled();
        this.self = settings.announce() != null ? settings.announce() : listener;
        List<GatewayNode> o = new ArrayList<>(settings.others());
        o.remove(self);
        this.others = List.copyOf(o);
        this.slotMap = slotMap;
    }

    public boolean enabled() { return enabled; }

    public GatewayNode self() { return self; }

    /** The other gateways, in the order given. */
    public List<GatewayNode> others() { return others; }

    /** This gateway first, then the others. */
    public List<GatewayNode> nodes() {
        List<GatewayNode> all = new ArrayList<>(others.size() + 1);
        all.add(self);
        all.addAll(others);
        return all;
    }

    public String myId() { return self.nodeId(); }

    /** 40 hex characters naming the presented shard: derived from the real shard of slot 0. */
    public String shardId() {
        SlotMap map = slotMap.get();
        String group = map == null ? "single" : map.shardOfSlot(0).groupId();
        return GatewayNode.sha1Hex("basalt-shard " + group);
    }

    /** The cluster's configuration epoch: the slot map's, at least 1 (Redis's epochs start at 1 once slots are assigned). */
    public long epoch() {
        SlotMap map = slotMap.get();
        return map == null ? 1 : Math.max(1, map.epoch());
    }

    /** Whether slots follow shard leaders ({@code --cluster-slots leaders}). */
    public boolean leaders() { return leaders; }

    /** What CLUSTER SLOTS/SHARDS/NODES/INFO present now. */
    public ClusterTopology topology() {
        if (!leaders) {
            return new ClusterTopology(List.of(new ClusterTopology.Range(0, HashSlot.SLOT_COUNT - 1, self, others)), self);
        }
        SlotMap map = slotMap.get();
        io.basalt.proto.internal.MetaReply m = meta.get();
        Cached c = cached;
        if (c == null || c.map() != map || c.meta() != m) {
            c = new Cached(map, m, LeaderClaims.of(map, m, self));
            cached = c;
        }
        return c.topology();
    }

    /**
     * Where a keyed command for {@code slot} must go instead of here: the claiming gateway in
     * leaders mode when it is another one, else null (served here). A replica read (a READONLY
     * connection's) is also served where this gateway is listed as one of the slot's replicas.
     */
    public GatewayNode redirect(int slot, boolean replicaRead) {
        if (!enabled || !leaders) {
            return null;
        }
        ClusterTopology t = topology();
        ClusterTopology.Range range = t.rangeOf(slot);
        if (range.master().equals(self) || (replicaRead && range.replicas().contains(self))) {
            return null;
        }
        return range.master();
    }
}
