package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;

/** What the sorted-set command families share: finding the zset under a key. */
abstract class ZSetFamily extends CommandFamily {

    ZSetFamily(Db db) {
        super(db);
    }

    /** The zset under the key, or null when absent; replies WRONGTYPE and sets {@code wrong}. */
    boolean wrongType;

    final ZSet lookup(Entry e, RespWriter out) {
        wrongType = false;
        if (e == null) {
            return null;
        }
        if (e.value instanceof ZSet z) {
            return z;
        }
        wrongType = true;
        out.error(ErrorReplies.WRONGTYPE);
        return null;
    }
}
