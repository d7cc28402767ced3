package io.basalt.gateway.local;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.cluster.ClusterView;
import io.basalt.gateway.cluster.GatewayNode;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.router.command.CommandTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the gateway's own commands know about the gateway: versions, listener, identity, clock,
 * clients, shard statistics, configuration and counters. Everything that varies between runs or
 * machines (clock, run id, pid, OS, CPU times) is injectable so that tests are exact.
 */
public final class GatewayInfo {

    /** CPU time this process used, as INFO cpu reports it. */
    public record CpuTimes(long userMicros, long systemMicros) {}

    private final String redisVersion;
    private final String basaltVersion;
    private final int tcpPort;
    private final String runId;
    private final long processId;
    private final String os;
    private final int archBits;
    private final LongSupplier clockMicros;
    private final long startMicros;
    private final ClientRegistry clients;
    private final ShardStats shardStats;
    private final ConfigStore config;
    private final GatewayStats stats;
    private final CommandTable commands;
    private final Supplier<CpuTimes> cpu;
    private final long statsTimeoutMs;
    private final ClusterView cluster;
    private final MetaEndpoint meta;

    private GatewayInfo(Builder b) {
        this.redisVersion = b.redisVersion;
        this.basaltVersion = b.basaltVersion;
        this.tcpPort = b.tcpPort;
        this.runId = b.runId != null ? b.runId : randomRunId();
        this.processId = b.processId;
        this.os = b.os;
        this.archBits = b.archBits;
        this.clockMicros = b.clockMicros;
        this.startMicros = b.startMicros != null ? b.startMicros : b.clockMicros.getAsLong();
        this.clients = b.clients;
        this.shardStats = b.shardStats;
        this.meta = b.meta;
        this.cluster = b.cluster != null ? b.cluster
                : new ClusterView(ClusterSettings.DISABLED, new GatewayNode(announceHost(b.bind), Math.max(1, b.tcpPort)), () -> null);
        this.config = b.config != null ? b.config : ConfigStore.defaults(b.tcpPort, b.bind, cluster.enabled());
        this.stats = b.stats;
        this.commands = b.commands;
        this.cpu = b.cpu;
        this.statsTimeoutMs = b.statsTimeoutMs;
        if (statsTimeoutMs <= 0) {
            throw new IllegalArgumentException("statsTimeoutMs must be positive: " + statsTimeoutMs);
        }
    }

    public static Builder builder(ClientRegistry clients, ShardStats shardStats) {
        return new Builder(clients, shardStats);
    }

    /** The Redis version clients are told we are (HELLO, INFO): the one whose behaviour we reproduce. */
    public String redisVersion() { return redisVersion; }
    public String basaltVersion() { return basaltVersion; }
    public int tcpPort() { return tcpPort; }
    /** 40 hex characters, new per process, as Redis's run_id. */
    public String runId() { return runId; }
    public long processId() { return processId; }
    public String os() { return os; }
    public int archBits() { return archBits; }
    /** Wall-clock time in microseconds since the epoch (TIME, INFO). */
    public long nowMicros() { return clockMicros.getAsLong(); }
    public long startMicros() { return startMicros; }
    public ClientRegistry clients() { return clients; }
    public ShardStats shardStats() { return shardStats; }
    public ConfigStore config() { return config; }
    public GatewayStats stats() { return stats; }
    public CommandTable commands() { return commands; }
    /** Null when this platform does not tell. */
    public CpuTimes cpuTimes() { return cpu.get(); }
    /** How this gateway presents itself to cluster-aware clients (and whether cluster mode is on). */
    public ClusterView cluster() { return cluster; }
    /** The metadata group, or null when the cluster has none. */
    public MetaEndpoint meta() { return meta; }

    /** A listener address clients can dial: a wildcard bind is announced as loopback. */
    public static String announceHost(String bind) {
        return bind == null || bind.equals("*") || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    /** How long INFO waits for the shards' statistics before answering without them. */
    public long statsTimeoutMs() { return statsTimeoutMs; }

    private static String randomRunId() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Redis prints uname's "sysname release machine"; Java calls x86_64 "amd64". */
    private static String systemOs() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64")) {
            arch = "x86_64";
        }
        return System.getProperty("os.name", "") + " " + System.getProperty("os.version", "") + " " + arch;
    }

    /**
     * User and system CPU time from /proc/self/stat (fields 14 and 15, in clock ticks of 1/100 s,
     * the USER_HZ of every Linux ABI Java runs on); null elsewhere.
     */
    static CpuTimes procSelfCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name (field 2) is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticksPerSecond = 100;
            long user = Long.parseLong(f[11]) * 1_000_000 / ticksPerSecond;
            long system = Long.parseLong(f[12]) * 1_000_000 / ticksPerSecond;
            return new CpuTimes(user, system);
        } catch (IOException | RuntimeException unavailable) {
            return null;
        }
    }

    public static final class Builder {
        private final ClientRegistry clients;
        private final ShardStats shardStats;
        private String redisVersion = "7.0.15";
        private String basaltVersion = "0.1.0";
        private int tcpPort = 6379;
        private String bind = "*";
        private String runId;
        private long processId = ProcessHandle.current().pid();
        private String os = systemOs();
        private int archBits = "32".equals(System.getProperty("sun.arch.data.model")) ? 32 : 64;
        private LongSupplier clockMicros = () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        };
        private Long startMicros;
        private ConfigStore config;
        private GatewayStats stats = new GatewayStats();
        private CommandTable commands = CommandTable.standard();
        private Supplier<CpuTimes> cpu = GatewayInfo::procSelfCpu;
        private long statsTimeoutMs = 2_000;
        private ClusterView cluster;
        private MetaEndpoint meta;

        private Builder(ClientRegistry clients, ShardStats shardStats) {
            this.clients = Objects.requireNonNull(clients, "clients");
            this.shardStats = Objects.requireNonNull(shardStats, "shardStats");
        }

        public Builder redisVersion(String v) { this.redisVersion = v; return this; }
        public Builder basaltVersion(String v) { this.basaltVersion = v; return this; }
        /** The RESP listener's port and bind address (INFO tcp_port, CONFIG GET port/bind). */
        public Builder listener(int port, String bindAddress) {
            this.tcpPort = port;
            this.bind = bindAddress;
            return this;
        }
        public Builder runId(String id) {
            if (id.length() != 40 || !id.toLowerCase(Locale.ROOT).matches("[0-9a-f]{40}")) {
                throw new IllegalArgumentException("run id must be 40 hex characters: " + id);
            }
            this.runId = id;
            return this;
        }
        public Builder processId(long pid) { this.processId = pid; return this; }
        public Builder os(String os, int archBits) { this.os = os; this.archBits = archBits; return this; }
        /** Wall clock in microseconds; the start time defaults to its value at build(). */
        public Builder clockMicros(LongSupplier clock) { this.clockMicros = clock; return this; }
        public Builder startMicros(long start) { this.startMicros = start; return this; }
        /** Defaults to {@link ConfigStore#defaults} for the listener. */
        public Builder config(ConfigStore c) { this.config = c; return this; }
        public Builder stats(GatewayStats s) { this.stats = s; return this; }
        public Builder commands(CommandTable t) { this.commands = t; return this; }
        public Builder cpu(Supplier<CpuTimes> c) { this.cpu = c; return this; }
        public Builder statsTimeoutMs(long ms) { this.statsTimeoutMs = ms; return this; }
        /** Defaults to cluster mode disabled. */
        public Builder cluster(ClusterView c) { this.cluster = c; return this; }
        /** The metadata group, or null (the default) when the cluster has none. */
        public Builder meta(MetaEndpoint m) { this.meta = m; return this; }

        public GatewayInfo build() {
            return new GatewayInfo(this);
        }
    }
}
