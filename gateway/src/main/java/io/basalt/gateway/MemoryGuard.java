package io.basalt.gateway;

import io.basalt.gateway.local.ConfigStore;
import io.basalt.gateway.local.ShardStats;
import io.basalt.router.command.CommandSpec;

/**
 * maxmemory for a store that does not evict: once the shards' data passes maxmemory, commands
 * that may grow it (Redis's DENYOOM flag: SET, LPUSH, ...) get Redis's OOM error, and reads and
 * deletes still work, as Redis's noeviction policy does. Every other maxmemory-policy is
 * accepted and behaves as noeviction for now (no eviction is implemented).
 *
 * <p>The check is the gateway's, against the shards' used memory refreshed every second and the
 * cluster-wide maxmemory (a replicated setting, read back from the shards at each refresh): a
 * decision in the shard's state machine would have to be the same on every replica, and the
 * memory estimate of a replica restored from a snapshot may differ by a few bytes. So the limit
 * is approximate, as in Redis, by up to a second of writes.
 */
public final class MemoryGuard {

    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private final ConfigStore config;
    private final ShardStats shards;
    private volatile long usedBytes;

    MemoryGuard(ConfigStore config, ShardStats shards) {
        this.config = config;
        this.shards = shards;
    }

    /** Whether a command must be refused with {@link #OOM}. */
    public boolean refuses(CommandSpec spec) {
        if (!spec.has(CommandSpec.Flag.DENYOOM)) {
            return false;
        }
        long max = config.getLong("maxmemory");
        return max > 0 && usedBytes > max;
    }

    /**
     * Reads the cluster's maxmemory and, only when one is set, the shards' used memory (a read of
     * every shard, not worth making each second for nothing). Failures keep the last values.
     */
    void refresh() {
        try {
            shards.replicatedConfig().thenAccept(config::adopt).thenRun(() -> {
                if (config.getLong("maxmemory") > 0) {
                    shards.keyspace().thenAccept(ks -> usedBytes = ks.usedMemoryBytes());
                }
            });
        } catch (RuntimeException e) {
            // the shards are unreachable right now: the next refresh tries again
        }
    }
}
