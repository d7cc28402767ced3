package io.basalt.node.server;

import io.basalt.node.engine.KeyspaceEngine;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.raft.RaftLimits;
import io.basalt.router.slot.ShardInfo;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage node: a single Ratis {@link RaftServer} hosting a replica of every shard group it
 * is part of (multi-Raft: a group per shard, one server, one port), each group with its own
 * {@link ShardStateMachine} and keyspace.
 *
 * <p>Durability: Ratis's segmented log is the write-ahead log. In {@code fsync} mode (the default)
 * it is flushed with fsync before an append is acknowledged, so an entry is committed (and its
 * client answered) only once a majority has it on disk; {@code async} acknowledges before the
 * fsync, and {@code memory} keeps the log in memory only (see {@link StorageOptions.Durability}).
 * Snapshots bound the log: see ShardSnapshots.
 */
public final class RaftNode implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private final NodeConfig config;
    private final NodeClock clock = new NodeClock();
    private final Map<RaftGroupId, ShardStateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Supplier<KeyspaceEngine> engines;
    private final NodeOptions options;
    private RaftServer server;
    private ActiveExpiry expiry;

    public RaftNode(NodeConfig config, Supplier<KeyspaceEngine> engines) {
        this(config, engines, NodeOptions.DEFAULT);
    }

    public RaftNode(NodeConfig config, Supplier<KeyspaceEngine> engines, NodeOptions options) {
        this.config = config;
        this.engines = engines;
        this.options = options;
    }

    public synchronized void start() throws IOException {
        RaftProperties properties = serverProperties();
        List<ShardInfo> shards = config.topology().shards();
        RaftGroup firstGroup = RaftGroups.toRaftGroup(shards.get(0));
        if (options.join()) {
            // A new member of a running group starts knowing the group but no configuration:
            // Ratis then keeps it out of elections until a leader's configuration change
            // (admin setConfiguration) includes it and replicates the log or a snapshot to it.
            // On a restart the configuration stored in its log wins, so --join is harmless then.
            firstGroup = RaftGroup.valueOf(firstGroup.getGroupId());
        }
        server = RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(config.peerId()))
            .setProperties(properties)
            .setGroup(firstGroup)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .setStateMachineRegistry(groupId -> stateMachines.computeIfAbsent(groupId,
                id -> new ShardStateMachine(engines.get(), clock, config.storage().snapshotEveryEntries(),
                    config.storage().durability().snapshots(), options)))
            .build();
        server.start();
        expiry = new ActiveExpiry(server, stateMachines, properties);
        expiry.start();
        LOG.info("node {} serving Raft on {} with {} group(s); data in {}; {}", config.peerId(), config.raftAddress(),
            shards.size(), config.dataDir(), options);
    }

    private RaftProperties serverProperties() {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().toFile()));
        GrpcConfigKeys.Server.setHost(p, config.raftHost());
        GrpcConfigKeys.Server.setPort(p, config.raftPort());
        RaftGroups.applyTimeouts(p, config.timeouts());
        RaftLimits.apply(p);
        // With read confirmation on, reads use Ratis's DEFAULT option: only the leader answers
        // (a follower replies NotLeader, so a client that took it for the leader moves on at
        // once) and ShardStateMachine confirms leadership itself before every read batch, which
        // makes Ratis's ReadIndex redundant (docs/consistency.md). LINEARIZABLE instead would
        // let followers serve reads through a ReadIndex from the leader: slower, and a client
        // stuck on a follower after a failover never learnt the new leader (found by the kill
        // drill). Without confirmation, LINEARIZABLE is Ratis's own linearizable read.
        RaftServerConfigKeys.Read.setOption(p, options.readConfirmation()
            ? RaftServerConfigKeys.Read.Option.DEFAULT : RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(5, java.util.concurrent.TimeUnit.SECONDS));
        if (options.readLease()) {
            // lease = 0.9 x the minimum election timeout from the send time of the latest
            // appendEntries a majority acknowledged; ReadIndex then skips its heartbeat round and
            // ShardStateMachine skips its confirmation round while it is valid. Not provably safe
            // in Ratis 3.3.0 (docs/consistency.md), hence off unless asked for.
            RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        }
        // The state machines take snapshots themselves, in the background, and purge the log
        // after them (ShardSnapshots): Ratis's trigger would take them on the apply thread.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.storage().logSegmentBytes()));
        // purge as soon as a snapshot allows it (Ratis waits for 1024 entries by default)
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        switch (config.storage().durability()) {
            case FSYNC -> { }
            // acknowledged once written to the log file, fsynced on the log's flush thread after
            case ASYNC -> RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, true);
            // entries and term/vote in memory; Ratis still keeps the group's configuration file
            // and directory lock in the storage dir
            case MEMORY -> RaftServerConfigKeys.Log.setUseMemory(p, true);
        }
        return p;
    }

    public NodeClock clock() {
        return clock;
    }

    public RaftServer server() {
        return server;
    }

    /** The state machine of a shard group on this node, once Ratis created it. */
    public ShardStateMachine stateMachine(RaftGroupId groupId) {
        return stateMachines.get(groupId);
    }

    @Override
    public synchronized void close() throws IOException {
        if (expiry != null) {
            expiry.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
