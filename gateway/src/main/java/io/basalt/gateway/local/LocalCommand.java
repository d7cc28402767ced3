package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A command the gateway answers itself (spec site GATEWAY): connection state, introspection,
 * gateway configuration. The reply is in the internal reply encoding (see
 * io.basalt.router.reply.RespWriter); the connection transcodes it for the client's protocol
 * after the command returns, so HELLO 3 is answered in RESP3.
 */
@FunctionalInterface
public interface LocalCommand {

    /**
     * @param argv the full command line, argv[0] the name; arity was already checked against
     *     the spec (for containers, against the subcommand's spec)
     * @return the encoded reply; already completed unless the command needs the shards
     */
    CompletableFuture<byte[]> execute(ClientSession session, List<byte[]> argv);
}
