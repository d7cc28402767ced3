package io.basalt.gateway.local;

import java.util.concurrent.CompletableFuture;

/** What the gateway's INFO needs from the shards, summed over all of them. */
public interface ShardStats {

    record Keyspace(long keys, long expires, long avgTtlMs, long usedMemoryBytes) {}

    CompletableFuture<Keyspace> keyspace();

    /**
     * INFO persistence's lines ("name:value\r\n"), merged over the shards; empty when the shards
     * report nothing (the section then shows only what the gateway knows).
     */
    default CompletableFuture<String> persistence() {
        return CompletableFuture.completedFuture("");
    }
}
