package io.basalt.router.client;

import static io.basalt.router.raft.RaftGroups.millis;

import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;

/**
 * What a gateway's Ratis client retries, and for how long.
 *
 * <p>Every failed attempt is retried after a short pause (leader unknown, NotLeader with or
 * without a hint, connection lost) until the request's deadline. Retrying a write is safe even
 * when the first attempt may have been applied: the retry carries the same client and call id,
 * and the shard's state machine applies a call id at most once. At the deadline the request
 * fails, and the gateway tells the client the outcome is unknown instead of retrying further.
 */
final class RetryPolicy {
    private RetryPolicy() {}

    static org.apache.ratis.retry.RetryPolicy forGateway(RoutingConfig config) {
        org.apache.ratis.retry.RetryPolicy pause = RetryPolicies.retryForeverWithSleep(millis(config.retrySleep().toMillis()));
        return RequestTypeDependentRetryPolicy.newBuilder()
            .setRetryPolicy(RaftClientRequestProto.TypeCase.WRITE, pause)
            .setRetryPolicy(RaftClientRequestProto.TypeCase.READ, pause)
            .setTimeout(RaftClientRequestProto.TypeCase.WRITE, millis(config.writeTimeout().toMillis()))
            .setTimeout(RaftClientRequestProto.TypeCase.READ, millis(config.readTimeout().toMillis()))
            .build();
    }

}
