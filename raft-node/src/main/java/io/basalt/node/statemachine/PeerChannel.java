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
 * deadlines.
 *
 * <p>One Ratis client per peer: a stale read travels in the client's ordered window to that
 * server, and a request that fails (there are no retries here) closes that window for good, so
 * the client to a peer that failed is replaced, without disturbing requests to the others. Found
 * by the kill drill: with one shared client, once every follower had been restarted no read
 * could be confirmed. A client is also rebuilt when the group's members change.
 */
final class PeerChannel implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

    /** At most one replacement per peer in this interval, so a peer that is down is not redialled per round. */
    private static final long RECONNECT_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    /** A peer's client and the member set it was built for. */
    private record PeerClient(RaftClient client, Set<RaftPeer> members) {}

    private final Supplier<RaftServer.Division> division;
    private final long requestTimeoutMs;
    private final java.util.Map<RaftPeerId, Long> lastReplaced = new java.util.concurrent.ConcurrentHashMap<>();
    /** Guarded by this. */
    private final java.util.Map<RaftPeerId, PeerClient> clients = new java.util.HashMap<>();
    private boolean closed;

    PeerChannel(Supplier<RaftServer.Division> division, long requestTimeoutMs) {
        this.division = division;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Sends a node-local command batch to {@code peer}; the reply's message is a BatchReply. */
    CompletableFuture<RaftClientReply> send(RaftPeerId peer, byte[] batch) {
        RaftClient c;
        try {
            c = client(peer);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        // min index -1: answered whatever the peer's commit index, even before its first commit
        // (Ratis refuses a stale read when commit index < min index, and a fresh replica's is -1)
        return c.async().sendStaleRead(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch)), -1, peer)
            .whenComplete((reply, error) -> {
                if (error != null) {
                    replace(peer, c, error);
                }
            });
    }

    /** Drops the peer's client after a failed request; the next request builds a new one. */
    private void replace(RaftPeerId peer, RaftClient failed, Throwable error) {
        long now = System.nanoTime();
        Long last = lastReplaced.get(peer);
        if (last != null && now - last < RECONNECT_INTERVAL_NANOS) {
            return;
        }
        lastReplaced.put(peer, now);
        LOG.debug("request to {} failed ({}); a new client will dial it", peer, error.toString());
        synchronized (this) {
            PeerClient current = clients.get(peer);
            if (current == null || current.client() != failed) {
                return;
            }
            clients.remove(peer);
        }
        // closing waits for the old channel (up to seconds): not on the reply thread
        CompletableFuture.runAsync(() -> closeQuietly(failed));
    }

    private synchronized RaftClient client(RaftPeerId peer) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        RaftServer.Division d = division.get();
        Set<RaftPeer> members = new HashSet<>(d.getRaftConf().getAllPeers());
        members.addAll(d.getRaftConf().getCurrentPeers());
        members.addAll(d.getRaftConf().getPreviousPeers());
        PeerClient pc = clients.get(peer);
        if (pc == null || !pc.members().equals(members)) {
            RaftProperties p = new RaftProperties();
            RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS));
            io.basalt.router.raft.RaftLimits.apply(p);
            RaftClient fresh = io.basalt.router.raft.NonBlockingReconnectRpc.newClientBuilder(p)
                .setRaftGroup(RaftGroup.valueOf(d.getGroup().getGroupId(), members))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
            clients.put(peer, new PeerClient(fresh, members));
            if (pc != null) {
                RaftClient old = pc.client();
                CompletableFuture.runAsync(() -> closeQuietly(old));
            }
            return fresh;
        }
        return pc.client();
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
        clients.values().forEach(pc -> closeQuietly(pc.client()));
        clients.clear();
    }
}
