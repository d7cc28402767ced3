package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.util.List;

/** Server commands that act on the shard's keyspace as a whole (Redis's server.c and db.c). */
final class ServerCommands extends CommandFamily {

    ServerCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register("dbsize", this::dbsize);
        r.register("flushdb", this::flush);
        r.register("flushall", this::flush);
        r.register(InternalCommandSpecs.STATS, this::stats);
    }

    /* DBSIZE
     * Counts keys that are expired but not yet deleted, as Redis does. */
    private void dbsize(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        out.integer(db.keyCount());
    }

    /* FLUSHDB [ASYNC | SYNC]
     * FLUSHALL [ASYNC | SYNC]
     * One database per shard, so both empty it. O(1) here either way: the old table is simply
     * dropped for the garbage collector. */
    private void flush(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() > 2 || (argv.size() == 2 && !Args.is(argv.get(1), "sync") && !Args.is(argv.get(1), "async"))) {
            out.error(ErrorReplies.SYNTAX);
            return;
        }
        db.clear();
        out.raw(OK);
    }

    /* basalt.stats
     * Keyspace statistics for the gateway's INFO: a map of keys, expires, avg_ttl (the exact mean
     * remaining TTL in ms of keys that have one, where Redis reports a sampled estimate; 0 when
     * none) and used_memory (the engine's estimate, bytes). */
    private void stats(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        out.map(4);
        out.bulk("keys").integer(db.keyCount());
        out.bulk("expires").integer(db.keysWithExpiry());
        out.bulk("avg_ttl").integer(db.avgTtlMs(ctx.nowMs()));
        out.bulk("used_memory").integer(db.usedMemoryBytes());
    }
}
