package io.basalt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code basalt} command. */
@Command(name = "basalt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Basalt: a strongly consistent, Raft-replicated, Redis-compatible in-memory store.",
    subcommands = {LocalCommand.class, NodeCommand.class, GatewayCommand.class, io.basalt.cli.admin.AdminCommand.class})
public final class Main implements Runnable {

    public static final String VERSION = "0.1.0";

    /**
     * Ratis's shaded gRPC logs through java.util.logging; only its warnings are kept, as for
     * everything else (simplelogger.properties). Held here because JUL keeps loggers weakly and
     * a collected logger forgets its level.
     */
    private static final java.util.logging.Logger RATIS_JUL = java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty");

    public static void main(String[] args) {
        RATIS_JUL.setLevel(java.util.logging.Level.WARNING);
        int code;
        try {
            code = new CommandLine(new Main()).execute(args);
        } catch (Throwable t) {
            // picocli handles exceptions, not errors; a server must not linger half-started
            t.printStackTrace();
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"basalt " + VERSION};
        }
    }
}
