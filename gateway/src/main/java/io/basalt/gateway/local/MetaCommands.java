package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.reply.RespWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code basalt.meta.status} and {@code basalt.meta.write}: the admin tool's access to the
 * metadata group through any gateway (so an operator needs one address, as with every other
 * admin command). Replies are bulk strings holding a serialized MetaReply.
 */
final class MetaCommands {

    static final String NO_META = "ERR this cluster has no metadata group (start nodes and gateways with --meta-replicas)";

    private final MetaEndpoint meta;

    MetaCommands(MetaEndpoint meta) {
        this.meta = meta;
    }

    CompletableFuture<byte[]> status(ClientSession session, List<byte[]> argv) {
        if (meta == null) {
            return error(NO_META);
        }
        return answer(meta.status());
    }

    CompletableFuture<byte[]> write(ClientSession session, List<byte[]> argv) {
        if (meta == null) {
            return error(NO_META);
        }
        return answer(meta.write(argv.get(1)));
    }

    private static CompletableFuture<byte[]> answer(CompletableFuture<byte[]> reply) {
        return reply.handle((bytes, error) -> error != null
            ? new RespWriter(128).error("ERR metadata group unavailable: " + rootMessage(error)).toByteArray()
            : new RespWriter(bytes.length + 16).bulk(bytes).toByteArray());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        return m.replace('\r', ' ').replace('\n', ' ');
    }

    private static CompletableFuture<byte[]> error(String text) {
        return CompletableFuture.completedFuture(new RespWriter(text.length() + 8).error(text).toByteArray());
    }
}
