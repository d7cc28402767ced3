package io.basalt.node.statemachine;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.basalt.node.engine.ExecContext;
import io.basalt.node.engine.KeyspaceEngine;
import io.basalt.node.server.NodeClock;
import io.basalt.node.server.NodeOptions;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.proto.internal.LogEntry;
import io.basalt.router.reply.RespWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.basalt.node.snapshot.SnapshotStore;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts one shard's {@link KeyspaceEngine} to Ratis: the Raft log feeds it, one entry at a time.
 *
 * <ul>
 *   <li><b>Time.</b> When the leader accepts a write ({@link #startTransaction}) it appends its
 *       clock to the client's message, so the stored entry carries the leader's time. Applying
 *       uses max(entry time, previous entry's time): the engine's clock never runs backwards, even
 *       across a failover to a leader whose clock is behind.</li>
 *   <li><b>Batches.</b> An entry holds many clients' commands; each is executed in order and gets
 *       its own reply. One fsync and one replication round cover the whole batch.</li>
 *   <li><b>Exactly once.</b> A retried write already applied is answered from
 *       {@link DuplicateFilter}, not executed again.</li>
 *   <li><b>Reads.</b> {@link #query} runs a batch of read-only commands on the leader (the
 *       nodes run Ratis's DEFAULT read option: followers answer NotLeader) after a
 *       {@link LeadershipConfirmation} round (with {@code --read-lease on}, not while Ratis's
 *       leader lease is valid), docs/consistency.md. Stale reads aimed at one replica
 *       ({@link #queryStale}) carry the node-local commands ({@link NodeLocalCommands}) and the
 *       follower reads of READONLY connections, which run once this replica applied the
 *       minimum index the gateway sent ({@link FollowerReads}).</li>
 *   <li><b>Snapshots.</b> {@link ShardSnapshots} takes them in the background every so many
 *       entries and on BGSAVE/SAVE (which arrive as reads: they save this replica, like Redis),
 *       loads the newest at start and after Ratis installed one from the leader.</li>
 * </ul>
 *
 * <p>The engine is not thread-safe and Ratis calls apply and query from different threads, so
 * both take {@link #engineLock}; each holds it for microseconds per command.
 */
public final class ShardStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ShardStateMachine.class);

    private final KeyspaceEngine engine;
    private final NodeClock clock;
    private final Object engineLock = new Object();
    private final DuplicateFilter duplicates = new DuplicateFilter();

    /** Time of the last applied entry (engine time); guarded by engineLock for writes. */
    private volatile long appliedTimeMs;
    /** Highest time this node stamped as leader; stamps never decrease. */
    private long lastStampMs;
    private final Object stampLock = new Object();
    /** Distinguishes reads at the same applied index, for their random seeds. */
    private long readSequence;
    /** Blocked clients' long polls ({@code basalt.await}) not answered yet. */
    private final AwaitRegistry awaits = new AwaitRegistry();

    private final ShardSnapshots snapshots;
    private final BackupCommands backups;
    /** This group's shard in the topology; -1 when the topology does not list it. */
    private final int shardIndex;
    private final NodeOptions options;
    private final NodeLocalCommands nodeLocal = new NodeLocalCommands(this);
    /** Ratis server hosting this replica, once initialized; null in unit tests without a server. */
    private volatile RaftServer raftServer;
    private volatile RaftServer.Division division;
    /** Null until initialized, and when read confirmation is off. */
    private volatile LeadershipConfirmation confirmation;
    private volatile PeerChannel peers;
    /** Leader read batches answered under Ratis's lease, and after a confirmation round. */
    private final java.util.concurrent.atomic.AtomicLong leaseBatches = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong roundBatches = new java.util.concurrent.atomic.AtomicLong();
    private final FollowerReads followerReads = new FollowerReads();

    /** Snapshots every {@link #DEFAULT_SNAPSHOT_EVERY_ENTRIES} entries. */
    public ShardStateMachine(KeyspaceEngine engine, NodeClock clock) {
        this(engine, clock, DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    /** Default entries between automatic snapshots; an entry is a batch of commands. */
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 100_000;

    /** @param snapshotEveryEntries applied entries between automatic snapshots */
    public ShardStateMachine(KeyspaceEngine engine, NodeClock clock, long snapshotEveryEntries) {
        this(engine, clock, snapshotEveryEntries, true);
    }

    /**
     * @param snapshotEveryEntries applied entries between automatic snapshots
     * @param snapshotsEnabled false in memory mode: no snapshot is taken, loaded or reported to Ratis
     */
    public ShardStateMachine(KeyspaceEngine engine, NodeClock clock, long snapshotEveryEntries, boolean snapshotsEnabled) {
        this(engine, clock, snapshotEveryEntries, snapshotsEnabled, NodeOptions.DEFAULT);
    }

    /** @param options read confirmation and fault injection switches of this node */
    public ShardStateMachine(KeyspaceEngine engine, NodeClock clock, long snapshotEveryEntries, boolean snapshotsEnabled,
                             NodeOptions options) {
        this(engine, clock, snapshotEveryEntries, snapshotsEnabled, options, 0, null);
    }

    /**
     * @param shardIndex this group's shard in the topology (-1 for a group the topology does not
     *     list, e.g. one left in the data directory by another layout)
     * @param initialSlots the slots the shard owns by the topology: what a fresh group starts
     *     with, before any snapshot or entry changed it; null leaves the engine's (every slot)
     */
    public ShardStateMachine(KeyspaceEngine engine, NodeClock clock, long snapshotEveryEntries, boolean snapshotsEnabled,
                             NodeOptions options, int shardIndex, java.util.BitSet initialSlots) {
        this.shardIndex = shardIndex;
        if (initialSlots != null) {
            engine.ownSlotsInitially(initialSlots);
        }
        this.options = options;
        this.engine = engine;
        this.clock = clock;
        this.snapshots = new ShardSnapshots(engine, duplicates, engineLock, snapshotEveryEntries, "shard",
            snapshotsEnabled);
        this.backups = new BackupCommands(snapshots);
    }

    @Override
    public SnapshotStore getStateMachineStorage() {
        return snapshots.store();
    }

    /**
     * Without snapshots (memory mode) Ratis must not see one, even one a disk mode left in the same
     * directory: it would take the log as starting after it, and the memory log starts empty.
     */
    @Override
    public org.apache.ratis.statemachine.SnapshotInfo getLatestSnapshot() {
        return snapshots.enabled() ? super.getLatestSnapshot() : null;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        getLifeCycle().startAndTransition(() -> {
            snapshots.store().init(storage);
            snapshots.setName(String.valueOf(groupId));
            snapshots.setLogPurger(index -> purgeLog(server, groupId, index));
            loadLatestSnapshot();
            refuseToStartWithAGap(storage);
        });
        raftServer = server;
        // a round that cannot finish within two election timeouts will not: by then a cut-off
        // leader has stepped down or a new one was elected
        long timeoutMs = 2 * RaftServerConfigKeys.Rpc.timeoutMax(server.getProperties()).toLong(java.util.concurrent.TimeUnit.MILLISECONDS);
        peers = new PeerChannel(this::division, timeoutMs);
        if (options.readConfirmation()) {
            confirmation = new LeadershipConfirmation(() -> LeadershipConfirmation.Membership.of(division()), this::askTerm,
                timeoutMs);
        }
    }

    private CompletableFuture<LeadershipConfirmation.PeerView> askTerm(org.apache.ratis.protocol.RaftPeer peer) {
        byte[] ask = CommandBatch.newBuilder().addCommands(Command.newBuilder()
            .addArgs(com.google.protobuf.ByteString.copyFromUtf8(io.basalt.router.command.specs.InternalCommandSpecs.NODE_TERM)))
            .build().toByteArray();
        return peers.send(peer.getId(), ask).thenApply(reply -> {
            try {
                BatchReply r = BatchReply.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
                return NodeLocalCommands.parseTerm(r.getReplies(0).toByteArray());
            } catch (InvalidProtocolBufferException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * A replica whose log was purged up to index N needs a snapshot at N or later to start from.
     * When none is usable (all refused as corrupt, or deleted by hand), replaying cannot work:
     * Ratis would wait forever for entries that are gone. Better to stop here and say what to do.
     */
    private void refuseToStartWithAGap(RaftStorage storage) throws IOException {
        long firstLogIndex = LogSegments.firstIndex(storage.getStorageDir().getCurrentDir().toPath());
        long from = getLastAppliedTermIndex() == null ? -1 : getLastAppliedTermIndex().getIndex();
        if (firstLogIndex > from + 1) {
            throw new IOException("cannot start group " + getGroupId() + ": its log was purged up to index "
                + (firstLogIndex - 1) + " and " + (from < 0 ? "no snapshot is usable" : "the newest usable snapshot ends at " + from)
                + " (refused snapshots are kept as *.corrupt in " + storage.getStorageDir().getStateMachineDir()
                + "). Move this replica's data directory aside and start it empty: it rejoins and receives "
                + "a snapshot from the leader");
        }
    }

    private void loadLatestSnapshot() throws IOException {
        synchronized (engineLock) {
            ShardSnapshots.Loaded loaded = snapshots.loadLatest();
            if (loaded != null) {
                appliedTimeMs = loaded.appliedTimeMs();
                setLastAppliedTermIndex(TermIndex.valueOf(loaded.term(), loaded.index()));
            }
        }
    }

    private static void purgeLog(RaftServer server, RaftGroupId groupId, long index) {
        try {
            server.getDivision(groupId).getRaftLog().purge(index);
        } catch (IOException e) {
            LOG.warn("cannot purge the log of {} up to {}", groupId, index, e);
        }
    }

    /** Ratis pauses the state machine before it replaces its directory with an installed snapshot. */
    @Override
    public void pause() {
        snapshots.cancelRunning();
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After a snapshot install: forget the state and load the installed snapshot. */
    @Override
    public void reinitialize() throws IOException {
        snapshots.cancelRunning();
        snapshots.store().reload();
        synchronized (engineLock) {
            engine.clear();
        }
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public void close() throws IOException {
        if (peers != null) {
            peers.close();
        }
        awaits.close();
        snapshots.cancelRunning();
        backups.closeAll();
        super.close();
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        long stamp = nextStamp();
        ByteString logData = request.getMessage().getContent().concat(encodeLeaderTime(stamp));
        return TransactionContext.newBuilder()
            .setStateMachine(this)
            .setClientRequest(request)
            .setLogData(logData)
            .build();
    }

    private long nextStamp() {
        synchronized (stampLock) {
            lastStampMs = Math.max(Math.max(clock.nowMs(), appliedTimeMs), lastStampMs);
            return lastStampMs;
        }
    }

    /**
     * Field 1 (leader_time_ms) of LogEntry as protobuf bytes. Appended after the client's message
     * so it wins even if a client set the field itself (protobuf keeps the last value).
     */
    static ByteString encodeLeaderTime(long timeMs) {
        byte[] buf = new byte[1 + CodedOutputStream.computeInt64SizeNoTag(timeMs)];
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf);
            out.writeInt64(LogEntry.LEADER_TIME_MS_FIELD_NUMBER, timeMs);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a varint into a sized array", e);
        }
        return UnsafeByteOperations.unsafeWrap(buf);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        StateMachineLogEntryProto smEntry = entry.getStateMachineLogEntry();
        byte[] reply;
        synchronized (engineLock) {
            LogEntry logEntry = parseEntry(smEntry.getLogData(), entry.getIndex());
            long now = Math.max(logEntry.getLeaderTimeMs(), appliedTimeMs);
            DuplicateFilter.Seen seen = duplicates.check(smEntry.getClientId(), smEntry.getCallId());
            if (seen.duplicate()) {
                LOG.info("entry {} repeats call {} of client {}: not applied again", entry.getIndex(),
                    smEntry.getCallId(), ClientId.valueOf(smEntry.getClientId()));
                reply = seen.reply() != null ? seen.reply() : BatchReply.getDefaultInstance().toByteArray();
            } else {
                reply = apply(logEntry, now, entry.getIndex());
                duplicates.record(smEntry.getClientId(), smEntry.getCallId(), reply, now);
            }
            appliedTimeMs = now;
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            snapshots.afterApply(entry.getTerm(), entry.getIndex(), now);
            awaits.recheck(engine.blockingVersion(), this::runAwait);
        }
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    private byte[] apply(LogEntry logEntry, long now, long index) {
        switch (logEntry.getBodyCase()) {
            case BATCH -> {
                return execute(logEntry.getBatch(), index, now, false);
            }
            case EXPIRE -> {
                List<byte[]> keys = new ArrayList<>(logEntry.getExpire().getKeysCount());
                logEntry.getExpire().getKeysList().forEach(k -> keys.add(k.toByteArray()));
                try {
                    engine.deleteIfExpired(keys, now);
                } catch (RuntimeException e) {
                    // Same code, same state, same entry: every replica fails alike, so skipping
                    // keeps them equal; an exception out of apply would stop the group instead.
                    LOG.error("entry {}: active expiry failed; skipped", index, e);
                }
                return BatchReply.getDefaultInstance().toByteArray();
            }
            default -> {
                // An entry this version does not understand: applying nothing is the only
                // deterministic choice; every replica of this version does the same.
                LOG.error("entry {} has no known body ({}); skipped", index, logEntry.getBodyCase());
                return BatchReply.getDefaultInstance().toByteArray();
            }
        }
    }

    private static LogEntry parseEntry(ByteString data, long index) {
        try {
            return LogEntry.parseFrom(data.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            LOG.error("entry {} is not a LogEntry; skipped", index, e);
            return LogEntry.getDefaultInstance();
        }
    }

    /** Runs each command of the batch; caller holds engineLock. */
    private byte[] execute(CommandBatch batch, long index, long now, boolean readOnly) {
        BatchReply.Builder replies = BatchReply.newBuilder();
        RespWriter out = new RespWriter(256);
        int position = 0;
        for (Command command : batch.getCommandsList()) {
            List<byte[]> argv = new ArrayList<>(command.getArgsCount());
            for (com.google.protobuf.ByteString arg : command.getArgsList()) {
                argv.add(arg.toByteArray());
            }
            out.reset();
            if (argv.isEmpty()) {
                out.error("ERR empty command");
            } else {
                ExecContext ctx = readOnly
                    ? new ExecContext(now, index, (int) (readSequence++ & 0x7fffffff), true)
                    : ExecContext.write(now, index, position);
                engine.execute(argv, ctx, out);
            }
            replies.addReplies(com.google.protobuf.ByteString.copyFrom(out.buffer(), 0, out.size()));
            position++;
        }
        return replies.build().toByteArray();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        CommandBatch batch;
        try {
            batch = CommandBatch.parseFrom(request.getContent().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a CommandBatch", e));
        }
        if (AwaitRegistry.isAwait(batch)) {
            return awaitQuery(batch.getCommands(0));
        }
        if (batch.getCommandsList().stream().anyMatch(PersistenceCommands::handles)) {
            return new PersistenceCommands(this).query(batch);
        }
        return confirmedRead(batch);
    }

    /**
     * Answers a linearizable read batch: on the leader after a confirmation round. A follower
     * never gets one (the nodes run Ratis's DEFAULT read option, which answers NotLeader) unless
     * confirmation is off, where Ratis's own read index stands. Without confirmation (off, or no
     * server in unit tests) at once, as Ratis alone would.
     */
    CompletableFuture<Message> confirmedRead(CommandBatch batch) {
        LeadershipConfirmation conf = confirmation;
        RaftServer.Division d = division();
        if (conf == null || d == null) {
            return CompletableFuture.completedFuture(readNow(batch));
        }
        if (!d.getInfo().isLeader()) {
            return CompletableFuture.failedFuture(new ReadIndexException(d.getMemberId() + " is not the leader"));
        }
        return confirmLeadership(d).thenApply(v -> readNow(batch));
    }

    /**
     * Leadership proved after this call: the lease when on and valid, otherwise a confirmation
     * round (shared with the reads waiting for the next one).
     */
    private CompletableFuture<Void> confirmLeadership(RaftServer.Division d) {
        // Lease checked now, after the request arrived: valid means no other leader can exist
        // at this moment, and the state is at least the read index (docs/consistency.md).
        if (options.readLease() && RatisLeaseProbe.hasLease(d)) {
            leaseBatches.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }
        roundBatches.incrementAndGet();
        return confirmation.confirm();
    }

    /**
     * The read index of a linearizable follower read (docs/consistency.md, "Follower reads"):
     * this leader's applied index taken after its leadership was confirmed. Every write
     * acknowledged before this call is applied here by then (this leader applies before it
     * replies; earlier terms' writes precede its first entry, which a ready leader applied), so a
     * follower that applied this index has them all. Fails on any replica that is not the leader.
     */
    CompletableFuture<Long> confirmedReadIndex() {
        RaftServer.Division d = division();
        if (d == null || !d.getInfo().isLeader()) {
            return CompletableFuture.failedFuture(new ReadIndexException(
                (d == null ? "this replica" : d.getMemberId().toString()) + " is not the leader"));
        }
        followerReads.readIndexAsked();
        if (confirmation == null) {
            // confirmation off (measurement only): as trustworthy as Ratis's own read index
            return d.getInfo().isLeaderReady() ? CompletableFuture.completedFuture(appliedIndex())
                : CompletableFuture.failedFuture(new ReadIndexException(d.getMemberId() + " is not ready"));
        }
        return confirmLeadership(d).thenApply(v -> appliedIndex());
    }

    private Message readNow(CommandBatch batch) {
        byte[] reply;
        synchronized (engineLock) {
            reply = execute(batch, appliedIndex(), readNowMs(), true);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(reply));
    }

    /**
     * A read aimed at this replica whatever its role: the node-local commands, or this replica's
     * own state once it applied {@code minIndex} (the follower reads of READONLY connections; the
     * gateway's choice of {@code minIndex} is the whole recency promise). Never confirmed here.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        CommandBatch batch;
        try {
            batch = CommandBatch.parseFrom(request.getContent().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new org.apache.ratis.protocol.exceptions.StateMachineException("not a CommandBatch"));
        }
        if (NodeLocalCommands.handles(batch)) {
            return nodeLocal.answer(batch);
        }
        if (batch.getCommandsList().stream().anyMatch(PersistenceCommands::handles)) {
            return new PersistenceCommands(this).query(batch);
        }
        RaftServer.Division d = division();
        return followerReads.read(minIndex, d != null && !d.getInfo().isLeader(), this::appliedIndex, () -> readNow(batch));
    }

    @Override
    protected void setLastAppliedTermIndex(TermIndex newTI) {
        super.setLastAppliedTermIndex(newTI);
        if (followerReads != null) { // null while BaseStateMachine's constructor runs
            followerReads.applied(newTI.getIndex());
        }
    }

    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex newTI) {
        boolean changed = super.updateLastAppliedTermIndex(newTI);
        if (followerReads != null) {
            followerReads.applied(newTI.getIndex());
        }
        return changed;
    }

    /** This replica's Ratis division, looked up once the server holds it; null without a server. */
    RaftServer.Division division() {
        RaftServer.Division d = division;
        RaftServer server = raftServer;
        if (d == null && server != null) {
            try {
                d = server.getDivision(getGroupId());
                division = d;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return d;
    }

    NodeClock clock() {
        return clock;
    }

    NodeOptions options() {
        return options;
    }

    /** This group's shard in the topology; -1 when the topology does not list it. */
    public int shardIndex() {
        return shardIndex;
    }

    /** The hash slots this replica's shard owns as of its last applied entry. */
    public java.util.BitSet ownedSlots() {
        synchronized (engineLock) {
            return engine.ownedSlots();
        }
    }

    /** Leadership confirmation rounds this replica ran (0 when off). */
    public long confirmationRounds() {
        LeadershipConfirmation c = confirmation;
        return c == null ? 0 : c.rounds();
    }

    /** Leader read batches answered under the lease without a round (0 unless --read-lease on). */
    public long leaseReadBatches() {
        return leaseBatches.get();
    }

    /** Leader read batches that waited for a confirmation round. */
    public long roundReadBatches() {
        return roundBatches.get();
    }

    /** Ordinary read batches served while not the leader (follower reads). */
    public long followerReadBatches() {
        return followerReads.followerBatches();
    }

    /** Read indexes asked of this replica as leader. */
    public long readIndexRequests() {
        return followerReads.readIndexRequests();
    }

    long appliedIndex() {
        return getLastAppliedTermIndex() == null ? 0 : getLastAppliedTermIndex().getIndex();
    }

    long readNowMs() {
        return Math.max(clock.nowMs(), appliedTimeMs);
    }

    Object engineLock() {
        return engineLock;
    }

    ShardSnapshots snapshots() {
        return snapshots;
    }

    BackupCommands backups() {
        return backups;
    }

    /** One read-only command on the engine, its reply appended to {@code out}; caller holds the lock. */
    void executeRead(List<byte[]> argv, long index, long now, RespWriter out) {
        engine.execute(argv, new ExecContext(now, index, (int) (readSequence++ & 0x7fffffff), true), out);
    }

    /**
     * A blocked client's long poll: answered at once when its waiter was served or is gone,
     * otherwise when a later entry serves or removes it, or after {@link AwaitRegistry#POLL_MS}
     * with "still waiting". The engine lock is held only to check, never while waiting.
     */
    private CompletableFuture<Message> awaitQuery(Command command) {
        CompletableFuture<byte[]> reply;
        synchronized (engineLock) {
            byte[] now = runAwait(command);
            reply = AwaitRegistry.stillWaiting(now) ? awaits.register(command) : CompletableFuture.completedFuture(now);
        }
        return reply.thenApply(r -> Message.valueOf(UnsafeByteOperations.unsafeWrap(
            BatchReply.newBuilder().addReplies(com.google.protobuf.ByteString.copyFrom(r)).build().toByteArray())));
    }

    /** Runs one basalt.await as a read; caller holds engineLock. */
    private byte[] runAwait(Command command) {
        List<byte[]> argv = new ArrayList<>(command.getArgsCount());
        command.getArgsList().forEach(a -> argv.add(a.toByteArray()));
        RespWriter out = new RespWriter(64);
        long index = getLastAppliedTermIndex() == null ? 0 : getLastAppliedTermIndex().getIndex();
        engine.execute(argv, ExecContext.read(Math.max(clock.nowMs(), appliedTimeMs), index), out);
        return out.toByteArray();
    }

    /** Leader-side active expiry: keys expired by the leader's clock, to propose for deletion. */
    public List<byte[]> expiredKeys(int max) {
        synchronized (engineLock) {
            return engine.expiredKeys(Math.max(clock.nowMs(), appliedTimeMs), max);
        }
    }

    /** Commands this state machine answers itself (site REPLICA), not its engine. */
    public static List<String> commandNames() {
        List<String> names = new java.util.ArrayList<>(PersistenceCommands.NAMES);
        names.addAll(BackupCommands.NAMES);
        return names;
    }

    /** The newest verified snapshot of this replica, or null. */
    public SnapshotStore.Snapshot latestSnapshot() {
        return snapshots.store().latest();
    }

    /** Time of the last applied entry, for tests and INFO. */
    public long appliedTimeMs() {
        return appliedTimeMs;
    }
}
