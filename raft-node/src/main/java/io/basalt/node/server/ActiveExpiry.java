package io.basalt.node.server;

import com.google.protobuf.ByteString;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.proto.internal.ExpireKeys;
import io.basalt.proto.internal.LogEntry;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Physical deletion of expired keys, decided by each group's leader and replicated as an
 * ordinary entry (DESIGN.md "Time comes from the log"): every {@link #PERIOD_MS} the leader asks
 * its engine for keys expired by its clock and proposes an {@code ExpireKeys} entry; every
 * replica then deletes those of them that are still expired at the entry's time. Reads never
 * see an expired key either way; this only gives the memory back.
 *
 * <p>At most one proposal per group is in flight, so a slow log cannot pile up duplicates; a
 * full batch is followed at once by another, so a burst of expiries drains quickly.
 */
final class ActiveExpiry implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveExpiry.class);
    static final long PERIOD_MS = 100;
    static final int KEYS_PER_ENTRY_MAX = 512;
    /** Key bytes per proposal at most, well under the Raft entry limit (RaftLimits). */
    static final long ENTRY_KEY_BYTES_MAX = 1 << 20;

    private final RaftServer server;
    private final Map<RaftGroupId, ShardStateMachine> stateMachines;
    private final RaftProperties properties;
    private final Map<RaftGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, Boolean> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "active-expiry");
        t.setDaemon(true);
        return t;
    });

    ActiveExpiry(RaftServer server, Map<RaftGroupId, ShardStateMachine> stateMachines, RaftProperties properties) {
        this.server = server;
        this.stateMachines = stateMachines;
        this.properties = properties;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweepAll, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sweepAll() {
        for (Map.Entry<RaftGroupId, ShardStateMachine> e : stateMachines.entrySet()) {
            try {
                sweep(e.getKey(), e.getValue());
            } catch (Exception ex) {
                LOG.warn("active expiry of group {} failed; retrying next period", e.getKey(), ex);
            }
        }
    }

    private void sweep(RaftGroupId groupId, ShardStateMachine sm) throws IOException {
        if (inFlight.getOrDefault(groupId, false) || !server.getDivision(groupId).getInfo().isLeader()) {
            return;
        }
        List<byte[]> keys = sm.expiredKeys(KEYS_PER_ENTRY_MAX);
        if (keys.isEmpty()) {
            return;
        }
        ExpireKeys.Builder expire = ExpireKeys.newBuilder();
        long bytes = 0;
        for (byte[] k : keys) {
            if (expire.getKeysCount() > 0 && bytes + k.length > ENTRY_KEY_BYTES_MAX) {
                break; // the rest goes in the next proposal
            }
            expire.addKeys(ByteString.copyFrom(k));
            bytes += k.length;
        }
        byte[] message = LogEntry.newBuilder().setExpire(expire).build().toByteArray();
        RaftClient client = client(groupId);
        inFlight.put(groupId, true);
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)));
        } catch (RuntimeException e) {
            inFlight.put(groupId, false);
            throw e;
        }
        sent.whenComplete((reply, error) -> {
                inFlight.put(groupId, false);
                if (error != null) {
                    // A Ratis client whose write gave up fails every later write: start afresh.
                    LOG.debug("expiry proposal for group {} failed: {}", groupId, error.toString());
                    RaftClient failed = clients.remove(groupId);
                    if (failed != null) {
                        CompletableFuture.runAsync(() -> closeQuietly(failed));
                    }
                } else if (keys.size() == KEYS_PER_ENTRY_MAX) {
                    timer.execute(this::sweepAll);
                }
            });
    }

    private RaftClient client(RaftGroupId groupId) throws IOException {
        RaftClient client = clients.get(groupId);
        if (client == null) {
            // A few quick retries, then give up: the next sweep proposes again. (Ratis's default
            // retries forever without pausing, which spins a core while no leader is reachable.)
            client = io.basalt.router.raft.NonBlockingReconnectRpc.newClientBuilder(properties)
                .setProperties(properties)
                .setRaftGroup(server.getDivision(groupId).getGroup())
                .setLeaderId(server.getId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
                    TimeDuration.valueOf(PERIOD_MS, TimeUnit.MILLISECONDS)))
                .build();
            clients.put(groupId, client);
        }
        return client;
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing an expiry client failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        for (RaftClient c : clients.values()) {
            c.close();
        }
    }
}
