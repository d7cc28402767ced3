package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisGlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * COMMAND [COUNT | INFO | DOCS | LIST | GETKEYS | HELP]: the spec table as Redis 7.0 prints it.
 * Specs flagged INTERNAL do not exist as far as clients can tell.
 *
 * <p>The spec table holds what the generator takes from Redis (name, arity, flags, first/last/
 * step, ACL categories, summary/since/group/complexity) and not tips, key-spec flags, argument
 * docs or history. So COMMAND INFO prints no tips and one key spec derived from first/last/step
 * (begin_search index, find_keys range, as Redis prints a range spec) with empty flags, and
 * COMMAND DOCS prints no "arguments" or "history".
 */
final class CommandIntrospection {

    private static final List<String> HELP = List.of(
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.");

    private final CommandTable table;
    private final List<CommandSpec> visible;

    CommandIntrospection(GatewayInfo info) {
        this.table = info.commands();
        this.visible = table.visible();
    }

    static boolean isVisible(CommandSpec spec) {
        return !spec.has(Flag.INTERNAL);
    }

    /** COMMAND: every visible command's INFO entry. */
    CompletableFuture<byte[]> all(ClientSession session, List<byte[]> argv) {
        RespWriter w = new RespWriter(64 * 1024);
        w.array(visible.size());
        for (CommandSpec spec : visible) {
            writeInfo(w, spec);
        }
        return Replies.done(w);
    }

    /** COMMAND COUNT */
    CompletableFuture<byte[]> count(ClientSession session, List<byte[]> argv) {
        return Replies.integer(visible.size());
    }

    /** COMMAND INFO [command-name ...]: unknown names answer null in their position; no name means all. */
    CompletableFuture<byte[]> info(ClientSession session, List<byte[]> argv) {
        if (argv.size() == 2) {
            return all(session, argv);
        }
        RespWriter w = new RespWriter(1024);
        w.array(argv.size() - 2);
        for (int i = 2; i < argv.size(); i++) {
            CommandSpec spec = resolve(RedisText.text(argv.get(i)));
            if (spec == null) {
                w.nullBulk();
            } else {
                writeInfo(w, spec);
            }
        }
        return Replies.done(w);
    }

    /** COMMAND DOCS [command-name ...]: a map; unknown names are left out; no name means all. */
    CompletableFuture<byte[]> docs(ClientSession session, List<byte[]> argv) {
        List<CommandSpec> specs = new ArrayList<>();
        if (argv.size() == 2) {
            specs.addAll(visible);
        } else {
            for (int i = 2; i < argv.size(); i++) {
                CommandSpec spec = resolve(RedisText.text(argv.get(i)));
                if (spec != null) {
                    specs.add(spec); // repeated names repeat, as in Redis
                }
            }
        }
        RespWriter w = new RespWriter(16 * 1024);
        w.map(specs.size());
        for (CommandSpec spec : specs) {
            w.bulk(spec.name());
            writeDocs(w, spec);
        }
        return Replies.done(w);
    }

    /**
     * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: full names,
     * subcommands included ("client|id"). There are no modules, so MODULE matches nothing; an
     * unknown category matches nothing; PATTERN is a case-insensitive glob on the full name.
     */
    CompletableFuture<byte[]> list(ClientSession session, List<byte[]> argv) {
        Predicate<CommandSpec> filter = s -> true;
        for (int i = 2; i < argv.size(); i++) {
            int more = argv.size() - 1 - i;
            if (!RedisText.text(argv.get(i)).equalsIgnoreCase("filterby") || more != 2) {
                return Replies.error(ErrorReplies.SYNTAX);
            }
            String type = RedisText.text(argv.get(i + 1)).toLowerCase(Locale.ROOT);
            byte[] rawArg = argv.get(i + 2);
            String arg = RedisText.text(rawArg);
            switch (type) {
                case "module" -> filter = s -> false;
                case "aclcat" -> filter = s -> s.aclCategories().stream().anyMatch(c -> c.equalsIgnoreCase(arg));
                case "pattern" -> filter = s -> RedisGlob.matches(rawArg, s.name().getBytes(StandardCharsets.UTF_8), true);
                default -> {
                    return Replies.error(ErrorReplies.SYNTAX);
                }
            }
            i += 2;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : visible) {
            if (filter.test(spec)) {
                names.add(spec.name());
            }
            for (CommandSpec sub : spec.subcommands()) {
                if (isVisible(sub) && filter.test(sub)) {
                    names.add(sub.name());
                }
            }
        }
        RespWriter w = new RespWriter(names.size() * 16 + 16);
        w.array(names.size());
        for (String name : names) {
            w.bulk(name);
        }
        return Replies.done(w);
    }

    /**
     * COMMAND GETKEYS command [arg ...]: the key arguments by the spec's key positions. Checks
     * in Redis's order: the command exists, it has keys at all, then its arity.
     */
    CompletableFuture<byte[]> getkeys(ClientSession session, List<byte[]> argv) {
        List<byte[]> line = argv.subList(2, argv.size());
        CommandSpec spec = table.lookup(line.get(0));
        if (spec != null && spec.isContainer() && line.size() > 1) {
            spec = CommandTable.subcommand(spec, line.get(1));
        }
        if (spec == null || !isVisible(spec)) {
            return Replies.error(LocalErrors.INVALID_COMMAND);
        }
        if (spec.firstKey() == 0 && !spec.hasCountedKeys()) {
            return Replies.error(LocalErrors.NO_KEY_ARGS);
        }
        if (!spec.arityAccepts(line.size())) {
            return Replies.error(LocalErrors.INVALID_ARG_COUNT);
        }
        int[] positions = spec.keyPositions(line);
        if (positions.length == 0) {
            return spec.has(Flag.NO_MANDATORY_KEYS)
                    ? Replies.done(new RespWriter().array(0))
                    : Replies.error(LocalErrors.INVALID_ARGS);
        }
        RespWriter w = new RespWriter(256);
        w.array(positions.length);
        for (int p : positions) {
            w.bulk(line.get(p));
        }
        return Replies.done(w);
    }

    /** COMMAND HELP */
    CompletableFuture<byte[]> help(ClientSession session, List<byte[]> argv) {
        return Replies.help("COMMAND", HELP);
    }

    /** A visible spec by full name, "get" or "client|id", any case; null when there is none. */
    CommandSpec resolve(String fullName) {
        String[] parts = fullName.split("\\|", -1);
        if (parts.length > 2) {
            return null;
        }
        CommandSpec spec = table.lookup(parts[0]);
        if (spec != null && parts.length == 2) {
            spec = CommandTable.subcommand(spec, parts[1].getBytes(StandardCharsets.UTF_8));
        }
        return spec != null && isVisible(spec) ? spec : null;
    }

    /**
     * One COMMAND INFO entry, Redis 7.0's ten elements: name, arity, flags, first key, last key,
     * step, ACL categories, tips, key specs, subcommands. Flags and categories are sets of status
     * strings; an empty tips/key-specs/subcommands list is an empty set, as Redis writes it.
     */
    static void writeInfo(RespWriter w, CommandSpec spec) {
        w.array(10);
        w.bulk(spec.name());
        w.integer(spec.arity());
        List<Flag> flags = spec.flags().stream().filter(f -> f != Flag.INTERNAL).toList();
        w.set(flags.size());
        for (Flag f : flags) {
            w.simple(f.redisName());
        }
        w.integer(spec.firstKey());
        w.integer(spec.lastKey());
        w.integer(spec.keyStep());
        w.set(spec.aclCategories().size());
        for (String category : spec.aclCategories()) {
            w.simple("@" + category);
        }
        w.set(0); // tips: not in the spec table
        writeKeySpecs(w, spec);
        List<CommandSpec> subs = spec.subcommands().stream().filter(CommandIntrospection::isVisible).toList();
        if (subs.isEmpty()) {
            w.set(0);
        } else {
            w.array(subs.size());
            for (CommandSpec sub : subs) {
                writeInfo(w, sub);
            }
        }
    }

    /** The range key spec first/last/step describe: lastkey is relative to the first key when not negative. */
    private static void writeKeySpecs(RespWriter w, CommandSpec spec) {
        if (spec.firstKey() == 0) {
            w.set(0);
            return;
        }
        int lastKey = spec.lastKey() < 0 ? spec.lastKey() : spec.lastKey() - spec.firstKey();
        w.set(1);
        w.map(3);
        w.bulk("flags").set(0);
        w.bulk("begin_search").map(2);
        w.bulk("type").bulk("index");
        w.bulk("spec").map(1).bulk("index").integer(spec.firstKey());
        w.bulk("find_keys").map(2);
        w.bulk("type").bulk("range");
        w.bulk("spec").map(3);
        w.bulk("lastkey").integer(lastKey);
        w.bulk("keystep").integer(spec.keyStep());
        w.bulk("limit").integer(0);
    }

    /** One COMMAND DOCS entry: summary, since, group, complexity (absent ones left out, group always), subcommands. */
    static void writeDocs(RespWriter w, CommandSpec spec) {
        CommandSpec.Docs d = spec.docs();
        List<CommandSpec> subs = spec.subcommands().stream().filter(CommandIntrospection::isVisible).toList();
        int pairs = 1 + (d.summary().isEmpty() ? 0 : 1) + (d.since().isEmpty() ? 0 : 1)
                + (d.complexity().isEmpty() ? 0 : 1) + (subs.isEmpty() ? 0 : 1);
        w.map(pairs);
        if (!d.summary().isEmpty()) {
            w.bulk("summary").bulk(d.summary());
        }
        if (!d.since().isEmpty()) {
            w.bulk("since").bulk(d.since());
        }
        w.bulk("group").bulk(d.group());
        if (!d.complexity().isEmpty()) {
            w.bulk("complexity").bulk(d.complexity());
        }
        if (!subs.isEmpty()) {
            w.bulk("subcommands").map(subs.size());
            for (CommandSpec sub : subs) {
                w.bulk(sub.name());
                writeDocs(w, sub);
            }
        }
    }
}
