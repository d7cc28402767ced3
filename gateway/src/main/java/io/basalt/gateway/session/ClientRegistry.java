package io.basalt.gateway.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The connected clients of one gateway, for CLIENT LIST and INFO clients. */
public final class ClientRegistry {

    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong totalConnections = new AtomicLong();
    private final LongSupplier clockMs;

    public ClientRegistry(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    public ClientSession open(InetSocketAddress remote, InetSocketAddress local) {
        ClientSession s = new ClientSession(nextId.getAndIncrement(), remote, local, clockMs.getAsLong());
        sessions.put(s.id(), s);
        totalConnections.incrementAndGet();
        return s;
    }

    public void close(ClientSession session) {
        sessions.remove(session.id());
    }

    /** Connected sessions ordered by id. */
    public List<ClientSession> list() {
        List<ClientSession> out = new ArrayList<>(sessions.values());
        out.sort(Comparator.comparingLong(ClientSession::id));
        return out;
    }

    public int connectedCount() {
        return sessions.size();
    }

    public long totalConnectionsReceived() {
        return totalConnections.get();
    }

    public long nowMs() {
        return clockMs.getAsLong();
    }
}
