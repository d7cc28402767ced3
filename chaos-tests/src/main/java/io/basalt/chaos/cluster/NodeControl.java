package io.basalt.chaos.cluster;

import com.google.protobuf.ByteString;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.topology.StaticTopology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Talks to the nodes of shard 0's group directly, not through the gateway: the node-local
 * channel ({@code basalt.node.info}, {@code basalt.node.clock-offset}: a Ratis stale read aimed
 * at one node, answered by that node about itself) and Ratis admin calls (leadership transfer,
 * configuration change). A fresh Ratis client per call, over the addresses given at that moment,
 * so nodes added or removed in between are reached.
 */
public final class NodeControl {

    private static final RaftGroupId GROUP = RaftGroupId.valueOf(StaticTopology.groupIdOf(0));

    private final Duration timeout;

    public NodeControl(Duration timeout) {
        this.timeout = timeout;
    }

    /** The node's view of itself: id, pid, group, role, term, leader, applied-index, clock-offset-ms, ... */
    public Map<String, String> info(Map<String, InetSocketAddress> nodes, String node) throws IOException {
        List<String> flat = parseBulkArray(nodeLocal(nodes, node, InternalCommandSpecs.NODE_INFO));
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(flat.get(i), flat.get(i + 1));
        }
        return out;
    }

    /** Sets the node's clock offset (the node must run with --allow-fault-injection); 0 heals. */
    public void setClockOffset(Map<String, InetSocketAddress> nodes, String node, long offsetMs) throws IOException {
        String reply = nodeLocal(nodes, node, InternalCommandSpecs.NODE_CLOCK_OFFSET, Long.toString(offsetMs));
        if (!reply.equals("+OK\r\n")) {
            throw new IOException(node + " refused the clock offset: " + reply.trim());
        }
    }

    /** Ratis admin transferLeadership to {@code target}; waits up to the timeout for it to lead. */
    public void transferLeadership(Map<String, InetSocketAddress> nodes, String target) throws IOException {
        try (RaftClient c = client(nodes)) {
            RaftClientReply r = c.admin().transferLeadership(RaftPeerId.valueOf(target), timeout.toMillis());
            if (!r.isSuccess()) {
                throw new IOException("transferLeadership to " + target + " failed: " + r.getException());
            }
        }
    }

    /**
     * Ratis admin setConfiguration: the group's voters become exactly {@code members} (joint
     * consensus, committed through the leader). Every member must be in {@code nodes}.
     */
    public void setConfiguration(Map<String, InetSocketAddress> nodes, List<String> members) throws IOException {
        List<RaftPeer> peers = new ArrayList<>();
        for (String m : members) {
            peers.add(peer(m, nodes.get(m)));
        }
        try (RaftClient c = client(nodes)) {
            RaftClientReply r = c.admin().setConfiguration(peers);
            if (!r.isSuccess()) {
                throw new IOException("setConfiguration " + members + " failed: " + r.getException());
            }
        }
    }

    private String nodeLocal(Map<String, InetSocketAddress> nodes, String node, String... args) throws IOException {
        Command.Builder command = Command.newBuilder();
        for (String a : args) {
            command.addArgs(ByteString.copyFromUtf8(a));
        }
        byte[] batch = CommandBatch.newBuilder().addCommands(command).build().toByteArray();
        try (RaftClient c = client(nodes)) {
            // min index -1: answered whatever the node's commit index (a fresh node's is -1)
            RaftClientReply r = c.io().sendStaleRead(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch)), -1,
                RaftPeerId.valueOf(node));
            if (!r.isSuccess()) {
                throw new IOException(node + " failed: " + r.getException());
            }
            return BatchReply.parseFrom(r.getMessage().getContent().asReadOnlyByteBuffer()).getReplies(0)
                .toString(StandardCharsets.UTF_8);
        }
    }

    private RaftClient client(Map<String, InetSocketAddress> nodes) {
        List<RaftPeer> peers = new ArrayList<>();
        nodes.forEach((id, address) -> peers.add(peer(id, address)));
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setProperties(p).setRaftGroup(RaftGroup.valueOf(GROUP, peers))
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
            .build();
    }

    private static RaftPeer peer(String id, InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("no Raft address for node " + id);
        }
        return RaftPeer.newBuilder().setId(id).setAddress(address.getHostString() + ":" + address.getPort()).build();
    }

    /** A RESP array of bulk strings, as basalt.node.info writes it; an error reply throws. */
    static List<String> parseBulkArray(String resp) throws IOException {
        if (resp.startsWith("-")) {
            throw new IOException(resp.trim());
        }
        if (!resp.startsWith("*")) {
            throw new IOException("not an array: " + resp);
        }
        int at = resp.indexOf("\r\n");
        int count = Integer.parseInt(resp.substring(1, at));
        List<String> out = new ArrayList<>(count);
        at += 2;
        for (int i = 0; i < count; i++) {
            if (resp.charAt(at) != '$') {
                throw new IOException("not a bulk string at " + at + ": " + resp);
            }
            int eol = resp.indexOf("\r\n", at);
            int len = Integer.parseInt(resp.substring(at + 1, eol));
            // the values are ASCII, so characters and bytes agree
            out.add(resp.substring(eol + 2, eol + 2 + len));
            at = eol + 2 + len + 2;
        }
        return out;
    }
}
