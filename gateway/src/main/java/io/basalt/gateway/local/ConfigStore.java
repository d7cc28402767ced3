package io.basalt.gateway.local;

import io.basalt.router.text.RedisGlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings CONFIG GET and CONFIG SET see: the parameters clients and tools commonly read or
 * change, with Redis 7.0's defaults, types and error texts.
 *
 * <p>The encoding thresholds ({@link #REPLICATED}) change what the shards do, so CONFIG SET sends
 * them to every shard through the log before taking them here (ConfigCommand), and CONFIG GET
 * reads them back from the shards: every gateway sees the same values. So are maxmemory (which
 * the gateways enforce, see MemoryGuard), maxmemory-policy and notify-keyspace-events (accepted,
 * no effect yet). The other settings are per gateway: CONFIG SET on one gateway changes what
 * that gateway reports and what its own code reads from here.
 *
 * <p>Immutable here, unlike in Redis: {@code port} and {@code bind} (the gateway does not rebind
 * its listener from a client command), {@code databases} and {@code cluster-enabled}.
 * {@code databases} reads "1", not Redis's 16: Basalt has only db 0, and tools that list
 * databases from this value (GUI clients, redis-cli's prompt) would otherwise offer 15 databases
 * that SELECT refuses.
 *
 * <p>Thread-safe: readers see an immutable snapshot; CONFIG SET validates every pair and then
 * swaps the snapshot once, so a multi-parameter SET is all or nothing and never half visible.
 */
public final class ConfigStore {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xFFFF_FFFFL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long MB = 1024 * 1024;
    /** Redis's CONFIG_MIN_HZ / CONFIG_MAX_HZ: hz is accepted in [0, INT_MAX] and then clamped. */
    private static final int HZ_MIN = 1;
    private static final int HZ_MAX = 500;

    /** Parameters the shards' engines follow: replicated through the log, see ConfigCommand. */
    public static final Set<String> REPLICATED = Set.of("hash-max-listpack-entries", "hash-max-listpack-value",
            "zset-max-listpack-entries", "zset-max-listpack-value", "set-max-intset-entries",
            "maxmemory", "maxmemory-policy", "notify-keyspace-events");

    /** A name CONFIG GET/SET accepts: a parameter's own name or one of its aliases. */
    private record Entry(String name, ConfigParam param) {}

    /** By lowercase name, sorted: the order CONFIG GET lists pattern matches in. */
    private final Map<String, Entry> entries;
    /** By canonical parameter name; replaced whole on every successful SET. */
    private volatile Map<String, String> values;

    private ConfigStore(List<ConfigParam> params, Map<String, String> aliases) {
        Map<String, Entry> byName = new TreeMap<>();
        Map<String, String> initial = new HashMap<>();
        Map<String, ConfigParam> byParam = new HashMap<>();
        for (ConfigParam p : params) {
            add(byName, new Entry(p.name(), p));
            initial.put(p.name(), p.defaultValue());
            byParam.put(p.name(), p);
        }
        aliases.forEach((alias, target) -> add(byName, new Entry(alias, byParam.get(target))));
        this.entries = Collections.unmodifiableMap(byName);
        this.values = Map.copyOf(initial);
    }

    private static void add(Map<String, Entry> byName, Entry e) {
        if (e.param() == null || byName.put(e.name(), e) != null) {
            throw new IllegalArgumentException("config parameter defined twice or alias of nothing: " + e.name());
        }
    }

    /** Redis 7.0's defaults; {@code port} and {@code bind} are what this gateway listens on. */
    public static ConfigStore defaults(int port, String bind) {
        return defaults(port, bind, false);
    }

    /** As {@link #defaults(int, String)}, with {@code cluster-enabled} telling the gateway's cluster mode. */
    public static ConfigStore defaults(int port, String bind, boolean clusterEnabled) {
        List<ConfigParam> p = new ArrayList<>();
        // Fixed by how the gateway runs or by what Basalt is.
        p.add(ConfigParam.immutable("port", Integer.toString(port)));
        p.add(ConfigParam.immutable("bind", bind));
        p.add(ConfigParam.immutable("databases", "1"));
        p.add(ConfigParam.immutable("cluster-enabled", clusterEnabled ? "yes" : "no"));
        // Clients and connections.
        p.add(ConfigParam.integer("timeout", 0, INT_MAX, 0));
        p.add(ConfigParam.integer("tcp-keepalive", 0, INT_MAX, 300));
        p.add(ConfigParam.integer("maxclients", 1, UINT_MAX, 10000));
        p.add(ConfigParam.memory("proto-max-bulk-len", MB, LONG_MAX, 512 * MB, false));
        p.add(ConfigParam.memory("client-query-buffer-limit", MB, LONG_MAX, 1024 * MB, false));
        p.add(ConfigParam.clientOutputBufferLimit(
                "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"));
        p.add(ConfigParam.integer("hz", 0, INT_MAX, 10, v -> Math.max(HZ_MIN, Math.min(HZ_MAX, v))));
        // Basalt's own: how READONLY connections' reads are served by followers (RoutingClient)
        p.add(ConfigParam.enumeration("replica-reads", "linearizable", "stale", "linearizable"));
        p.add(ConfigParam.enumeration("loglevel", "notice", "debug", "verbose", "notice", "warning"));
        // Memory and eviction.
        p.add(ConfigParam.memory("maxmemory", 0, LONG_MAX, 0, true));
        p.add(ConfigParam.enumeration("maxmemory-policy", "noeviction",
                "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
        p.add(ConfigParam.integer("maxmemory-samples", 1, INT_MAX, 5));
        p.add(ConfigParam.integer("maxmemory-eviction-tenacity", 0, 100, 10));
        p.add(ConfigParam.integer("lfu-log-factor", 0, INT_MAX, 10));
        p.add(ConfigParam.integer("lfu-decay-time", 0, INT_MAX, 1));
        // Persistence (Basalt's durability is the Raft log; these are kept for clients that read them).
        p.add(ConfigParam.save("3600 1 300 100 60 10000"));
        p.add(ConfigParam.bool("appendonly", false));
        p.add(ConfigParam.enumeration("appendfsync", "everysec", "always", "everysec", "no"));
        // Events, scripts, diagnostics.
        p.add(ConfigParam.keyspaceEvents());
        p.add(ConfigParam.integer("busy-reply-threshold", 0, LONG_MAX, 5000));
        p.add(ConfigParam.integer("slowlog-log-slower-than", -1, LONG_MAX, 10000));
        p.add(ConfigParam.integer("slowlog-max-len", 0, LONG_MAX, 128));
        p.add(ConfigParam.integer("latency-monitor-threshold", 0, LONG_MAX, 0));
        // Encoding thresholds.
        p.add(ConfigParam.integer("hash-max-listpack-entries", 0, LONG_MAX, 512));
        p.add(ConfigParam.memory("hash-max-listpack-value", 0, LONG_MAX, 64, false));
        p.add(ConfigParam.integer("zset-max-listpack-entries", 0, LONG_MAX, 128));
        p.add(ConfigParam.memory("zset-max-listpack-value", 0, LONG_MAX, 64, false));
        p.add(ConfigParam.integer("set-max-intset-entries", 0, LONG_MAX, 512));
        p.add(ConfigParam.integer("list-max-listpack-size", INT_MIN, INT_MAX, -2));
        p.add(ConfigParam.integer("list-compress-depth", 0, INT_MAX, 0));
        p.add(ConfigParam.memory("stream-node-max-bytes", 0, LONG_MAX, 4096, false));
        p.add(ConfigParam.integer("stream-node-max-entries", 0, LONG_MAX, 100));
        p.add(ConfigParam.memory("hll-sparse-max-bytes", 0, LONG_MAX, 3000, false));

        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("lua-time-limit", "busy-reply-threshold");
        aliases.put("hash-max-ziplist-entries", "hash-max-listpack-entries");
        aliases.put("hash-max-ziplist-value", "hash-max-listpack-value");
        aliases.put("zset-max-ziplist-entries", "zset-max-listpack-entries");
        aliases.put("zset-max-ziplist-value", "zset-max-listpack-value");
        aliases.put("list-max-ziplist-size", "list-max-listpack-size");
        return new ConfigStore(p, aliases);
    }

    /** The current value of a parameter (by name or alias, any case), or null when unknown. */
    public String get(String name) {
        Entry e = entries.get(name.toLowerCase(Locale.ROOT));
        return e == null ? null : values.get(e.param().name());
    }

    /** An integer or memory parameter's value (maxmemory's unsigned value above 2^63-1 reads as Long.MAX_VALUE). */
    public long getLong(String name) {
        String v = get(name);
        if (v == null) {
            throw new IllegalArgumentException("no config parameter " + name);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Every name CONFIG GET * lists (parameters and aliases), sorted. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /**
     * CONFIG GET: the (name, value) pairs matching any of the patterns. A pattern without glob
     * characters is an exact, case-insensitive lookup that keeps the caller's spelling, as Redis
     * does; a glob matches names case-insensitively. Each name appears once, in the order found
     * (Redis's order is its hash table's, so clients cannot rely on any).
     */
    public List<Map.Entry<String, String>> matching(List<String> patterns) {
        Map<String, String> snapshot = values;
        Map<String, Map.Entry<String, String>> found = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (!hasGlob(pattern)) {
                Entry e = entries.get(pattern.toLowerCase(Locale.ROOT));
                if (e != null) {
                    found.putIfAbsent(e.name(), Map.entry(pattern, snapshot.get(e.param().name())));
                }
                continue;
            }
            byte[] glob = pattern.getBytes(StandardCharsets.UTF_8);
            for (Entry e : entries.values()) {
                if (!found.containsKey(e.name())
                        && RedisGlob.matches(glob, e.name().getBytes(StandardCharsets.UTF_8), true)) {
                    found.put(e.name(), Map.entry(e.name(), snapshot.get(e.param().name())));
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static boolean hasGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /**
     * CONFIG SET with (name, value) pairs, all or nothing. Checks in Redis's order: unknown,
     * immutable or repeated names first (the first such problem is reported), then values in
     * order; nothing changes unless every value is valid.
     *
     * @return null on success, else the error reply text
     */
    public synchronized String set(List<String[]> pairs) {
        Object staged = stage(pairs);
        if (staged instanceof String error) {
            return error;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> next = (Map<String, String>) staged;
        values = Map.copyOf(next);
        return null;
    }

    /**
     * The replicated parameters among valid CONFIG SET pairs, by canonical name with their values
     * as CONFIG GET will show them; null when the pairs are not valid (then {@link #set} reports why).
     */
    public synchronized List<String[]> replicatedChanges(List<String[]> pairs) {
        Object staged = stage(pairs);
        if (staged instanceof String) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> next = (Map<String, String>) staged;
        List<String[]> changes = new ArrayList<>();
        for (String[] pair : pairs) {
            String canonical = entries.get(pair[0].toLowerCase(Locale.ROOT)).param().name();
            if (REPLICATED.contains(canonical)) {
                changes.add(new String[] {canonical, next.get(canonical)});
            }
        }
        return changes;
    }

    /** Takes over the shards' values of the replicated parameters (as CONFIG GET read them). */
    public synchronized void adopt(Map<String, String> fromShards) {
        Map<String, String> next = new HashMap<>(values);
        fromShards.forEach((name, value) -> {
            if (REPLICATED.contains(name)) {
                next.put(name, value);
            }
        });
        values = Map.copyOf(next);
    }

    /** Whether any name CONFIG GET's patterns match is replicated. */
    public boolean matchesReplicated(List<String> patterns) {
        for (Map.Entry<String, String> found : matching(patterns)) {
            Entry e = entries.get(found.getKey().toLowerCase(Locale.ROOT));
            if (e != null && REPLICATED.contains(e.param().name())) {
                return true;
            }
        }
        return false;
    }

    /** The values after applying the pairs, or the error text; changes nothing. */
    private Object stage(List<String[]> pairs) {
        List<Entry> targets = new ArrayList<>(pairs.size());
        for (String[] pair : pairs) {
            String given = pair[0];
            Entry e = entries.get(given.toLowerCase(Locale.ROOT));
            if (e == null) {
                return String.format(LocalErrors.CONFIG_UNKNOWN, given);
            }
            if (e.param().immutable()) {
                return String.format(LocalErrors.CONFIG_FAILED, given, "can't set immutable config");
            }
            if (targets.contains(e)) {
                return String.format(LocalErrors.CONFIG_FAILED, given, "duplicate parameter");
            }
            targets.add(e);
        }
        Map<String, String> staged = new HashMap<>(values);
        for (int i = 0; i < pairs.size(); i++) {
            Entry e = targets.get(i);
            String canonical = e.param().name();
            ConfigParam.Parsed parsed = e.param().parse(pairs.get(i)[1], staged.get(canonical));
            if (parsed.error() != null) {
                return String.format(LocalErrors.CONFIG_FAILED, e.name(), parsed.error());
            }
            staged.put(canonical, parsed.value());
        }
        return staged;
    }
}
