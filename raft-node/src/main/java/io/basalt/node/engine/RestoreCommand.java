package io.basalt.node.engine;

import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.io.IOException;
import java.util.List;

/**
 * {@code basalt.restore}: the write behind {@code basalt admin restore}. It takes a key's record
 * exactly as a snapshot stores it ({@link SnapshotCodec}: value, representation and absolute
 * expiry time), so a restored key answers OBJECT ENCODING, TTL and SPOP as it did when backed up.
 * Like Redis's {@code RESTORE key 0 payload REPLACE ABSTTL}, but with our own record format.
 */
final class RestoreCommand extends CommandFamily {

    /** Redis's reply to a RESTORE payload it cannot load. */
    static final String BAD_FORMAT = "ERR Bad data format";

    RestoreCommand(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry r) {
        r.register(InternalCommandSpecs.RESTORE, this::restore);
    }

    /* basalt.restore key record
     * Replaces the key with the record's value and expiry time; :1. A record whose expiry time has
     * passed at the entry's time deletes the key instead and replies :0 (Redis's RESTORE ABSTTL
     * with a past time does the same), so the restore tool can count keys that expired meanwhile.
     * A record that does not decode changes nothing: "ERR Bad data format", as RESTORE says. */
    private void restore(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        byte[] key = argv.get(1);
        SnapshotCodec.Decoded d;
        try {
            d = SnapshotCodec.decode(argv.get(2), db::hash, db.limits());
        } catch (IOException | RuntimeException e) {
            out.error(BAD_FORMAT);
            return;
        }
        Entry old = db.findIncludingExpired(key);
        if (old != null) {
            db.delete(old);
        }
        if (d.expireAt() >= 0 && d.expireAt() < ctx.nowMs()) { // the lookup rule: live up to expireAt
            out.raw(ZERO);
            return;
        }
        Entry e = db.add(key, db.hash(key), d.value());
        if (d.expireAt() >= 0) {
            db.setExpire(e, d.expireAt());
        }
        out.raw(ONE);
    }
}
