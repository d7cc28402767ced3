package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.router.command.specs.InternalCommandSpecs;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin tool's line to the metadata group and the shards, through one gateway:
 * {@code basalt.meta.status}/{@code basalt.meta.write} carry serialized metadata messages,
 * {@code basalt.slots <shard>} a shard's slot ranges.
 */
final class MetaAdmin implements Closeable {

    private final RespCalls resp;

    MetaAdmin(GatewayAddress gateway, int timeoutMs) throws IOException {
        this.resp = new RespCalls(gateway.host(), gateway.port(), timeoutMs);
    }

    RespCalls resp() {
        return resp;
    }

    MetaReply status() throws IOException {
        return parse(resp.call(InternalCommandSpecs.META_STATUS));
    }

    /** Applies a change; a refusal by the metadata group is an IOException with its reason. */
    MetaReply write(MetaRequest request) throws IOException {
        MetaReply reply = parse(resp.call(InternalCommandSpecs.META_WRITE.getBytes(StandardCharsets.US_ASCII),
            request.toByteArray()));
        if (!reply.getError().isEmpty()) {
            throw new IOException("the metadata group refused: " + reply.getError());
        }
        return reply;
    }

    /** The slot ranges shard {@code shard} owns: start, end, start, end... */
    List<Long> slotRanges(int shard) throws IOException {
        Object r = resp.call(InternalCommandSpecs.SLOTS, Integer.toString(shard));
        if (r instanceof RespCalls.Error e) {
            throw new IOException("shard " + shard + ": " + e.text());
        }
        List<Long> out = new ArrayList<>();
        for (Object o : (List<?>) r) {
            out.add((Long) o);
        }
        return out;
    }

    /**
     * {@link #slotRanges}, waiting up to {@code timeoutMs} for the gateway to know the shard: a
     * gateway learns of a shard added at run time at its next read of the metadata (every second).
     */
    List<Long> slotRangesWhenKnown(int shard, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            try {
                return slotRanges(shard);
            } catch (IOException e) {
                if (!e.getMessage().contains("no such shard") || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100); // polling interval while the gateway catches up
        }
    }

    /** Number of slots in ranges as {@link #slotRanges} returns them. */
    static int slotCount(List<Long> ranges) {
        int n = 0;
        for (int i = 0; i + 1 < ranges.size(); i += 2) {
            n += (int) (ranges.get(i + 1) - ranges.get(i) + 1);
        }
        return n;
    }

    /** Ranges as text: "0-5460,10923-16383", or "-" for none. */
    static String rangesText(List<Long> ranges) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < ranges.size(); i += 2) {
            b.append(b.isEmpty() ? "" : ",").append(ranges.get(i));
            if (!ranges.get(i).equals(ranges.get(i + 1))) {
                b.append('-').append(ranges.get(i + 1));
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    /** Whether every shard's members are its desired replicas and every shard has a running group. */
    static boolean converged(MetaReply status) {
        for (MetaShard s : status.getState().getShardsList()) {
            if (!s.getCreated() || !new java.util.HashSet<>(s.getMembersList()).equals(new java.util.HashSet<>(s.getDesiredList()))) {
                return false;
            }
        }
        return true;
    }

    private static MetaReply parse(Object reply) throws IOException {
        if (reply instanceof RespCalls.Error e) {
            throw new IOException(e.text());
        }
        if (!(reply instanceof byte[] bytes)) {
            throw new IOException("unexpected reply to a metadata command: " + reply);
        }
        return MetaReply.parseFrom(bytes);
    }

    @Override
    public void close() throws IOException {
        resp.close();
    }
}
