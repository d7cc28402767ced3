package io.basalt.cli;

import io.basalt.node.server.StorageOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** A node's storage options, shared by {@code basalt node} and {@code basalt local}. */
final class StorageArguments {

    @Option(names = "--durability", defaultValue = "fsync",
        description = "Node: when a write is acknowledged: fsync (after a majority fsynced it), async "
            + "(after a majority wrote it to its log file, fsynced right after) or memory (after a majority "
            + "has it in memory; no data on disk, a full restart loses it) (default ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = "--snapshot-every", defaultValue = "100000",
        description = "Node: applied log entries between automatic snapshots of a shard (default ${DEFAULT-VALUE}).")
    long snapshotEveryEntries;

    @Option(names = "--log-segment-mb", defaultValue = "32",
        description = "Node: Raft log segment size in MiB; the log is purged a segment at a time (default ${DEFAULT-VALUE}).")
    int logSegmentMb;

    StorageOptions storageOptions() {
        StorageOptions.Durability d = switch (durability) {
            case "fsync" -> StorageOptions.Durability.FSYNC;
            case "async" -> StorageOptions.Durability.ASYNC;
            case "memory" -> StorageOptions.Durability.MEMORY;
            default -> throw new IllegalArgumentException("--durability must be fsync, async or memory, not '" + durability + "'");
        };
        return new StorageOptions(d, snapshotEveryEntries, (long) logSegmentMb << 20);
    }

    /** The same options as command-line arguments, to pass on to a node process. */
    List<String> asArguments() {
        return List.of("--durability", durability, "--snapshot-every", Long.toString(snapshotEveryEntries),
            "--log-segment-mb", Integer.toString(logSegmentMb));
    }
}
