package io.basalt.gateway.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as CLUSTER SLOTS, SHARDS, NODES and INFO present it: slot ranges, each with the
 * gateway that is its master and the gateways listed as its replicas.
 *
 * @param ranges contiguous slot ranges in slot order, covering every slot
 * @param self this gateway
 */
public record ClusterTopology(List<Range> ranges, GatewayNode self) {

    /** Slots {@code start..end} (inclusive), served by {@code master}; {@code replicas} may serve reads. */
    public record Range(int start, int end, GatewayNode master, List<GatewayNode> replicas) {}

    public ClusterTopology {
        ranges = List.copyOf(ranges);
    }

    /** Every gateway named, this one first, then masters and replicas in order of appearance. */
    public List<GatewayNode> nodes() {
        Set<GatewayNode> all = new LinkedHashSet<>();
        all.add(self);
        for (Range r : ranges) {
            all.add(r.master());
            all.addAll(r.replicas());
        }
        return new ArrayList<>(all);
    }

    /** The ranges each master serves, masters in order of appearance. */
    public Map<GatewayNode, List<Range>> byMaster() {
        Map<GatewayNode, List<Range>> out = new LinkedHashMap<>();
        for (Range r : ranges) {
            out.computeIfAbsent(r.master(), m -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The master of {@code slot}. */
    public GatewayNode masterOf(int slot) {
        return rangeOf(slot).master();
    }

    /** The range holding {@code slot} (the ranges cover every slot). */
    public Range rangeOf(int slot) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = ranges.get(mid);
            if (slot < r.start()) {
                hi = mid - 1;
            } else if (slot > r.end()) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        throw new IllegalArgumentException("no range holds slot " + slot);
    }
}
