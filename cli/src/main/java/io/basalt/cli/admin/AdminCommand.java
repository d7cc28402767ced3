package io.basalt.cli.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code basalt admin}: operations on a running cluster (one class per subcommand in this
 * package; backup and restore belong here too).
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Administer a running cluster.",
    subcommands = {ImportRdbCommand.class, BackupCommand.class, RestoreCommand.class, MoveSlotsCommand.class,
        StatusCommand.class, AddShardCommand.class, AddNodeCommand.class, RemoveNodeCommand.class, RebalanceCommand.class})
public final class AdminCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
