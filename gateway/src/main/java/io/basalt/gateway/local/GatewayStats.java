package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind INFO stats that the connection handler feeds, and that CONFIG RESETSTAT
 * zeroes. Connections received are counted by the {@link ClientRegistry}; RESETSTAT keeps a
 * baseline instead of reaching into it.
 */
public final class GatewayStats {

    private final LongAdder commandsProcessed = new LongAdder();
    private final LongAdder errorReplies = new LongAdder();
    private final LongAdder rejectedConnections = new LongAdder();
    private final AtomicLong connectionsBaseline = new AtomicLong();

    /** Call once per command executed (local or routed), as Redis counts total_commands_processed. */
    private final java.util.concurrent.atomic.AtomicInteger blockedClients = new java.util.concurrent.atomic.AtomicInteger();

    /** A client is blocked (BLPOP... found no data) or no longer is: INFO's blocked_clients. */
    public void blockedClients(int delta) {
        blockedClients.addAndGet(delta);
    }

    public int blockedClients() {
        return blockedClients.get();
    }

    public void commandProcessed() {
        commandsProcessed.increment();
    }

    /** Call once per error reply sent to a client (total_error_replies). */
    public void errorReplied() {
        errorReplies.increment();
    }

    /** Call when a connection is refused, e.g. over maxclients (rejected_connections). */
    public void connectionRejected() {
        rejectedConnections.increment();
    }

    public long commandsProcessed() {
        return commandsProcessed.sum();
    }

    public long errorReplies() {
        return errorReplies.sum();
    }

    public long rejectedConnections() {
        return rejectedConnections.sum();
    }

    public long connectionsReceived(ClientRegistry registry) {
        return registry.totalConnectionsReceived() - connectionsBaseline.get();
    }

    /** CONFIG RESETSTAT. */
    public void reset(ClientRegistry registry) {
        commandsProcessed.reset();
        errorReplies.reset();
        rejectedConnections.reset();
        connectionsBaseline.set(registry.totalConnectionsReceived());
    }
}
