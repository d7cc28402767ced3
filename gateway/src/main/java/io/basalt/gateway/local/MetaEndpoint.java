package io.basalt.gateway.local;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's line to the metadata group, for the admin tool's {@code basalt.meta.*} commands.
 * Requests and replies are serialized {@code MetaRequest}/{@code MetaReply} messages: the gateway
 * passes them through without interpreting them.
 */
public interface MetaEndpoint {

    /** The state and the leader's view of node health. */
    CompletableFuture<byte[]> status();

    /** A change through the group's log. */
    CompletableFuture<byte[]> write(byte[] request);

    /** The latest state and node health read by the gateway's watcher, or null before the first. */
    default io.basalt.proto.internal.MetaReply latest() {
        return null;
    }
}
