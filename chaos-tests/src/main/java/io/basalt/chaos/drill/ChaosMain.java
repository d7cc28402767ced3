package io.basalt.chaos.drill;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of chaos-tests' jar, reached through {@code bin/basalt drill ...}: drills a
 * user runs against their own cluster.
 */
@Command(name = "basalt", mixinStandardHelpOptions = true, subcommands = DrillCommand.class,
    description = "Basalt drills (the rest of the basalt command lives in cli/target/basalt.jar).")
public final class ChaosMain {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = new CommandLine(new ChaosMain()).execute(args);
        System.exit(code);
    }
}
