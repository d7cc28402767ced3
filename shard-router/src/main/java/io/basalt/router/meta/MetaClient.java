package io.basalt.router.meta;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.router.raft.NonBlockingReconnectRpc;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.raft.RaftLimits;
import io.basalt.router.slot.ShardInfo;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A client of the metadata group, for nodes (registration, heartbeats), the controller on the
 * metadata leader and gateways (the shard table). Writes go through the group's log; reads are
 * answered by its leader from its applied state. A request that cannot complete within the
 * timeout fails its future; callers retry on their own schedule (every request here is
 * idempotent or conditional on the epoch).
 */
public final class MetaClient implements Closeable {

    private final ShardInfo metaGroup;
    private final Duration timeout;
    private volatile RaftClient client;

    public MetaClient(ShardInfo metaGroup, Duration timeout) {
        this.metaGroup = metaGroup;
        this.timeout = timeout;
        this.client = newClient();
    }

    private RaftClient newClient() {
        RaftProperties properties = new RaftProperties();
        RaftLimits.apply(properties);
        org.apache.ratis.retry.RetryPolicy pause = RetryPolicies.retryForeverWithSleep(RaftGroups.millis(50));
        return NonBlockingReconnectRpc.newClientBuilder(properties)
            .setRaftGroup(RaftGroups.toRaftGroup(metaGroup))
            .setRetryPolicy(RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(RaftClientRequestProto.TypeCase.WRITE, pause)
                .setRetryPolicy(RaftClientRequestProto.TypeCase.READ, pause)
                .setTimeout(RaftClientRequestProto.TypeCase.WRITE, RaftGroups.millis(timeout.toMillis()))
                .setTimeout(RaftClientRequestProto.TypeCase.READ, RaftGroups.millis(timeout.toMillis()))
                .build())
            .build();
    }

    /** A change, through the metadata group's log. */
    public CompletableFuture<MetaReply> write(MetaRequest request) {
        RaftClient c = client;
        return replacedOnFailure(c, c.async().send(message(request)).thenApply(MetaClient::reply));
    }

    /** A read (or heartbeat) answered by the metadata leader. */
    public CompletableFuture<MetaReply> read(MetaRequest request) {
        RaftClient c = client;
        return replacedOnFailure(c, c.async().sendReadOnly(message(request)).thenApply(MetaClient::reply));
    }

    /**
     * After a failed request the client is replaced by a fresh one: a Ratis client made while the
     * group had no leader was seen to keep failing every later request with "n2 is not the
     * leader" long after n2 led (a fresh client succeeded at once), so no client outlives a failure.
     */
    private CompletableFuture<MetaReply> replacedOnFailure(RaftClient used, CompletableFuture<MetaReply> reply) {
        return reply.whenComplete((r, error) -> {
            if (error != null) {
                synchronized (this) {
                    if (client == used) {
                        client = newClient();
                        closeQuietly(used);
                    }
                }
            }
        });
    }

    private static void closeQuietly(RaftClient c) {
        Thread closer = new Thread(() -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // a client being discarded
            }
        }, "meta-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** The state and the leader's view of node health. */
    public CompletableFuture<MetaReply> status() {
        return read(MetaRequest.newBuilder().setGetStatus(true).build());
    }

    private static Message message(MetaRequest request) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(request.toByteArray()));
    }

    private static MetaReply reply(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        try {
            return MetaReply.parseFrom(reply.getMessage().getContent().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
