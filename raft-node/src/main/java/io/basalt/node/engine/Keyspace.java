package io.basalt.node.engine;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandTable;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import java.util.Arrays;
import java.util.List;

/**
 * The keyspace engine of one shard: strings and generic key commands, Redis 7.0 semantics.
 *
 * <p><b>Dispatch.</b> {@link #execute} looks the command up in the {@link CommandRegistry}
 * (specs from shard-router's {@link CommandTable}), resolves a container's subcommand, checks
 * arity against the spec (the engine receives input from the network: a gateway bug must not
 * corrupt state), refuses a write command that arrives as a read, and runs the family handler.
 * Every user error is a reply; a RuntimeException out of a handler is a bug, reported to the
 * client as "ERR internal error" with any partial reply removed.
 *
 * <p><b>Determinism.</b> Replies and state depend only on the commands, their
 * {@link ExecContext}s (time and the random seed come from there) and the hash key given at
 * construction, which must be the same on every replica and kept with snapshots.
 *
 * <p><b>Ownership.</b> Key and value arrays from {@code argv} are stored as they are, not copied:
 * the caller must not modify them after {@link #execute} returns.
 *
 * <p>Not thread-safe: one thread at a time (the Raft state machine's applier), including for
 * {@link #expiredKeys} and the statistics methods.
 */
public final class Keyspace implements KeyspaceEngine {

    /** Redis's proto-max-bulk-len default: the largest string and the largest LCS table, bytes. */
    public static final long PROTO_MAX_BULK_BYTES = 512L * 1024 * 1024;

    private final Db db;
    private final CommandRegistry registry;
    private final long hashKey0;
    private final long hashKey1;
    private final WaitTable waits = new WaitTable();
    private final BlockingCommands blocking;
    /** The slots this shard owns now (replicated), and those it starts with (from the topology). */
    private final SlotOwnership ownership = new SlotOwnership();
    /** Slots being moved away: changed keys recorded, writes refused once frozen (replicated). */
    private final SlotMigration migration = new SlotMigration();
    private java.util.BitSet initialSlots = SlotOwnership.allSlots();

    /** A keyspace with a fixed default hash key; fine for tests and single-tenant use. */
    public Keyspace() {
        this(0x426173616c74L, 0x4b65797370616365L);
    }

    /**
     * @param hashKey0 first half of the 128-bit SipHash key
     * @param hashKey1 second half; derive both from a per-cluster secret to resist hash flooding,
     *     identical on every replica of the shard
     */
    public Keyspace(long hashKey0, long hashKey1) {
        this(hashKey0, hashKey1, PROTO_MAX_BULK_BYTES);
    }

    Keyspace(long hashKey0, long hashKey1, long stringBytesMax) {
        this.hashKey0 = hashKey0;
        this.hashKey1 = hashKey1;
        this.db = new Db(hashKey0, hashKey1);
        this.registry = new CommandRegistry(CommandTable.standard());
        new StringCommands(db, stringBytesMax).register(registry);
        new LcsCommand(db, stringBytesMax).register(registry);
        new KeyCommands(db).register(registry);
        new SortCommands(db).register(registry);
        new ExpireCommands(db).register(registry);
        new ServerCommands(db).register(registry);
        new SortedSetCommands(db).register(registry);
        new SortedSetSampleCommands(db).register(registry);
        new SortedSetOpCommands(db).register(registry);
        new SetCommands(db).register(registry);
        new ListCommands(db).register(registry);
        new HashCommands(db).register(registry);
        new HashFieldTtlCommands(db).register(registry);
        new BitmapCommands(db, stringBytesMax).register(registry);
        new GeoCommands(db).register(registry); // after SortedSetCommands: GEOADD calls ZADD
        new GeoSearch(db).register(registry);
        new HyperLogLogCommands(db).register(registry);
        new ClusterSlotCommands(db).register(registry);
        new ConfigCommands(db).register(registry);
        db.watchForWaiters(waits);
        blocking = new BlockingCommands(db, waits);
        blocking.register(registry);
        new RestoreCommand(db).register(registry);
        new SlotCommands(db, ownership, migration).register(registry);
        new SlotMigrationCommands(db, ownership, migration).register(registry);
        db.trackMigration(migration);
    }

    @Override
    public void execute(List<byte[]> argv, ExecContext ctx, RespWriter out) {
        int argc = argv.size();
        if (argc == 0) {
            out.error(EngineErrors.EMPTY_COMMAND);
            return;
        }
        CommandRegistry.Command cmd = registry.lookup(argv.get(0));
        if (cmd == null) {
            EngineErrors.unknownCommand(out, argv);
            return;
        }
        if (cmd.isContainer() && argc >= 2) {
            CommandRegistry.Command sub = cmd.subcommand(argv.get(1));
            if (sub == null) {
                EngineErrors.unknownSubcommand(out, argv.get(0), argv.get(1));
                return;
            }
            cmd = sub;
        }
        if (!cmd.spec.arityAccepts(argc)) {
            out.error(ErrorReplies.wrongArity(cmd.spec.name()));
            return;
        }
        if (cmd.handler == null) { // a spec whose handler is not written yet
            EngineErrors.unknownCommand(out, argv);
            return;
        }
        if (ctx.readOnly() && cmd.spec.isWrite()) {
            out.error(EngineErrors.WRITE_AS_READ);
            return;
        }
        if (!ownership.ownsAll()) {
            int foreign = foreignSlot(cmd.spec, argv);
            if (foreign >= 0) {
                out.error(InternalCommandSpecs.MOVED_PREFIX + foreign);
                return;
            }
        }
        if (migration.anyFrozen() && cmd.spec.isWrite()) {
            int frozen = frozenSlot(cmd.spec, argv);
            if (frozen >= 0) {
                out.error(InternalCommandSpecs.FROZEN_PREFIX + frozen + " is moving to another shard");
                return;
            }
        }
        int mark = out.size();
        try {
            cmd.handler.handle(argv, ctx, out);
        } catch (RuntimeException bug) {
            truncate(out, mark);
            out.error(EngineErrors.INTERNAL);
        }
        if (!ctx.readOnly() && !waits.isEmpty()) {
            try {
                blocking.serveReady(ctx);
            } catch (RuntimeException bug) {
                // same code, same state on every replica: they all skip alike; the waiters stay
                waits.clearReady();
            }
        }
    }

    /**
     * The first slot, among the command's keys (the spec's key positions), that this shard does
     * not own; -1 when it owns them all. Checked before anything runs, so a multi-key command is
     * refused whole when any key is elsewhere.
     */
    private int foreignSlot(io.basalt.router.command.CommandSpec spec, List<byte[]> argv) {
        for (int position : spec.keyPositions(argv)) {
            int slot = io.basalt.router.slot.HashSlot.of(argv.get(position));
            if (!ownership.owns(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /** The first of the command's key slots that is frozen for a migration; -1 when none is. */
    private int frozenSlot(io.basalt.router.command.CommandSpec spec, List<byte[]> argv) {
        for (int position : spec.keyPositions(argv)) {
            int slot = io.basalt.router.slot.HashSlot.of(argv.get(position));
            if (migration.frozen(slot)) {
                return slot;
            }
        }
        return -1;
    }

    @Override
    public void ownSlotsInitially(java.util.BitSet slots) {
        initialSlots = (java.util.BitSet) slots.clone();
        ownership.replaceWith(initialSlots);
    }

    @Override
    public java.util.BitSet ownedSlots() {
        return ownership.slots();
    }

    @Override
    public long blockingVersion() {
        return waits.version();
    }

    /** Writes the blocked clients' state, for snapshots (the keyspace is written separately). */
    public void writeWaitTable(java.io.DataOutput out) throws java.io.IOException {
        waits.writeTo(out);
    }

    /** Replaces the blocked clients' state with one written by {@link #writeWaitTable}. */
    public void readWaitTable(java.io.DataInput in) throws java.io.IOException {
        waits.replaceWith(WaitTable.readFrom(in));
    }

    /** Drops what a failed handler wrote after {@code mark}, keeping earlier replies in the writer. */
    private static void truncate(RespWriter out, int mark) {
        if (out.size() == mark) {
            return;
        }
        byte[] kept = Arrays.copyOf(out.buffer(), mark);
        out.reset();
        out.raw(kept);
    }

    @Override
    public List<byte[]> expiredKeys(long nowMs, int max) {
        return db.expiredKeys(nowMs, max);
    }

    @Override
    public int deleteIfExpired(List<byte[]> keys, long nowMs) {
        return db.deleteIfExpired(keys, nowMs);
    }

    @Override
    public long keyCount() {
        return db.keyCount();
    }

    @Override
    public long keysWithExpiry() {
        return db.keysWithExpiry();
    }

    @Override
    public long usedMemoryBytes() {
        return db.usedMemoryBytes();
    }

    @Override
    public KeyspaceSnapshot beginSnapshot() {
        return db.beginSnapshot();
    }

    @Override
    public void restore(byte[] key, byte[] record) throws java.io.IOException {
        SnapshotCodec.Decoded d = SnapshotCodec.decode(record, db::hash, db.limits());
        db.restore(key, d.value(), d.expireAt());
    }

    @Override
    public void clear() {
        db.clear();
        waits.replaceWith(new WaitTable());
        ownership.replaceWith(initialSlots);
        migration.reset();
    }

    /**
     * Format of {@link #snapshotMeta}: 5 = hash key, the blocked clients' WaitTable, the
     * encoding thresholds, the owned slots, the slot migration state (4: without it). 3 (the same without slots) is still read: it was
     * written when one shard owned every slot, so its shard owns what the topology gives it.
     */
    private static final int META_FORMAT = 5;
    /** 4: as 5 without the slot migration state (none was migrating). */
    private static final int META_FORMAT_WITHOUT_MIGRATION = 4;
    private static final int META_FORMAT_WITHOUT_SLOTS = 3;

    @Override
    public byte[] snapshotMeta() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeByte(META_FORMAT);
            out.writeLong(hashKey0);
            out.writeLong(hashKey1);
            waits.writeTo(out);
            db.limits().writeTo(out);
            ownership.writeTo(out);
            migration.writeTo(out);
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restoreMeta(byte[] meta) throws java.io.IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(meta));
        int format = meta.length == 0 ? -1 : in.readUnsignedByte();
        if (format != META_FORMAT && format != META_FORMAT_WITHOUT_MIGRATION && format != META_FORMAT_WITHOUT_SLOTS) {
            throw new java.io.IOException("engine state of an unknown format " + format);
        }
        if (in.readLong() != hashKey0 || in.readLong() != hashKey1) {
            // The key decides every table's layout, which replicas must share; taking it over
            // would need rebuilding the engine, and no setting changes it yet.
            throw new java.io.IOException("snapshot was taken with another hash key than this node's");
        }
        waits.replaceWith(WaitTable.readFrom(in));
        db.limits().readFrom(in);
        if (format == META_FORMAT_WITHOUT_SLOTS) {
            ownership.replaceWith(initialSlots);
        } else {
            ownership.readFrom(in);
        }
        if (format == META_FORMAT) {
            migration.readFrom(in);
        } else {
            migration.reset();
        }
    }

    /**
     * Full names of the commands this engine executes ("get", "object|encoding"), sorted: what the
     * compatibility table (docs/compatibility.md) reports as implemented on the shards.
     */
    public List<String> commandNames() {
        return registry.handlerNames();
    }

    // ---- for tests in this package -------------------------------------------------------------

    CommandRegistry registry() {
        return registry;
    }

    Db db() {
        return db;
    }
}
