package io.basalt.node.engine;

import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The replicated part of CONFIG: the gateway validates CONFIG SET (Redis's ranges and errors)
 * and sends the parameters that change what the engine does to every shard as a log entry, so
 * every replica applies them at the same point of its history.
 *
 * <pre>
 * basalt.config.set name value [name value ...]   write; +OK, or an error naming an unknown name
 * basalt.config.get                               read; flat array of name, value
 * </pre>
 */
final class ConfigCommands extends CommandFamily {

    ConfigCommands(Db db) {
        super(db);
    }

    @Override
    void register(CommandRegistry registry) {
        registry.register(InternalCommandSpecs.CONFIG_SET, this::set);
        registry.register(InternalCommandSpecs.CONFIG_GET, this::get);
    }

    private void set(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        if (argv.size() % 2 == 0) {
            out.error("ERR wrong number of arguments for '" + InternalCommandSpecs.CONFIG_SET + "' command");
            return;
        }
        EncodingLimits probe = new EncodingLimits();
        for (int i = 1; i < argv.size(); i += 2) { // check all first: all or nothing
            String name = new String(argv.get(i), StandardCharsets.US_ASCII);
            if (!probe.set(name, new String(argv.get(i + 1), StandardCharsets.UTF_8))) {
                out.error("ERR invalid replicated config " + name);
                return;
            }
        }
        for (int i = 1; i < argv.size(); i += 2) {
            db.limits().set(new String(argv.get(i), StandardCharsets.US_ASCII), new String(argv.get(i + 1), StandardCharsets.UTF_8));
        }
        out.simple("OK");
    }

    private void get(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        Map<String, String> values = db.limits().values();
        out.array(values.size() * 2);
        values.forEach((name, value) -> out.bulk(name).bulk(value));
    }
}
