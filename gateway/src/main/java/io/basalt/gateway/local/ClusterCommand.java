package io.basalt.gateway.local;

import io.basalt.gateway.cluster.ClusterView;
import io.basalt.gateway.cluster.ClusterTopology;
import io.basalt.gateway.cluster.GatewayNode;
import io.basalt.gateway.session.ClientSession;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CLUSTER SLOTS, NODES, SHARDS, INFO, MYID, MYSHARDID, KEYSLOT and HELP, and READONLY, READWRITE,
 * ASKING: the gateway presenting itself as a cluster node ({@link ClusterView} says how and why).
 * Reply shapes are redis-server 7.0.15's, recorded from a real cluster. COUNTKEYSINSLOT and
 * GETKEYSINSLOT are not here: the shard that owns the keys answers them.
 *
 * <p>With cluster mode disabled every one of these answers Redis's "cluster support disabled"
 * error, as a standalone redis-server does.
 */
final class ClusterCommand {

    static final String DISABLED = "ERR This instance has cluster support disabled";

    private static final List<String> HELP = List.of(
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MYID",
        "    Return the node id.",
        "MYSHARDID",
        "    Return the node's shard id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.");

    private final GatewayInfo info;
    private final ClusterView view;

    ClusterCommand(GatewayInfo info) {
        this.info = info;
        this.view = info.cluster();
    }

    /** CLUSTER SLOTS: [[start, end, [host, port, id, {}] for the master then each replica]] per range. */
    CompletableFuture<byte[]> slots(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        ClusterTopology t = view.topology();
        RespWriter w = new RespWriter(256 * t.ranges().size());
        w.array(t.ranges().size());
        for (ClusterTopology.Range r : t.ranges()) {
            w.array(3 + r.replicas().size());
            w.integer(r.start()).integer(r.end());
            node(w, r.master());
            r.replicas().forEach(n -> node(w, n));
        }
        return Replies.done(w);
    }

    private static void node(RespWriter w, GatewayNode n) {
        w.array(4).bulk(n.host()).integer(n.port()).bulk(n.nodeId());
        w.map(0); // Redis 7's per-node metadata (hostname when announced): none
    }

    /**
     * CLUSTER NODES: one line per node, "id host:port@cport flags master ping pong epoch link
     * slots", newline-terminated. There is no cluster bus, so cport is 0; gateways do not probe
     * each other, so every one is shown connected. A gateway that claims slots is a master with
     * its ranges; one that claims none is a replica of the first master it serves reads for.
     */
    CompletableFuture<byte[]> nodes(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        long nowMs = info.nowMicros() / 1000;
        long epoch = view.epoch();
        ClusterTopology t = view.topology();
        var byMaster = t.byMaster();
        StringBuilder b = new StringBuilder();
        for (GatewayNode n : t.nodes()) {
            b.append(n.nodeId()).append(' ').append(address(n)).append(' ');
            if (n.equals(t.self())) {
                b.append("myself,");
            }
            var ranges = byMaster.get(n);
            if (ranges != null) {
                b.append("master - 0 ").append(nowMs).append(' ').append(epoch).append(" connected");
                for (ClusterTopology.Range r : ranges) {
                    b.append(' ').append(r.start());
                    if (r.end() != r.start()) {
                        b.append('-').append(r.end());
                    }
                }
            } else {
                GatewayNode of = t.ranges().stream().filter(r -> r.replicas().contains(n)).map(ClusterTopology.Range::master)
                    .findFirst().orElse(t.ranges().get(0).master());
                b.append("slave ").append(of.nodeId()).append(" 0 ").append(nowMs).append(' ').append(epoch).append(" connected");
            }
            b.append('\n');
        }
        return verbatim(b);
    }

    private static String address(GatewayNode n) {
        String host = n.host().indexOf(':') >= 0 ? "[" + n.host() + "]" : n.host();
        return host + ":" + n.port() + "@0";
    }

    /** CLUSTER SHARDS: one shard per master: its slot ranges, then its master and replicas. */
    CompletableFuture<byte[]> shards(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        var byMaster = view.topology().byMaster();
        RespWriter w = new RespWriter(512 * byMaster.size());
        w.array(byMaster.size());
        byMaster.forEach((master, ranges) -> {
            List<GatewayNode> nodes = new java.util.ArrayList<>();
            nodes.add(master);
            for (ClusterTopology.Range r : ranges) {
                r.replicas().stream().filter(n -> !nodes.contains(n)).forEach(nodes::add);
            }
            w.map(2);
            w.bulk("slots").array(2 * ranges.size());
            ranges.forEach(r -> w.integer(r.start()).integer(r.end()));
            w.bulk("nodes").array(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                GatewayNode n = nodes.get(i);
                w.map(7);
                w.bulk("id").bulk(n.nodeId());
                w.bulk("port").integer(n.port());
                w.bulk("ip").bulk(n.host());
                w.bulk("endpoint").bulk(n.host());
                w.bulk("role").bulk(i == 0 ? "master" : "replica");
                w.bulk("replication-offset").integer(0);
                w.bulk("health").bulk("online");
            }
        });
        return Replies.done(w);
    }

    /**
     * CLUSTER INFO, Redis's lines: every slot assigned, one shard per master, every gateway a
     * known node. The message counters are those of a cluster bus, which gateways do not have:
     * Redis prints the per-type lines only when non-zero, and the totals always.
     */
    CompletableFuture<byte[]> info(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        ClusterTopology t = view.topology();
        StringBuilder b = new StringBuilder();
        line(b, "cluster_state", "ok");
        line(b, "cluster_slots_assigned", Integer.toString(HashSlot.SLOT_COUNT));
        line(b, "cluster_slots_ok", Integer.toString(HashSlot.SLOT_COUNT));
        line(b, "cluster_slots_pfail", "0");
        line(b, "cluster_slots_fail", "0");
        line(b, "cluster_known_nodes", Integer.toString(t.nodes().size()));
        line(b, "cluster_size", Integer.toString(t.byMaster().size()));
        line(b, "cluster_current_epoch", Long.toString(view.epoch()));
        line(b, "cluster_my_epoch", Long.toString(view.epoch()));
        line(b, "cluster_stats_messages_sent", "0");
        line(b, "cluster_stats_messages_received", "0");
        line(b, "total_cluster_links_buffer_limit_exceeded", "0");
        return verbatim(b);
    }

    private static void line(StringBuilder b, String field, String value) {
        b.append(field).append(':').append(value).append("\r\n");
    }

    CompletableFuture<byte[]> myId(ClientSession session, List<byte[]> argv) {
        return view.enabled() ? Replies.bulk(ascii(view.myId())) : Replies.error(DISABLED);
    }

    CompletableFuture<byte[]> myShardId(ClientSession session, List<byte[]> argv) {
        return view.enabled() ? Replies.bulk(ascii(view.shardId())) : Replies.error(DISABLED);
    }

    /** CLUSTER KEYSLOT key: CRC16 with hash tags, as every cluster client computes it. */
    CompletableFuture<byte[]> keySlot(ClientSession session, List<byte[]> argv) {
        return view.enabled() ? Replies.integer(HashSlot.of(argv.get(2))) : Replies.error(DISABLED);
    }

    CompletableFuture<byte[]> help(ClientSession session, List<byte[]> argv) {
        return view.enabled() ? Replies.help("CLUSTER", HELP) : Replies.error(DISABLED);
    }

    /** READONLY: remembered per connection; its read runs are then served by followers (RoutingClient's replica reads). */
    CompletableFuture<byte[]> readOnly(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        session.setReadOnly(true);
        return Replies.ok();
    }

    CompletableFuture<byte[]> readWrite(ClientSession session, List<byte[]> argv) {
        if (!view.enabled()) {
            return Replies.error(DISABLED);
        }
        session.setReadOnly(false);
        return Replies.ok();
    }

    /** ASKING: accepted; no slot is ever migrating between gateways, so it never changes routing. */
    CompletableFuture<byte[]> asking(ClientSession session, List<byte[]> argv) {
        return view.enabled() ? Replies.ok() : Replies.error(DISABLED);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static CompletableFuture<byte[]> verbatim(StringBuilder b) {
        byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
        return Replies.done(new RespWriter(text.length + 16).verbatim("txt", text));
    }
}
