package io.basalt.node.engine;

import io.basalt.router.reply.RespWriter;
import java.util.List;

/**
 * Executes one command whose name, arity and read/write permission the dispatcher has already
 * checked against its spec. Writes exactly one reply. Validates every argument before changing
 * any state, so that an error reply never leaves a half-applied command behind.
 */
@FunctionalInterface
interface Handler {
    void handle(List<byte[]> argv, ExecContext ctx, RespWriter out);
}
