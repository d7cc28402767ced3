package io.basalt.node.statemachine;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's own line to the other members of its group: node-local commands sent to one named
 * member as a Ratis stale read (answered by that member's state machine, outside the log, see
 * {@link NodeLocalCommands}). One attempt per request, no retry: the callers have their own
 * deadlines. The Ratis client is rebuilt when the group's members change.
 */
final class PeerChannel implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

    private final Supplier<RaftServer.Division> division;
    private final long requestTimeoutMs;
    private static final long RECONNECT_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    private final java.util.Map<RaftPeerId, Long> lastReconnect = new java.util.concurrent.ConcurrentHashMap<>();
    private RaftClient client;
    private Set<RaftPeer> clientPeers = Set.of();
    private boolean closed;

    PeerChannel(Supplier<RaftServer.Division> division, long requestTimeoutMs) {
        this.division = division;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Sends a node-local command batch to {@code peer}; the reply's message is a BatchReply. */
    CompletableFuture<RaftClientReply> send(RaftPeerId peer, byte[] batch) {
        RaftClient c;
        try {
            c = client();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        // min index -1: answered whatever the peer's commit index, even before its first commit
        // (Ratis refuses a stale read when commit index < min index, and a fresh replica's is -1)
        return c.async().sendStaleRead(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch)), -1, peer)
            .whenComplete((reply, error) -> {
                if (error != null) {
                    reconnect(c, peer, error);
                }
            });
    }

    /**
     * Drops the connection to a peer after a failed request, so the next one dials it again.
     * Without this, a peer that was restarted stays unreachable for good: the client keeps its
     * broken stream, every later request to it fails at once, and once every follower has been
     * restarted no read can be confirmed (found by the kill drill). At most once per interval per
     * peer, so a peer that is down is not redialled for every read round.
     */
    private void reconnect(RaftClient c, RaftPeerId peer, Throwable error) {
        long now = System.nanoTime();
        Long last = lastReconnect.get(peer);
        if (last != null && now - last < RECONNECT_INTERVAL_NANOS) {
            return;
        }
        lastReconnect.put(peer, now);
        LOG.debug("request to {} failed ({}); reconnecting", peer, error.toString());
        c.getClientRpc().handleException(peer, error, true);
    }

    private synchronized RaftClient client() throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        RaftServer.Division d = division.get();
        Set<RaftPeer> peers = new HashSet<>(d.getRaftConf().getAllPeers());
        peers.addAll(d.getRaftConf().getCurrentPeers());
        peers.addAll(d.getRaftConf().getPreviousPeers());
        if (client == null || !peers.equals(clientPeers)) {
            RaftClient old = client;
            RaftProperties p = new RaftProperties();
            RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS));
            io.basalt.router.raft.RaftLimits.apply(p);
            client = io.basalt.router.raft.NonBlockingReconnectRpc.newClientBuilder(p)
                .setRaftGroup(RaftGroup.valueOf(d.getGroup().getGroupId(), peers))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
            clientPeers = peers;
            if (old != null) {
                closeQuietly(old);
            }
        }
        return client;
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a peer client failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            closeQuietly(client);
            client = null;
        }
    }
}
