package io.basalt.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Exactly-once application of retried writes (Raft dissertation §6.3).
 *
 * <p>A Ratis client retries a request with the same (client id, call id) when it cannot tell
 * whether an attempt succeeded, e.g. when the leader died mid-request. Ratis's retry cache
 * catches most retries, but not one that reaches a new leader before that leader has applied the
 * original entry: the new leader appends it a second time. An INCR would then count twice. This
 * filter sees every applied entry, in log order, on every replica, so it decides identically
 * everywhere: an entry whose (client id, call id) was already applied is not executed again and
 * answers with the reply of the first execution.
 *
 * <p>Bounded: per client the most recent {@link #CALLS_PER_CLIENT} calls, and clients silent for
 * {@link #CLIENT_IDLE_MS} of log time are forgotten. A gateway's Ratis client keeps one or two
 * batches outstanding (RoutingConfig's inFlightBatchesMax) and a node's expiry client one, and
 * Ratis retries only outstanding calls, so a retry repeats one of a client's last few calls.
 * Replies larger than {@link #REPLY_BYTES_MAX} are not kept; a duplicate of such a call is still
 * not executed, and answers with null so the caller can say the outcome is unknown. At most
 * 32 × 16 KiB = 512 KiB per client, on every replica.
 */
final class DuplicateFilter {

    static final int CALLS_PER_CLIENT = 32;
    static final long CLIENT_IDLE_MS = 10 * 60 * 1000;
    static final int REPLY_BYTES_MAX = 16 * 1024;
    private static final byte[] REPLY_NOT_KEPT = new byte[0];

    private final Map<ByteString, ClientCalls> clients = new HashMap<>();
    private long lastEvictionMs;

    private static final class ClientCalls {
        final ArrayDeque<Long> order = new ArrayDeque<>();
        final HashMap<Long, byte[]> replies = new HashMap<>();
        long lastSeenMs;
    }

    /** Result of a lookup: whether the call was applied before and, if kept, its reply. */
    record Seen(boolean duplicate, byte[] reply) {
        static final Seen NEW = new Seen(false, null);
    }

    Seen check(ByteString clientId, long callId) {
        ClientCalls calls = clients.get(clientId);
        if (calls == null) {
            return Seen.NEW;
        }
        byte[] reply = calls.replies.get(callId);
        if (reply == null) {
            return Seen.NEW;
        }
        return new Seen(true, reply == REPLY_NOT_KEPT ? null : reply);
    }

    void record(ByteString clientId, long callId, byte[] reply, long logTimeMs) {
        ClientCalls calls = clients.computeIfAbsent(clientId, k -> new ClientCalls());
        calls.lastSeenMs = logTimeMs;
        if (calls.replies.put(callId, reply.length <= REPLY_BYTES_MAX ? reply : REPLY_NOT_KEPT) == null) {
            calls.order.addLast(callId);
            if (calls.order.size() > CALLS_PER_CLIENT) {
                calls.replies.remove(calls.order.removeFirst());
            }
        }
        evictIdle(logTimeMs);
    }

    private void evictIdle(long logTimeMs) {
        if (logTimeMs - lastEvictionMs < CLIENT_IDLE_MS / 10) {
            return;
        }
        lastEvictionMs = logTimeMs;
        for (Iterator<ClientCalls> it = clients.values().iterator(); it.hasNext(); ) {
            if (logTimeMs - it.next().lastSeenMs > CLIENT_IDLE_MS) {
                it.remove();
            }
        }
    }

    int clientCount() {
        return clients.size();
    }

    // ---- snapshots: the filter is replicated state, so it travels with the keyspace -----------

    private static final int FORMAT = 1;

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeLong(lastEvictionMs);
        out.writeInt(clients.size());
        for (Map.Entry<ByteString, ClientCalls> client : clients.entrySet()) {
            byte[] id = client.getKey().toByteArray();
            out.writeInt(id.length);
            out.write(id);
            ClientCalls calls = client.getValue();
            out.writeLong(calls.lastSeenMs);
            out.writeInt(calls.order.size());
            for (Long callId : calls.order) { // oldest first, so eviction order survives
                byte[] reply = calls.replies.get(callId);
                out.writeLong(callId);
                out.writeInt(reply == REPLY_NOT_KEPT ? -1 : reply.length);
                if (reply != REPLY_NOT_KEPT) {
                    out.write(reply);
                }
            }
        }
    }

    /** Replaces this filter's state with one written by {@link #writeTo}. */
    void readFrom(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("duplicate filter state of format " + format + "; this Basalt reads " + FORMAT);
        }
        clients.clear();
        lastEvictionMs = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[checkedLength(in.readInt(), 1024)];
            in.readFully(id);
            ClientCalls calls = new ClientCalls();
            calls.lastSeenMs = in.readLong();
            int callCount = checkedLength(in.readInt(), CALLS_PER_CLIENT);
            for (int c = 0; c < callCount; c++) {
                long callId = in.readLong();
                int len = in.readInt();
                byte[] reply = len == -1 ? REPLY_NOT_KEPT : new byte[checkedLength(len, REPLY_BYTES_MAX)];
                in.readFully(reply);
                calls.order.addLast(callId);
                calls.replies.put(callId, reply);
            }
            clients.put(ByteString.copyFrom(id), calls);
        }
    }

    private static int checkedLength(int n, int max) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException("duplicate filter state with a length of " + n + " (at most " + max + ")");
        }
        return n;
    }
}
