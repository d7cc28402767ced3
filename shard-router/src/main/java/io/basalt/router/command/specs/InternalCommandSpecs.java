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

    /** Write: sets replicated engine settings (CONFIG SET's encoding thresholds) on a shard. */
    public static final String CONFIG_SET = "basalt.config.set";
    /** Read: a shard's replicated engine settings, as a flat array of names and values. */
    public static final String CONFIG_GET = "basalt.config.get";

    /** Name of the snapshot statistics query behind INFO persistence. */
    public static final String PERSISTENCE = "basalt.persistence";

    // Blocking commands (BLPOP and friends; docs/ARCHITECTURE.md "Blocking commands"). Each takes
    // the blocked command's first key (for routing) and the waiter's token.
    /** Read: the served reply, or {@link #WAIT_REPLY} (after waiting up to a second), or {@link #GONE_REPLY}. */
    public static final String AWAIT = "basalt.await";
    /** Write: the served reply if any (kept until claimed), else removes the waiter and replies a null array. */
    public static final String UNBLOCK = "basalt.unblock";
    /** Write: forgets a served reply the gateway delivered; :1 or :0. */
    public static final String CLAIM = "basalt.claim";
    /** Write: extends a live waiter's lease; :1, or :0 when the waiter is gone. */
    public static final String RENEW = "basalt.renew";

    /** Error reply of a blocking command that blocked: "-BASALTBLOCKED token timeoutMs" (0 = forever). */
    public static final String BLOCKED_PREFIX = "BASALTBLOCKED ";
    /** Error reply of AWAIT: still waiting. */
    public static final String WAIT_REPLY = "BASALTWAIT";
    /** Error reply of AWAIT: neither waiting nor served (unblocked, expired, or claimed). */
    public static final String GONE_REPLY = "BASALTGONE";

    /**
     * Pins a snapshot of the serving replica for a backup: {@code basalt.backup.open [shard]}. The
     * gateway sends it to the shard named (by position in the slot map; 0 when absent) without that
     * argument, and answers the id prefixed {@code <shard>:} plus the shard's slot ranges.
     */
    public static final String BACKUP_OPEN = "basalt.backup.open";
    /** The next records of a pinned snapshot: {@code basalt.backup.read id after-key max-bytes}. */
    public static final String BACKUP_READ = "basalt.backup.read";
    /** Unpins it: {@code basalt.backup.close id}. */
    public static final String BACKUP_CLOSE = "basalt.backup.close";
    /** Puts one key from a backup record, replacing: {@code basalt.restore key record}. */
    public static final String RESTORE = "basalt.restore";

    // Slot ownership (cluster mode): each shard's log records which slots it owns; a keyed
    // command for a slot it does not own is answered MOVED_PREFIX + slot, never executed.
    /** Error reply of a shard to a keyed command for a slot it does not own: "-BASALTMOVED slot". */
    public static final String MOVED_PREFIX = "BASALTMOVED ";
    /** Read: the slot ranges the shard owns, as a flat array of integers start, end, start, end... */
    public static final String SLOTS = "basalt.slots";
    /** Write: the shard takes the slots of the ranges ({@code 0-100 200 ...}); :N slots newly owned. */
    public static final String SLOTS_OWN = "basalt.slots.own";
    /** Write: the shard gives up the slots of the ranges; :N slots no longer owned. */
    public static final String SLOTS_DISOWN = "basalt.slots.disown";

    // Slot migration (docs/ARCHITECTURE.md "Moving slots between shards"). Every basalt.slots*
    // command sent through the gateway carries the shard (its position in the slot map) as first
    // argument, which the gateway routes by and strips; the shard's own command has no such argument.
    /** Read: {@code basalt.slots.state slot}: [owned, migrating, frozen, changed keys, keys] as integers. */
    public static final String SLOTS_STATE = "basalt.slots.state";
    /** Write: {@code basalt.slots.migrate-start slot}: the source records the slot's changed keys from now on. */
    public static final String SLOTS_MIGRATE_START = "basalt.slots.migrate-start";
    /** Write: {@code basalt.slots.freeze slot}: the source refuses writes to the slot with {@link #FROZEN_PREFIX}. */
    public static final String SLOTS_FREEZE = "basalt.slots.freeze";
    /** Read: {@code basalt.slots.export slot cursor max-bytes}: [more, key, record, ...] walking the slot. */
    public static final String SLOTS_EXPORT = "basalt.slots.export";
    /** Read: {@code basalt.slots.export-changed slot cursor max-bytes}: the changed keys; an empty record = deleted. */
    public static final String SLOTS_EXPORT_CHANGED = "basalt.slots.export-changed";
    /** Write: {@code basalt.slots.put slot key record [key record ...]}: the target stores (empty record: deletes) keys of a slot it does not own. */
    public static final String SLOTS_PUT = "basalt.slots.put";
    /** Error reply to a write for a frozen slot: "-TRYAGAIN slot N is moving to another shard". Retryable: not executed. */
    public static final String FROZEN_PREFIX = "TRYAGAIN slot ";

    // Node-local channel: sent to one named replica as a Ratis stale read, answered by it about
    // itself outside the log (chaos harness, drills, and the replicas' own leadership checks).
    // The gateway sends only the last two, for follower reads (READONLY connections).
    /** This replica's id, pid, role, term, leader, applied index and clock offset, as name/value pairs. */
    public static final String NODE_INFO = "basalt.node.info";
    /** Sets this node's clock offset in ms (only with --allow-fault-injection). */
    public static final String NODE_CLOCK_OFFSET = "basalt.node.clock-offset";
    /** This replica's current term and known leader: the leadership confirmation's question. */
    public static final String NODE_TERM = "basalt.node.term";
    /**
     * On the leader: its applied index after a leadership confirmation, the read index of
     * linearizable follower reads. Fails (the request, not a reply) on any other replica.
     */
    public static final String NODE_READ_INDEX = "basalt.node.read-index";
    /** This replica's applied index, unconfirmed: the gateway's sample of what its stale reads must include. */
    public static final String NODE_APPLIED_INDEX = "basalt.node.applied-index";

    // The metadata group (docs/ARCHITECTURE.md "The metadata group"), answered by the gateway,
    // which holds a client of the group: the admin tool's window onto nodes and shards.
    /** Read: the metadata state and the leader's node health, as a serialized MetaReply (bulk string). */
    public static final String META_STATUS = "basalt.meta.status";
    /** Write: {@code basalt.meta.write <serialized MetaRequest>}: the MetaReply, serialized (bulk string). */
    public static final String META_WRITE = "basalt.meta.write";

    public static List<CommandSpec> specs() {
        return List.of(
            CommandSpec.builder(STATS, 1, Site.SHARD)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Keyspace statistics of a shard: a map of keys, expires, used_memory and friends",
                      "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(CONFIG_SET, -3, Site.SHARD)
                .flags(Flag.WRITE, Flag.INTERNAL)
                .docs("Sets replicated engine settings (CONFIG SET's encoding thresholds) on a shard",
                      "0.1.0", "basalt", "O(N)")
                .build(),
            CommandSpec.builder(CONFIG_GET, 1, Site.SHARD)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("A shard's replicated engine settings, as names and values", "0.1.0", "basalt", "O(1)")
                .build(),
            CommandSpec.builder(PERSISTENCE, 1, Site.REPLICA)
                .flags(Flag.READONLY, Flag.INTERNAL)
                .docs("Snapshot figures of the replica serving the read, as INFO persistence lines",
                      "0.1.0", "basalt", "O(1)")
                .build(),
            internal(AWAIT, Flag.READONLY, "Waits up to a second for a blocked command's reply"),
            internal(UNBLOCK, Flag.WRITE, "Ends a blocked command: its served reply, or a timeout"),
            internal(CLAIM, Flag.WRITE, "Forgets a blocked command's served reply once delivered"),
            internal(RENEW, Flag.WRITE, "Extends the lease of a blocked command"),
            CommandSpec.builder(BACKUP_OPEN, -1, Site.REPLICA) // [shard]: the gateway routes by it and strips it
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
                .build(),
            CommandSpec.builder(SLOTS, -1, Site.SHARD)
                .flags(Flag.READONLY, Flag.ADMIN, Flag.INTERNAL)
                .docs("The slot ranges a shard owns, as start and end integers", "0.1.0", "basalt", "O(slots)")
                .build(),
            CommandSpec.builder(SLOTS_OWN, -2, Site.SHARD)
                .flags(Flag.WRITE, Flag.ADMIN, Flag.INTERNAL)
                .docs("Gives a shard the slots of the ranges (slot or start-end)", "0.1.0", "basalt", "O(slots)")
                .build(),
            CommandSpec.builder(SLOTS_DISOWN, -2, Site.SHARD)
                .flags(Flag.WRITE, Flag.ADMIN, Flag.INTERNAL)
                .docs("Takes the slots of the ranges (slot or start-end) from a shard, deleting their keys",
                      "0.1.0", "basalt", "O(slots + keys deleted)")
                .build(),
            migration(SLOTS_STATE, -2, Flag.READONLY, "A slot's owned, migrating, frozen flags and key counts", "O(1)"),
            migration(SLOTS_MIGRATE_START, -2, Flag.WRITE, "Starts recording the changed keys of a slot to move", "O(1)"),
            migration(SLOTS_FREEZE, -2, Flag.WRITE, "Refuses writes to a migrating slot with TRYAGAIN", "O(1)"),
            migration(SLOTS_EXPORT, -4, Flag.READONLY, "The records of a slot's keys after a cursor, up to a byte budget",
                "O(N) where N is the number of keys returned"),
            migration(SLOTS_EXPORT_CHANGED, -4, Flag.READONLY, "The records of a slot's changed keys after a cursor",
                "O(N) where N is the number of keys returned"),
            migration(SLOTS_PUT, -4, Flag.WRITE, "Stores or deletes keys of a slot this shard does not own",
                "O(N) where N is the size of the values"),
            CommandSpec.builder(META_STATUS, 1, Site.GATEWAY)
                .flags(Flag.READONLY, Flag.ADMIN, Flag.INTERNAL)
                .docs("The metadata group's nodes, shards and node health, serialized", "0.1.0", "basalt", "O(nodes + shards)")
                .build(),
            CommandSpec.builder(META_WRITE, 2, Site.GATEWAY)
                .flags(Flag.WRITE, Flag.ADMIN, Flag.INTERNAL)
                .docs("Applies a serialized change to the metadata group", "0.1.0", "basalt", "O(nodes + shards)")
                .build(),
            nodeLocal(NODE_INFO, 1, "A replica's id, pid, role, term, leader, applied index and clock offset"),
            nodeLocal(NODE_CLOCK_OFFSET, 2, "Skews a node's clock by an offset in ms (fault injection)"),
            nodeLocal(NODE_TERM, 1, "A replica's current term and leader, for leadership confirmation"),
            nodeLocal(NODE_READ_INDEX, 1, "The leader's applied index after a leadership confirmation"),
            nodeLocal(NODE_APPLIED_INDEX, 1, "A replica's applied index, unconfirmed"));
    }

    private static CommandSpec migration(String name, int arity, Flag access, String summary, String complexity) {
        return CommandSpec.builder(name, arity, Site.SHARD)
            .flags(access, Flag.ADMIN, Flag.INTERNAL)
            .docs(summary, "0.1.0", "basalt", complexity)
            .build();
    }

    private static CommandSpec nodeLocal(String name, int arity, String summary) {
        return CommandSpec.builder(name, arity, Site.REPLICA)
            .flags(Flag.READONLY, Flag.INTERNAL)
            .docs(summary, "0.1.0", "basalt", "O(1)")
            .build();
    }

    private static CommandSpec internal(String name, Flag access, String summary) {
        return CommandSpec.builder(name, 3, Site.SHARD)
            .flags(access, Flag.INTERNAL)
            .keys(1, 1, 1)
            .docs(summary, "0.1.0", "basalt", "O(1)")
            .build();
    }
}
