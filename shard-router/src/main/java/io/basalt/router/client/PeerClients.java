package io.basalt.router.client;

import io.basalt.router.raft.NonBlockingReconnectRpc;
import io.basalt.router.raft.RaftLimits;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's lines to each member of one shard for requests aimed at that member (Ratis stale
 * reads: follower reads, read-index and applied-index questions). One attempt, no retry: the
 * callers retry elsewhere or fall back to the leader.
 *
 * <p>One Ratis client per member: a stale read travels in the client's ordered window to that
 * server, and a request that fails closes that window for good, so the failed member's client is
 * dropped and the next request dials afresh, without disturbing the other members (the nodes'
 * PeerChannel learnt this in the kill drill).
 */
final class PeerClients implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerClients.class);

    private final RaftGroup group;
    private final RaftProperties properties = new RaftProperties();
    /** Guarded by this. */
    private final Map<RaftPeerId, RaftClient> clients = new HashMap<>();
    /** When each member last failed a request (System.nanoTime); guarded by this. */
    private final Map<RaftPeerId, Long> failedAt = new HashMap<>();
    private boolean closed;

    PeerClients(RaftGroup group, long requestTimeoutMs) {
        this.group = group;
        RaftLimits.apply(properties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(requestTimeoutMs, TimeUnit.MILLISECONDS));
    }

    /** A stale read of {@code message} on {@code peer} once its commit index reached {@code minIndex}. */
    CompletableFuture<RaftClientReply> staleRead(RaftPeerId peer, Message message, long minIndex) {
        RaftClient c;
        try {
            c = client(peer);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return c.async().sendStaleRead(message, minIndex, peer).whenComplete((reply, error) -> {
            if (error != null && !refused(error)) {
                drop(peer, c, error);
            }
        });
    }

    private synchronized RaftClient client(RaftPeerId peer) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        RaftClient c = clients.get(peer);
        if (c == null) {
            c = NonBlockingReconnectRpc.newClientBuilder(properties).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry()).build();
            clients.put(peer, c);
        }
        return c;
    }

    /**
     * Whether a request failed because the member answered with an error (Ratis's async API fails
     * the future with the reply's StateMachineException: a follower behind the minimum index, a
     * replica that is not the leader): an answer, so the line to it is fine.
     */
    static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.ratis.protocol.exceptions.StateMachineException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code peer} failed a request within the last {@code nanos}: callers try others first. */
    synchronized boolean failedWithin(RaftPeerId peer, long nanos) {
        Long at = failedAt.get(peer);
        return at != null && System.nanoTime() - at < nanos;
    }

    private void drop(RaftPeerId peer, RaftClient failed, Throwable error) {
        synchronized (this) {
            failedAt.put(peer, System.nanoTime());
            if (clients.get(peer) != failed) {
                return;
            }
            clients.remove(peer);
        }
        LOG.debug("request to {} of {} failed ({}); a new client will dial it", peer, group.getGroupId(), error.toString());
        // closing waits for the old channel: not on the reply thread
        CompletableFuture.runAsync(() -> closeQuietly(failed));
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
        clients.values().forEach(PeerClients::closeQuietly);
        clients.clear();
    }
}
