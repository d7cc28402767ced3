package io.basalt.node.engine;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command name → (spec, handler), looked up from the raw name bytes without allocating (every
 * command goes through here). Specs come from shard-router's {@link CommandTable}: a handler can
 * only be registered for a command the table knows, and {@link #specsWithoutHandler()} lists the
 * shard-side specs still lacking one (a test keeps it empty).
 *
 * <p>Open addressing with linear probing over lowercase ASCII names; case-insensitive compare.
 * Filled once at construction, read-only afterwards.
 */
final class CommandRegistry {

    /** A registered command; for a container, {@code handler} is null and {@code subcommands} is set. */
    static final class Command {
        final CommandSpec spec;
        final byte[] name;
        Handler handler;
        Command[] subcommands = new Command[0];

        Command(CommandSpec spec, String name) {
            this.spec = spec;
            this.name = name.getBytes(StandardCharsets.US_ASCII);
        }

        boolean isContainer() {
            return spec.isContainer();
        }

        /** The subcommand named by {@code sub} (any case), or null. */
        Command subcommand(byte[] sub) {
            for (Command c : subcommands) {
                if (equalsIgnoreCase(c.name, sub)) {
                    return c;
                }
            }
            return null;
        }
    }

    private final CommandTable table;
    private Command[] slots = new Command[64];
    private int count;

    CommandRegistry(CommandTable table) {
        this.table = table;
    }

    /**
     * Registers the handler of a command, "get", or of a subcommand, "object|encoding".
     *
     * @throws IllegalStateException when the spec table has no such shard-side command, or it is
     *     registered twice: both are bugs in the engine, found by any test that builds one
     */
    void register(String fullName, Handler handler) {
        int bar = fullName.indexOf('|');
        String top = bar < 0 ? fullName : fullName.substring(0, bar);
        CommandSpec topSpec = table.lookup(top);
        // a gateway container may have shard subcommands (CLUSTER COUNTKEYSINSLOT); checked below
        check(topSpec != null && (topSpec.site() == CommandSpec.Site.SHARD || (bar >= 0 && topSpec.isContainer())),
            "no shard command spec for " + fullName);
        Command cmd = lookup(top.getBytes(StandardCharsets.US_ASCII));
        if (cmd == null) {
            cmd = new Command(topSpec, top);
            put(cmd);
        }
        if (bar < 0) {
            check(!topSpec.isContainer(), fullName + " is a container; register its subcommands");
            check(cmd.handler == null, fullName + " registered twice");
            cmd.handler = handler;
            return;
        }
        byte[] subName = fullName.substring(bar + 1).getBytes(StandardCharsets.US_ASCII);
        CommandSpec subSpec = CommandTable.subcommand(topSpec, subName);
        check(subSpec != null && subSpec.site() == CommandSpec.Site.SHARD, "no shard subcommand spec for " + fullName);
        check(cmd.subcommand(subName) == null, fullName + " registered twice");
        Command sub = new Command(subSpec, new String(subName, StandardCharsets.US_ASCII));
        sub.handler = handler;
        cmd.subcommands = Arrays.copyOf(cmd.subcommands, cmd.subcommands.length + 1);
        cmd.subcommands[cmd.subcommands.length - 1] = sub;
    }

    /** The command named by {@code name} (any case), or null. */
    Command lookup(byte[] name) {
        int mask = slots.length - 1;
        for (int i = hashIgnoreCase(name) & mask; ; i = (i + 1) & mask) {
            Command c = slots[i];
            if (c == null) {
                return null;
            }
            if (equalsIgnoreCase(c.name, name)) {
                return c;
            }
        }
    }

    /** Shard-side specs (commands and subcommands) that have no handler, by full name. */
    List<String> specsWithoutHandler() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            if (spec.site() != CommandSpec.Site.SHARD
                    && spec.subcommands().stream().noneMatch(sub -> sub.site() == CommandSpec.Site.SHARD)) {
                continue;
            }
            Command cmd = lookup(spec.name().getBytes(StandardCharsets.US_ASCII));
            if (!spec.isContainer()) {
                if (cmd == null || cmd.handler == null) {
                    missing.add(spec.name());
                }
                continue;
            }
            for (CommandSpec sub : spec.subcommands()) {
                if (sub.site() != CommandSpec.Site.SHARD) {
                    continue;
                }
                byte[] subName = sub.shortName().getBytes(StandardCharsets.US_ASCII);
                if (cmd == null || cmd.subcommand(subName) == null) {
                    missing.add(sub.name());
                }
            }
        }
        return missing;
    }

    /** Full names of every registered handler ("get", "object|encoding"), sorted. */
    List<String> handlerNames() {
        List<String> names = new ArrayList<>();
        for (Command c : slots) {
            if (c == null) {
                continue;
            }
            if (c.handler != null) {
                names.add(c.spec.name());
            }
            for (Command s : c.subcommands) {
                names.add(s.spec.name());
            }
        }
        names.sort(null);
        return names;
    }

    private void put(Command cmd) {
        if ((count + 1) * 2 > slots.length) {
            Command[] old = slots;
            slots = new Command[old.length * 2];
            for (Command c : old) {
                if (c != null) {
                    insert(c);
                }
            }
        }
        insert(cmd);
        count++;
    }

    private void insert(Command cmd) {
        int mask = slots.length - 1;
        int i = hashIgnoreCase(cmd.name) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = cmd;
    }

    private static int hashIgnoreCase(byte[] name) {
        int h = 0x811c9dc5;
        for (byte b : name) {
            int c = b;
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            h = (h ^ c) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** {@code lower} is already lowercase ASCII. */
    private static boolean equalsIgnoreCase(byte[] lower, byte[] name) {
        if (lower.length != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            int c = name[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
