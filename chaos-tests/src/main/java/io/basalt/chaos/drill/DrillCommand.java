package io.basalt.chaos.drill;

import picocli.CommandLine.Command;

/** {@code basalt drill}: drills against a running cluster. */
@Command(name = "drill", mixinStandardHelpOptions = true, subcommands = FailoverDrill.class,
    description = "Drills against a running cluster, with a checked history and a report.")
final class DrillCommand {
}
