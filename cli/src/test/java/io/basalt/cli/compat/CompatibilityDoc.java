package io.basalt.cli.compat;

import io.basalt.gateway.local.GatewayInfo;
import io.basalt.gateway.local.LocalCommands;
import io.basalt.gateway.local.ShardStats;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.node.engine.Keyspace;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Builds docs/compatibility.md: every command of Redis 7.0 (the list redis-server itself gives,
 * written to redis-commands.tsv by scripts/gen-redis-command-list.py), marked supported, partial
 * or not yet, grouped as Redis groups them. What Basalt implements is read from the code: a
 * command counts when it has a visible spec in the command table and a handler, in the engine
 * (shard commands) or in the gateway's LocalCommands. A new family is picked up as soon as it is
 * registered; the only hand-kept list is {@link #PARTIAL_NOTES}. CompatibilityDocTest fails when
 * the checked-in file differs from what this class builds.
 */
final class CompatibilityDoc {

    /**
     * Implemented commands that still fall short of Redis 7.0 in a way a user meets, with what
     * is missing. (A container missing some of Redis's subcommands is found without a note.)
     * Keep each note short; the engine's package-info has the detail.
     */
    static final Map<String, String> PARTIAL_NOTES = notes(
        "sort", "BY/GET patterns and STORE must stay in the key's hash slot (Redis Cluster's rule, applied on one shard too)",
        "sort_ro", "BY/GET patterns must stay in the key's hash slot (Redis Cluster's rule, applied on one shard too)",
        "select", "database 0 only",
        "copy", "DB option: database 0 only",
        "hello", "AUTH accepts the default user only (no ACL users yet)",
        "cluster", "with `--cluster-mode enabled`: each gateway presents itself as master of all slots, the other gateways as its replicas",
        "readonly", "with `--cluster-mode enabled`: the connection's reads are served by followers, linearizable by default or stale (`--replica-reads`)");

    enum Status {
        SUPPORTED("supported"), PARTIAL("partial"), NOT_YET("not yet");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    /** One line of redis-commands.tsv: a command or "container|sub". */
    record RedisCommand(String name, String group, String summary) {}

    record Row(RedisCommand command, Status status, String note) {}

    private CompatibilityDoc() {}

    /** The document for the code as built: engine, gateway and spec table. */
    static String generate() throws IOException {
        return generate(redisCommands(), implemented(), CommandTable.standard());
    }

    /** Full names with a handler in the engine, the shard state machine or the gateway. */
    static Set<String> implemented() {
        Set<String> names = new HashSet<>(new Keyspace().commandNames());
        names.addAll(io.basalt.node.statemachine.ShardStateMachine.commandNames());
        ShardStats noShards = () -> CompletableFuture.completedFuture(new ShardStats.Keyspace(0, 0, 0, 0));
        GatewayInfo info = GatewayInfo.builder(new ClientRegistry(() -> 0L), noShards).build();
        names.addAll(new LocalCommands(info).names());
        return names;
    }

    static List<RedisCommand> redisCommands() throws IOException {
        List<RedisCommand> out = new ArrayList<>();
        try (InputStream in = CompatibilityDoc.class.getResourceAsStream("redis-commands.tsv")) {
            if (in == null) {
                throw new IOException("redis-commands.tsv is missing: run scripts/gen-redis-command-list.py");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3) {
                    throw new IOException("bad line in redis-commands.tsv: " + line);
                }
                out.add(new RedisCommand(f[0], f[1], f[2]));
            }
        }
        return out;
    }

    /**
     * The rows of the table. A plain command is supported when implemented (partial when it has a
     * note); a container by its subcommands: all implemented is supported, some is partial (the
     * implemented ones listed), none is not yet unless the container itself runs (COMMAND).
     */
    static List<Row> rows(List<RedisCommand> redis, Set<String> implemented, CommandTable table) {
        Set<String> usable = usable(implemented, table);
        Map<String, List<RedisCommand>> subs = new TreeMap<>();
        for (RedisCommand c : redis) {
            int bar = c.name().indexOf('|');
            if (bar > 0) {
                subs.computeIfAbsent(c.name().substring(0, bar), k -> new ArrayList<>()).add(c);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (RedisCommand c : redis) {
            if (c.name().indexOf('|') > 0) {
                continue;
            }
            List<RedisCommand> children = subs.getOrDefault(c.name(), List.of());
            String note = PARTIAL_NOTES.get(c.name());
            if (children.isEmpty()) {
                Status s = !usable.contains(c.name()) ? Status.NOT_YET : note != null ? Status.PARTIAL : Status.SUPPORTED;
                rows.add(new Row(c, s, s == Status.PARTIAL ? note : ""));
                continue;
            }
            List<String> have = new ArrayList<>();
            for (RedisCommand sub : children) {
                if (usable.contains(sub.name())) {
                    have.add(sub.name().substring(sub.name().indexOf('|') + 1).toUpperCase(Locale.ROOT));
                }
            }
            if (have.isEmpty() && !usable.contains(c.name())) {
                rows.add(new Row(c, Status.NOT_YET, ""));
            } else if (have.size() == children.size() && note == null) {
                rows.add(new Row(c, Status.SUPPORTED, ""));
            } else {
                String subText = have.size() == children.size() ? ""
                        : "subcommands " + String.join(", ", have) + " (" + have.size() + " of " + children.size() + ")";
                String text = note == null ? subText : subText.isEmpty() ? note : subText + "; " + note;
                rows.add(new Row(c, Status.PARTIAL, text));
            }
        }
        return rows;
    }

    /** Implemented names that a client can call: with a visible spec (internal ones excluded). */
    private static Set<String> usable(Set<String> implemented, CommandTable table) {
        Set<String> usable = new HashSet<>();
        for (CommandSpec spec : table.visible()) {
            if (implemented.contains(spec.name())) {
                usable.add(spec.name());
            }
            for (CommandSpec sub : spec.subcommands()) {
                if (implemented.contains(sub.name())) {
                    usable.add(sub.name());
                }
            }
        }
        return usable;
    }

    static String generate(List<RedisCommand> redis, Set<String> implemented, CommandTable table) {
        List<Row> rows = rows(redis, implemented, table);
        Map<String, List<Row>> byGroup = new TreeMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.command().group(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Redis 7.0 compatibility\n\n")
          .append("Generated by `CompatibilityDoc` (cli tests) from the command spec table, the handlers of the engine\n")
          .append("and of the gateway, and the command list of redis-server 7.0.15\n")
          .append("(`scripts/gen-redis-command-list.py`). Do not edit: regenerate with\n\n")
          .append("    ").append(CompatibilityDocTest.REGENERATE).append("\n\n")
          .append("*Supported* commands answer as Redis 7.0.15 does, byte for byte, apart from the deliberate\n")
          .append("differences listed in raft-node's `io.basalt.node.engine` package documentation (ordering of\n")
          .append("hash tables, random choices, a few limits). *Partial* says what is missing.\n\n");
        int[] total = new int[3];
        StringBuilder summary = new StringBuilder("| Group | Commands | Supported | Partial | Not yet |\n|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<Row>> g : byGroup.entrySet()) {
            int[] n = count(g.getValue());
            summary.append("| ").append(g.getKey()).append(" | ").append(g.getValue().size()).append(" | ")
                   .append(n[0]).append(" | ").append(n[1]).append(" | ").append(n[2]).append(" |\n");
            for (int i = 0; i < 3; i++) {
                total[i] += n[i];
            }
        }
        summary.append("| **all** | ").append(rows.size()).append(" | ").append(total[0]).append(" | ")
               .append(total[1]).append(" | ").append(total[2]).append(" |\n\n");
        md.append(summary);
        for (Map.Entry<String, List<Row>> g : byGroup.entrySet()) {
            int[] n = count(g.getValue());
            md.append("## ").append(g.getKey()).append(" (").append(n[0]).append(" supported, ").append(n[1])
              .append(" partial, ").append(n[2]).append(" not yet)\n\n")
              .append("| Command | Status | Notes |\n|---|---|---|\n");
            for (Row r : g.getValue()) {
                md.append("| ").append(r.command().name().toUpperCase(Locale.ROOT)).append(" | ").append(r.status().text)
                  .append(" | ").append(r.note().replace("|", "\\|")).append(" |\n");
            }
            md.append('\n');
        }
        List<String> extras = extras(redis, implemented, table);
        if (!extras.isEmpty()) {
            md.append("## Not in Redis 7.0\n\nImplemented by Basalt but not listed by redis-server 7.0.15 (newer Redis, or Basalt's own):\n")
              .append(String.join(", ", extras)).append(".\n");
        }
        return md.toString();
    }

    /** Implemented, visible commands and subcommands that Redis 7.0 does not list, as "CLIENT SETINFO". */
    private static List<String> extras(List<RedisCommand> redis, Set<String> implemented, CommandTable table) {
        Set<String> known = new HashSet<>();
        redis.forEach(c -> known.add(c.name()));
        Set<String> out = new TreeSet<>();
        for (String name : usable(implemented, table)) {
            if (!known.contains(name)) {
                out.add(name.replace('|', ' ').toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }

    private static int[] count(List<Row> rows) {
        int[] n = new int[3];
        rows.forEach(r -> n[r.status().ordinal()]++);
        return n;
    }

    private static Map<String, String> notes(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
