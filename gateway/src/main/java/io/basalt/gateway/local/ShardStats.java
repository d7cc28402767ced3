package io.basalt.gateway.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the gateway's local commands (INFO, CONFIG) need from the shards. */
public interface ShardStats {

    record Keyspace(long keys, long expires, long avgTtlMs, long usedMemoryBytes) {}

    CompletableFuture<Keyspace> keyspace();

    /** INFO replication's basalt_replica_* lines ("name:value\r\n"); empty without a router. */
    default String replicaReads() {
        return "";
    }

    /**
     * INFO persistence's lines ("name:value\r\n"), merged over the shards; empty when the shards
     * report nothing (the section then shows only what the gateway knows).
     */
    default CompletableFuture<String> persistence() {
        return CompletableFuture.completedFuture("");
    }

    /**
     * Sets replicated engine settings (canonical name, value) on every shard, through the log.
     *
     * @return null when every shard took them, else the error text for the client
     */
    default CompletableFuture<String> setReplicatedConfig(List<String[]> pairs) {
        return CompletableFuture.completedFuture(null);
    }

    /** The replicated engine settings as the shards hold them (names are canonical). */
    default CompletableFuture<Map<String, String>> replicatedConfig() {
        return CompletableFuture.completedFuture(Map.of());
    }
}
