package io.basalt.gateway.local;

import java.util.concurrent.CompletableFuture;

/** What the gateway's INFO needs from the shards, summed over all of them. */
public interface ShardStats {

    record Keyspace(long keys, long expires, long avgTtlMs, long usedMemoryBytes) {}

    CompletableFuture<Keyspace> keyspace();
}
