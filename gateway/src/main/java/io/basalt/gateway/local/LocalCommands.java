package io.basalt.gateway.local;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Site;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The commands the gateway answers itself, by full spec name ("ping", "client|id", "command"):
 * one {@link LocalCommand} per GATEWAY spec of the table in {@link GatewayInfo#commands()}, and
 * a spec for every handler. The constructor refuses a table and handler set that disagree, so a
 * gateway cannot start with a command it advertises but cannot answer.
 *
 * <p>What the connection handler does around it, per command line:
 * <ol>
 *   <li>Look up the top-level spec; for a container with a subcommand argument, the subcommand
 *       spec (CommandTable.subcommand); an unknown subcommand gets {@link #unknownSubcommand}.
 *       A container called without a subcommand is dispatched as the container itself (only
 *       COMMAND allows that; CLIENT and CONFIG fail their arity first).
 *   <li>Check arity against that spec (ErrorReplies.wrongArity with the spec's full name).
 *   <li>Call {@code session.recordCommand(spec.name(), now)} before executing, so that CLIENT
 *       INFO/LIST show the running command as Redis does, and count it in
 *       {@link GatewayStats#commandProcessed()}.
 *   <li>Execute, and transcode the reply with the session's protocol read after the future
 *       completes: HELLO and RESET change it, and their own reply is in the new protocol.
 *   <li>After writing the reply, close the connection if {@code session.closeAfterReply()} (QUIT).
 *       On RESET also drop connection state this package does not own (MULTI queue,
 *       subscriptions, READONLY). Count error replies in {@link GatewayStats#errorReplied()}.
 * </ol>
 * A future may complete on another thread (INFO waits for the shards), like routed commands.
 */
public final class LocalCommands {

    /** Redis prints at most this many bytes of an unknown subcommand's name ("%.128s"). */
    private static final int SUBCOMMAND_ECHO_BYTES_MAX = 128;

    private final Map<String, LocalCommand> byName;
    private final boolean clusterEnabled;

    public LocalCommands(GatewayInfo info) {
        this.clusterEnabled = info.cluster().enabled();
        CommandTable table = info.commands();
        Map<String, LocalCommand> handlers = handlers(info, table);
        Map<String, LocalCommand> kept = new LinkedHashMap<>();
        handlers.forEach((name, handler) -> {
            CommandSpec spec = spec(table, name);
            if (spec == null) {
                throw new IllegalStateException("local command without a spec: " + name);
            }
            if (spec.site() != Site.GATEWAY) {
                throw new IllegalStateException("local command whose spec runs on the shards: " + name);
            }
            kept.put(name, handler);
        });
        for (CommandSpec spec : table.allWithSubcommands()) {
            if (spec.site() == Site.GATEWAY && needsHandler(spec) && !kept.containsKey(spec.name())) {
                throw new IllegalStateException("GATEWAY spec without a local command: " + spec.name());
            }
        }
        this.byName = Collections.unmodifiableMap(kept);
    }

    private static Map<String, LocalCommand> handlers(GatewayInfo info, CommandTable table) {
        ConnectionCommands connection = new ConnectionCommands(info);
        ClientCommand client = new ClientCommand(info, table.lookup("client"));
        CommandIntrospection command = new CommandIntrospection(info);
        InfoCommand infoCommand = new InfoCommand(info);
        ConfigCommand config = new ConfigCommand(info);
        TimeCommand time = new TimeCommand(info);
        ClusterCommand cluster = new ClusterCommand(info);
        MetaCommands meta = new MetaCommands(info.meta());

        Map<String, LocalCommand> h = new LinkedHashMap<>();
        h.put("ping", connection::ping);
        h.put("echo", connection::echo);
        h.put("hello", connection::hello);
        h.put("select", connection::select);
        h.put("quit", connection::quit);
        h.put("reset", connection::reset);
        h.put("client|id", client::id);
        h.put("client|setname", client::setname);
        h.put("client|getname", client::getname);
        h.put("client|info", client::info);
        h.put("client|list", client::list);
        h.put("client|setinfo", client::setinfo);
        h.put("client|help", client::help);
        h.put("command", command::all);
        h.put("command|count", command::count);
        h.put("command|info", command::info);
        h.put("command|docs", command::docs);
        h.put("command|list", command::list);
        h.put("command|getkeys", command::getkeys);
        h.put("command|help", command::help);
        h.put("info", infoCommand::execute);
        h.put("time", time::execute);
        h.put("config|get", config::get);
        h.put("config|set", config::set);
        h.put("config|resetstat", config::resetstat);
        h.put("config|help", config::help);
        h.put("cluster|slots", cluster::slots);
        h.put("cluster|nodes", cluster::nodes);
        h.put("cluster|shards", cluster::shards);
        h.put("cluster|info", cluster::info);
        h.put("cluster|myid", cluster::myId);
        h.put("cluster|myshardid", cluster::myShardId);
        h.put("cluster|keyslot", cluster::keySlot);
        h.put("cluster|help", cluster::help);
        h.put("basalt.meta.status", meta::status);
        h.put("basalt.meta.write", meta::write);
        h.put("readonly", cluster::readOnly);
        h.put("readwrite", cluster::readWrite);
        h.put("asking", cluster::asking);
        return h;
    }

    /**
     * Whether a spec is ever executed itself: every plain command and subcommand, and a
     * container only when its arity allows calling it without a subcommand (COMMAND).
     */
    public static boolean needsHandler(CommandSpec spec) {
        return !spec.isContainer() || spec.arityAccepts(1);
    }

    private static CommandSpec spec(CommandTable table, String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return table.lookup(fullName);
        }
        CommandSpec container = table.lookup(fullName.substring(0, bar));
        return container == null ? null
                : CommandTable.subcommand(container, fullName.substring(bar + 1).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the gateway runs in cluster mode (see io.basalt.gateway.cluster.ClusterSettings). */
    public boolean clusterEnabled() {
        return clusterEnabled;
    }

    /** The handler for a spec (top-level or subcommand), or null when the gateway does not answer it. */
    public LocalCommand get(CommandSpec spec) {
        return byName.get(spec.name());
    }

    /** The handler for a full name such as "client|list", or null. */
    public LocalCommand get(String fullName) {
        return byName.get(fullName);
    }

    /** Every registered full name, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /**
     * Redis's reply to a container called with a subcommand it does not have:
     * {@code -ERR unknown subcommand 'foo'. Try CLIENT HELP.}, with the subcommand as the
     * client sent it (at most 128 bytes) and the container's name in capitals.
     */
    public static byte[] unknownSubcommand(byte[] sub, CommandSpec container) {
        byte[] shown = sub.length > SUBCOMMAND_ECHO_BYTES_MAX ? Arrays.copyOf(sub, SUBCOMMAND_ECHO_BYTES_MAX) : sub;
        return new RespWriter().error(ErrorReplies.unknownSubcommand(RedisText.text(shown), container.name())).toByteArray();
    }
}
