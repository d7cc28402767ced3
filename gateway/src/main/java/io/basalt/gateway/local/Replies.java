package io.basalt.gateway.local;

import io.basalt.router.reply.RespWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Completed replies in the internal encoding, and Redis's HELP reply shape. Local commands answer
 * synchronously unless they need the shards, so most return one of these.
 */
final class Replies {
    private Replies() {}

    private static final byte[] OK = new RespWriter().simple("OK").toByteArray();

    static CompletableFuture<byte[]> done(RespWriter w) {
        return CompletableFuture.completedFuture(w.toByteArray());
    }

    static CompletableFuture<byte[]> ok() {
        return CompletableFuture.completedFuture(OK.clone());
    }

    static CompletableFuture<byte[]> simple(String text) {
        return done(new RespWriter().simple(text));
    }

    static CompletableFuture<byte[]> error(String text) {
        return done(new RespWriter().error(text));
    }

    static CompletableFuture<byte[]> integer(long value) {
        return done(new RespWriter().integer(value));
    }

    static CompletableFuture<byte[]> bulk(byte[] value) {
        return done(new RespWriter().bulk(value));
    }

    /**
     * Redis's {@code addReplyHelp}: a header naming the container, the given lines, then the HELP
     * entry, every line a status reply.
     */
    static CompletableFuture<byte[]> help(String container, List<String> lines) {
        RespWriter w = new RespWriter(1024);
        w.array(lines.size() + 3);
        w.simple(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            w.simple(line);
        }
        w.simple("HELP");
        w.simple("    Prints this help.");
        return done(w);
    }
}
