package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.reply.RespWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * TIME: the gateway's wall clock as [seconds, microseconds], two bulk strings. This is the
 * gateway's clock, not a shard leader's: TIME stamps nothing, so no replica needs to agree on it.
 */
final class TimeCommand {

    private final GatewayInfo info;

    TimeCommand(GatewayInfo info) {
        this.info = info;
    }

    CompletableFuture<byte[]> execute(ClientSession session, List<byte[]> argv) {
        long micros = info.nowMicros();
        RespWriter w = new RespWriter(48);
        w.array(2);
        w.bulk(Long.toString(Math.floorDiv(micros, 1_000_000L)));
        w.bulk(Long.toString(Math.floorMod(micros, 1_000_000L)));
        return Replies.done(w);
    }
}
