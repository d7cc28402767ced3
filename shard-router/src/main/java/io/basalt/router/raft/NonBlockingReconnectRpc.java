package io.basalt.router.raft;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.client.ClientFactory;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A Ratis client transport whose reconnects do not block. Ratis 3.3.0 reconnects to a peer after
 * a failed request by closing the old gRPC channel on the calling thread, and that close waits
 * up to 3 s for the channel's open streams to end (GrpcUtil.shutdownManagedChannel). The calling
 * thread is the client's own reply path, so every failover stalled the client for 3 s, measured
 * by the failover drill. Here the reconnect (which swaps the proxy at once and then closes the
 * old one) runs on a helper thread; the next attempt already dials the peer afresh.
 */
public final class NonBlockingReconnectRpc implements RaftClientRpc {

    private static final ExecutorService RECONNECTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ratis-reconnect");
        t.setDaemon(true);
        return t;
    });

    private final RaftClientRpc delegate;

    private NonBlockingReconnectRpc(RaftClientRpc delegate) {
        this.delegate = delegate;
    }

    /** A client builder with this transport (gRPC underneath, as configured in {@code properties}). */
    public static RaftClient.Builder newClientBuilder(RaftProperties properties) {
        ClientId clientId = ClientId.randomId();
        ClientFactory factory = ClientFactory.cast(RaftConfigKeys.Rpc.type(properties, s -> { }).newFactory(new Parameters()));
        return RaftClient.newBuilder()
            .setClientId(clientId)
            .setProperties(properties)
            .setClientRpc(new NonBlockingReconnectRpc(factory.newRaftClientRpc(clientId, properties)));
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsync(RaftClientRequest request) {
        return delegate.sendRequestAsync(request);
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsyncUnordered(RaftClientRequest request) {
        return delegate.sendRequestAsyncUnordered(request);
    }

    @Override
    public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
        return delegate.sendRequest(request);
    }

    @Override
    public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
        if (!reconnect && !delegate.shouldReconnect(t)) {
            return false;
        }
        RECONNECTS.execute(() -> delegate.handleException(serverId, t, true));
        return true;
    }

    @Override
    public boolean shouldReconnect(Throwable t) {
        return delegate.shouldReconnect(t);
    }

    @Override
    public void addRaftPeers(Collection<RaftPeer> peers) {
        delegate.addRaftPeers(peers);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
