package io.basalt.router.command.specs;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandSpec.Site;
import java.util.List;

/**
 * Commands the gateway sends to a shard on its own behalf; never visible to clients (COMMAND
 * hides them and the gateway refuses them from clients as unknown commands). Those also flagged
 * {@link Flag#ADMIN} are the admin tool's (backup and restore): hidden from COMMAND too, but the
 * gateway accepts them from any client, as Redis accepts SAVE, DUMP and RESTORE (see
 * docs/ARCHITECTURE.md, "Backup and restore").
 */
public final class InternalCommandSpecs {
    private InternalCommandSpecs() {}

    /** Name of the keyspace statistics query behind INFO keyspace/memory. */
    public static final String STATS = "basalt.stats";

    /** Name of the snapshot statistics query behind INFO persistence. */
    public static final String PERSISTENCE = "basalt.persistence";

    /** Pins a snapshot of the serving replica for a backup: {@code basalt.backup.open}. */
    public static final String BACKUP_OPEN = "basalt.backup.open";
    /** The next records of a pinned snapshot: {@code basalt.backup.read id after-key max-bytes}. */
    public static final String BACKUP_READ = "basalt.backup.read";
    /** Unpins it: {@code basalt.backup.close id}. */
    public static final String BACKUP_CLOSE = "basalt.backup.close";
    /** Puts one key from a backup record, replacing: {@code basalt.restore key record}. */
    public static final String RESTORE = "basalt.restore";

    public static List<CommandSpec> specs() {
        return List.of(
            CommandSpec.builder(STATS, 1, Site.SHARD)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Keyspace statistics of a shard: a map of keys, expires, used_memory and friends",
                      "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(PERSISTENCE, 1, Site.REPLICA)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Snapshot figures of the replica serving the read, as INFO persistence lines",
                      "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(BACKUP_OPEN, 1, Site.REPLICA)
                .flags(Flag.READONLY, Flag.ADMIN, Flag.INTERNAL)
                .docs("Pins a fresh snapshot of the serving replica for a backup: id, keys, term, index",
                      "0.1.0", "basalt", "O(N) for the snapshot, taken in the background")
                .build(),
            CommandSpec.builder(BACKUP_READ, 4, Site.REPLICA)
                .flags(Flag.READONLY, Flag.ADMIN, Flag.INTERNAL)
                .docs("The records of a pinned snapshot after a RocksDB key, up to a byte budget",
                      "0.1.0", "basalt", "O(N) where N is the number of records returned")
                .build(),
            CommandSpec.builder(BACKUP_CLOSE, 2, Site.REPLICA)
                .flags(Flag.READONLY, Flag.ADMIN, Flag.INTERNAL)
                .docs("Unpins a snapshot opened for a backup", "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(RESTORE, 3, Site.SHARD)
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.ADMIN, Flag.INTERNAL)
                .keys(1, 1, 1)
                .docs("Puts a key from a backup record (value, encoding, expiry), replacing it",
                      "0.1.0", "basalt", "O(N) where N is the size of the value")
                .build());
    }
}
