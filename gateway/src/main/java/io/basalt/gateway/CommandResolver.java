package io.basalt.gateway;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a client's command line into the spec that governs it, or into the error Redis would
 * give before executing anything: unknown command, unknown subcommand, wrong number of
 * arguments. Shared by every front end, so RESP and gRPC clients get the same errors.
 */
public final class CommandResolver {

    /** Redis echoes at most this much of a bad command line in its error. */
    private static final int ECHO_CHARS_MAX = 128;

    private final CommandTable table;

    public CommandResolver(CommandTable table) {
        this.table = table;
    }

    /** A resolved command: the spec to execute (a subcommand's for containers), or an error text. */
    public record Resolved(CommandSpec spec, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public Resolved resolve(List<byte[]> argv) {
        CommandSpec spec = table.lookup(argv.get(0));
        // INTERNAL and ADMIN: the admin tool's hidden commands, open like Redis's DUMP and RESTORE
        if (spec == null || (spec.has(CommandSpec.Flag.INTERNAL) && !spec.has(CommandSpec.Flag.ADMIN))) {
            return new Resolved(null, unknownCommand(argv));
        }
        if (!spec.arityAccepts(argv.size())) {
            return new Resolved(null, ErrorReplies.wrongArity(spec.name()));
        }
        if (!spec.isContainer() || argv.size() == 1) {
            // a container whose arity allows it alone (COMMAND) runs as itself
            return new Resolved(spec, null);
        }
        CommandSpec sub = CommandTable.subcommand(spec, argv.get(1));
        if (sub == null) {
            return new Resolved(null, ErrorReplies.unknownSubcommand(clip(argv.get(1), ECHO_CHARS_MAX), spec.name()));
        }
        if (!sub.arityAccepts(argv.size())) {
            return new Resolved(null, ErrorReplies.wrongArity(sub.name()));
        }
        return new Resolved(sub, null);
    }

    /** Redis's text: the name clipped to 128 chars, then arguments while under 128 chars. */
    private static String unknownCommand(List<byte[]> argv) {
        List<String> args = new ArrayList<>();
        int length = 0;
        for (int i = 1; i < argv.size() && length < ECHO_CHARS_MAX; i++) {
            String a = clip(argv.get(i), ECHO_CHARS_MAX - length);
            args.add(a);
            length += a.length() + 3;
        }
        return ErrorReplies.unknownCommand(clip(argv.get(0), ECHO_CHARS_MAX), args);
    }

    private static String clip(byte[] raw, int max) {
        String s = new String(raw, 0, Math.min(raw.length, Math.max(0, max)), StandardCharsets.UTF_8);
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
