package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * INFO [section [section ...]] in Redis 7.0's text format: "# Section" headers, "field:value"
 * lines, CRLF line ends, a blank line between sections, sections in Redis's fixed order whatever
 * the order asked. RESP3 clients get a verbatim "txt" string, RESP2 clients a bulk string.
 *
 * <p>Only fields whose value the gateway knows are printed ("minimal honest fields"); a client
 * parsing INFO finds the ones it is likely to look for (redis_version, redis_mode, tcp_port,
 * uptime, connected_clients, used_memory, maxmemory, role, loading, db0) and no made-up figures.
 * Keyspace and used_memory come from the shards, summed; INFO waits for them only when those
 * sections are asked for, and answers without them (keyspace section and used_memory lines
 * left out) if the shards fail or do not answer within {@link GatewayInfo#statsTimeoutMs}.
 */
final class InfoCommand {

    /** The sections we produce, in Redis's order. Redis's default set also has errorstats, which we do not count. */
    enum Section {
        SERVER, CLIENTS, MEMORY, PERSISTENCE, STATS, REPLICATION, CPU, MODULES, CLUSTER, KEYSPACE
    }

    private final GatewayInfo info;

    InfoCommand(GatewayInfo info) {
        this.info = info;
    }

    CompletableFuture<byte[]> execute(ClientSession session, List<byte[]> argv) {
        EnumSet<Section> sections = parse(argv);
        CompletableFuture<ShardStats.Keyspace> keyspace = sections.contains(Section.MEMORY)
                || sections.contains(Section.KEYSPACE)
            ? bounded(() -> info.shardStats().keyspace()) : CompletableFuture.completedFuture(null);
        CompletableFuture<String> persistence = sections.contains(Section.PERSISTENCE)
            ? bounded(() -> info.shardStats().persistence()) : CompletableFuture.completedFuture(null);
        return keyspace.thenCombine(persistence, (ks, p) -> render(sections, ks, p));
    }

    /** The shards' answer, or null when they fail or take longer than the stats timeout. */
    private <T> CompletableFuture<T> bounded(java.util.function.Supplier<CompletableFuture<T>> ask) {
        CompletableFuture<T> asked;
        try {
            asked = ask.get();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        // A private future, so the timeout does not complete the caller-owned one.
        CompletableFuture<T> bounded = new CompletableFuture<>();
        asked.whenComplete((v, err) -> bounded.complete(err == null ? v : null));
        return bounded.completeOnTimeout(null, info.statsTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** No argument is "default"; all/everything/default add every section we have; unknown names add nothing. */
    static EnumSet<Section> parse(List<byte[]> argv) {
        EnumSet<Section> sections = EnumSet.noneOf(Section.class);
        if (argv.size() == 1) {
            return EnumSet.allOf(Section.class);
        }
        for (int i = 1; i < argv.size(); i++) {
            String name = RedisText.text(argv.get(i)).toLowerCase(Locale.ROOT);
            switch (name) {
                case "all", "everything", "default" -> sections.addAll(EnumSet.allOf(Section.class));
                case "module_list" -> sections.add(Section.MODULES);
                default -> {
                    for (Section s : Section.values()) {
                        if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                            sections.add(s);
                        }
                    }
                }
            }
        }
        return sections;
    }

    byte[] render(EnumSet<Section> sections, ShardStats.Keyspace ks) {
        return render(sections, ks, null);
    }

    /**
     * @param ks the shards' figures, or null when they are unavailable
     * @param persistence the shards' persistence lines, or null when they are unavailable
     */
    byte[] render(EnumSet<Section> sections, ShardStats.Keyspace ks, String persistence) {
        StringBuilder b = new StringBuilder(1024);
        for (Section s : sections) {
            if (s == Section.KEYSPACE && ks == null) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append("\r\n");
            }
            switch (s) {
                case SERVER -> server(b);
                case CLIENTS -> clients(b);
                case MEMORY -> memory(b, ks);
                case PERSISTENCE -> persistence(b, persistence);
                case STATS -> stats(b);
                case REPLICATION -> replication(b);
                case CPU -> cpu(b);
                case MODULES -> header(b, "Modules");
                case CLUSTER -> cluster(b);
                case KEYSPACE -> keyspace(b, ks);
            }
        }
        byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
        return new RespWriter(text.length + 16).verbatim("txt", text).toByteArray();
    }

    private static void header(StringBuilder b, String name) {
        b.append("# ").append(name).append("\r\n");
    }

    private static void field(StringBuilder b, String name, Object value) {
        b.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder b) {
        long now = info.nowMicros();
        long uptimeSeconds = Math.max(0, now - info.startMicros()) / 1_000_000;
        header(b, "Server");
        field(b, "redis_version", info.redisVersion());
        field(b, "basalt_version", info.basaltVersion());
        field(b, "redis_mode", "standalone");
        field(b, "os", info.os());
        field(b, "arch_bits", info.archBits());
        field(b, "process_id", info.processId());
        field(b, "run_id", info.runId());
        field(b, "tcp_port", info.tcpPort());
        field(b, "server_time_usec", now);
        field(b, "uptime_in_seconds", uptimeSeconds);
        field(b, "uptime_in_days", uptimeSeconds / 86_400);
        field(b, "hz", info.config().get("hz"));
        field(b, "configured_hz", info.config().get("hz"));
    }

    private void clients(StringBuilder b) {
        header(b, "Clients");
        field(b, "connected_clients", info.clients().connectedCount());
        field(b, "maxclients", info.config().get("maxclients"));
        field(b, "blocked_clients", info.stats() == null ? 0 : info.stats().blockedClients());
    }

    private void memory(StringBuilder b, ShardStats.Keyspace ks) {
        // Unsigned in CONFIG, but INFO prints it as C's signed long long (2^64-1 shows as -1).
        long maxmemory = Long.parseUnsignedLong(info.config().get("maxmemory"));
        header(b, "Memory");
        if (ks != null) {
            field(b, "used_memory", ks.usedMemoryBytes());
            field(b, "used_memory_human", RedisText.bytesToHuman(ks.usedMemoryBytes()));
        }
        field(b, "maxmemory", maxmemory);
        field(b, "maxmemory_human", RedisText.bytesToHuman(maxmemory));
        field(b, "maxmemory_policy", info.config().get("maxmemory-policy"));
    }

    /**
     * Durability is the shards' Raft logs and snapshots: the rdb_* fields describe the snapshots of
     * the replicas serving reads (no fork, no AOF). Without the shards' answer, the fields every
     * client expects, at their idle values.
     */
    private static void persistence(StringBuilder b, String fromShards) {
        header(b, "Persistence");
        if (fromShards != null && !fromShards.isEmpty()) {
            b.append(fromShards);
            return;
        }
        field(b, "loading", 0);
        field(b, "async_loading", 0);
        field(b, "rdb_bgsave_in_progress", 0);
        field(b, "aof_enabled", 0);
        field(b, "aof_rewrite_in_progress", 0);
    }

    private void stats(StringBuilder b) {
        GatewayStats s = info.stats();
        header(b, "Stats");
        field(b, "total_connections_received", s.connectionsReceived(info.clients()));
        field(b, "total_commands_processed", s.commandsProcessed());
        field(b, "rejected_connections", s.rejectedConnections());
        field(b, "total_error_replies", s.errorReplies());
    }

    /**
     * Clients see a master without replicas: Raft replication is invisible to them. The basalt_
     * lines report reads of READONLY connections served by followers (docs/consistency.md).
     */
    private void replication(StringBuilder b) {
        header(b, "Replication");
        field(b, "role", "master");
        field(b, "connected_slaves", 0);
        b.append(info.shardStats().replicaReads());
    }

    private void cpu(StringBuilder b) {
        header(b, "CPU");
        GatewayInfo.CpuTimes cpu = info.cpuTimes();
        if (cpu != null) {
            field(b, "used_cpu_sys", seconds(cpu.systemMicros()));
            field(b, "used_cpu_user", seconds(cpu.userMicros()));
        }
    }

    /** Redis's "%ld.%06ld". */
    private static String seconds(long micros) {
        return micros / 1_000_000 + "." + String.format(Locale.ROOT, "%06d", micros % 1_000_000);
    }

    private void cluster(StringBuilder b) {
        header(b, "Cluster");
        field(b, "cluster_enabled", "yes".equals(info.config().get("cluster-enabled")) ? 1 : 0);
    }

    /** db0 only, and no line at all when it is empty, as Redis prints it. */
    private static void keyspace(StringBuilder b, ShardStats.Keyspace ks) {
        header(b, "Keyspace");
        if (ks.keys() > 0) {
            b.append("db0:keys=").append(ks.keys())
                .append(",expires=").append(ks.expires())
                .append(",avg_ttl=").append(ks.avgTtlMs())
                .append("\r\n");
        }
    }
}
