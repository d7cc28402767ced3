package io.basalt.router.command;

import io.basalt.router.command.specs.BitmapCommandSpecs;
import io.basalt.router.command.specs.ClusterCommandSpecs;
import io.basalt.router.command.specs.ConnectionCommandSpecs;
import io.basalt.router.command.specs.GeoCommandSpecs;
import io.basalt.router.command.specs.HashCommandSpecs;
import io.basalt.router.command.specs.HashFieldTtlCommandSpecs;
import io.basalt.router.command.specs.HyperLogLogCommandSpecs;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.command.specs.KeyCommandSpecs;
import io.basalt.router.command.specs.ListCommandSpecs;
import io.basalt.router.command.specs.ServerCommandSpecs;
import io.basalt.router.command.specs.SortedSetCommandSpecs;
import io.basalt.router.command.specs.SetCommandSpecs;
import io.basalt.router.command.specs.StringCommandSpecs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every command Basalt knows, by name. Immutable and shared: built once from the per-family spec
 * classes. Lookups are case-insensitive and allocation-free for the common case of an ASCII
 * command name, because the gateway looks up every command it receives.
 */
public final class CommandTable {

    private static final CommandTable DEFAULT = new CommandTable(families());

    private final Map<String, CommandSpec> byName;
    private final List<CommandSpec> all;

    public CommandTable(Collection<CommandSpec> specs) {
        Map<String, CommandSpec> map = new HashMap<>();
        for (CommandSpec spec : specs) {
            if (map.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("command specified twice: " + spec.name());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
        List<CommandSpec> sorted = new ArrayList<>(specs);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        this.all = List.copyOf(sorted);
    }

    /** The table of every command Basalt implements. */
    public static CommandTable standard() {
        return DEFAULT;
    }

    private static List<CommandSpec> families() {
        List<CommandSpec> specs = new ArrayList<>();
        specs.addAll(ConnectionCommandSpecs.specs());
        specs.addAll(ServerCommandSpecs.specs());
        specs.addAll(StringCommandSpecs.specs());
        specs.addAll(KeyCommandSpecs.specs());
        specs.addAll(SortedSetCommandSpecs.specs());
        specs.addAll(SetCommandSpecs.specs());
        specs.addAll(ListCommandSpecs.specs());
        specs.addAll(HashCommandSpecs.specs());
        specs.addAll(HashFieldTtlCommandSpecs.specs());
        specs.addAll(BitmapCommandSpecs.specs());
        specs.addAll(GeoCommandSpecs.specs());
        specs.addAll(HyperLogLogCommandSpecs.specs());
        specs.addAll(ClusterCommandSpecs.specs());
        specs.addAll(InternalCommandSpecs.specs());
        return specs;
    }

    /** The top-level spec for a command name given as raw bytes, or null. */
    public CommandSpec lookup(byte[] name) {
        if (name.length > 64) {
            return null;
        }
        return byName.get(lowerAscii(name));
    }

    /** The top-level spec for a command name, or null. */
    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The subcommand spec of a container, e.g. ("client", "setname"), or null when the container
     * has no such subcommand.
     */
    public static CommandSpec subcommand(CommandSpec container, byte[] sub) {
        if (sub.length > 64) {
            return null;
        }
        String wanted = container.name() + "|" + lowerAscii(sub);
        for (CommandSpec s : container.subcommands()) {
            if (s.name().equals(wanted)) {
                return s;
            }
        }
        return null;
    }

    /** Every top-level spec, sorted by name. Includes internal ones. */
    public List<CommandSpec> all() {
        return all;
    }

    /** Every top-level spec a client may see (not {@link CommandSpec.Flag#INTERNAL}). */
    public List<CommandSpec> visible() {
        return all.stream().filter(s -> !s.has(CommandSpec.Flag.INTERNAL)).toList();
    }

    /** Every spec including subcommands, flattened. */
    public List<CommandSpec> allWithSubcommands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : all) {
            out.add(s);
            out.addAll(s.subcommands());
        }
        return out;
    }

    private static String lowerAscii(byte[] name) {
        char[] chars = new char[name.length];
        for (int i = 0; i < name.length; i++) {
            int c = name[i] & 0xff;
            chars[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return new String(chars);
    }

}
