package io.basalt.node.server;

import io.basalt.node.engine.KeyspaceEngine;
import io.basalt.node.meta.GroupHost;
import io.basalt.node.meta.MetaController;
import io.basalt.node.meta.MetaRegistry;
import io.basalt.node.meta.MetaStateMachine;
import io.basalt.node.meta.NodeAgent;
import io.basalt.proto.internal.MetaNode;
import io.basalt.proto.internal.MetaState;
import io.basalt.router.meta.GroupAdmin;
import io.basalt.router.meta.MetaClient;
import io.basalt.router.meta.MetaGroup;
import io.basalt.node.statemachine.ShardStateMachine;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.raft.RaftLimits;
import io.basalt.router.topology.StaticTopology;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
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
    private final MetaOptions metaOptions;
    private RaftServer server;
    private ActiveExpiry expiry;
    private final Object metaLock = new Object();
    private MetaStateMachine metaStateMachine;
    private MetaClient metaClient;
    private NodeAgent agent;
    private MetaController controller;

    public RaftNode(NodeConfig config, Supplier<KeyspaceEngine> engines) {
        this(config, engines, NodeOptions.DEFAULT);
    }

    public RaftNode(NodeConfig config, Supplier<KeyspaceEngine> engines, NodeOptions options) {
        this(config, engines, options, MetaOptions.NONE);
    }

    public RaftNode(NodeConfig config, Supplier<KeyspaceEngine> engines, NodeOptions options, MetaOptions metaOptions) {
        this.config = config;
        this.engines = engines;
        this.options = options;
        this.metaOptions = metaOptions;
    }

    public synchronized void start() throws IOException {
        StaticTopology topology = config.topology();
        List<RaftGroup> groups = new ArrayList<>();
        for (int shard : topology.shardsOf(config.peerId())) {
            RaftGroup group = RaftGroups.toRaftGroup(topology.shards().get(shard));
            if (options.join()) {
                // A new member of a running group starts knowing the group but no configuration:
                // Ratis then keeps it out of elections until a leader's configuration change
                // (admin setConfiguration) includes it and replicates the log or a snapshot to it.
                // On a restart the configuration stored in its log wins, so --join is harmless then.
                group = RaftGroup.valueOf(group.getGroupId());
            }
            groups.add(group);
        }
        boolean hostsMeta = metaOptions.enabled() && MetaGroup.hosts(topology, metaOptions.replicas(), config.peerId());
        if (hostsMeta) {
            groups.add(RaftGroups.toRaftGroup(MetaGroup.of(topology, metaOptions.replicas())));
        }
        // With a metadata group, the bootstrap layout applies once, to a fresh data directory:
        // later the metadata group decides what this node hosts (its agent adds and removes
        // replicas), and a replica moved away must not come back from the layout on a restart.
        java.nio.file.Path bootstrapped = config.dataDir().resolve("basalt-bootstrapped");
        boolean applyLayout = !metaOptions.enabled() || !java.nio.file.Files.exists(bootstrapped);
        RaftProperties properties = serverProperties(groups.size());
        // Ratis also recovers every group directory it finds in the data directory; the groups of
        // this node's shards not there yet (a fresh node) are added once the server runs.
        server = RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(config.peerId()))
            .setProperties(properties)
            .setGroup(groups.isEmpty() || !applyLayout ? null : groups.get(0))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .setStateMachineRegistry(groupId -> groupId.getUuid().equals(MetaGroup.GROUP_ID)
                ? metaStateMachine() : stateMachines.computeIfAbsent(groupId, this::newStateMachine))
            .build();
        server.start();
        List<RaftGroupId> present = new ArrayList<>();
        server.getGroupIds().forEach(present::add);
        for (RaftGroup group : groups.subList(applyLayout ? Math.min(1, groups.size()) : 0, groups.size())) {
            boolean isMeta = group.getGroupId().getUuid().equals(MetaGroup.GROUP_ID);
            if (!present.contains(group.getGroupId()) && (applyLayout || isMeta)) {
                addGroup(group);
            }
        }
        if (metaOptions.enabled() && applyLayout) {
            java.nio.file.Files.writeString(bootstrapped, "the bootstrap layout was applied; the metadata group decides from now on\n");
        }
        expiry = new ActiveExpiry(server, stateMachines, properties);
        expiry.start();
        if (metaOptions.enabled()) {
            startMetaRoles(topology, hostsMeta);
        }
        LOG.info("node {} serving Raft on {} with {} group(s) (shards {}); data in {}; {}", config.peerId(),
            config.raftAddress(), stateMachines.size(), topology.shardsOf(config.peerId()), config.dataDir(), options);
    }

    /**
     * The state machine of a group. Its shard's index comes from the group id; its initial slots
     * (what every replica starts from before replaying the log) from the bootstrap layout for its
     * shards, none for shards added at run time, which receive slots by migration.
     */
    private ShardStateMachine newStateMachine(RaftGroupId groupId) {
        int shard = MetaGroup.shardIndexOf(groupId.getUuid().toString());
        if (shard < 0) {
            LOG.warn("group {} in the data directory is not a Basalt shard; it owns no slots", groupId);
        }
        boolean genesis = shard >= 0 && shard < config.topology().shards().size();
        return new ShardStateMachine(engines.get(), clock, config.storage().snapshotEveryEntries(),
            config.storage().durability().snapshots(), options, shard,
            genesis ? config.topology().slotsOf(shard) : new BitSet());
    }

    /** Made on Ratis's thread while start() holds this node's lock: hence a lock of its own. */
    private MetaStateMachine metaStateMachine() {
        synchronized (metaLock) {
            if (metaStateMachine == null) {
                metaStateMachine = new MetaStateMachine(MetaRegistry.genesis(config.topology()),
                MetaGroup.of(config.topology(), metaOptions.replicas()).replicas().stream()
                    .map(io.basalt.router.slot.ShardInfo.Replica::peerId).toList());
            }
            return metaStateMachine;
        }
    }

    /**
     * Every node runs an agent (registration, heartbeats, hosting the replicas the metadata group
     * lists for it); the metadata replicas also run the controller, which acts while leading.
     */
    private void startMetaRoles(StaticTopology topology, boolean hostsMeta) {
        metaClient = new MetaClient(MetaGroup.of(topology, metaOptions.replicas()), java.time.Duration.ofSeconds(5));
        MetaNode self = MetaNode.newBuilder().setId(config.peerId()).setRaftAddress(config.raftAddress())
            .setGatewayAddress(metaOptions.gatewayAddress()).setZone(metaOptions.zone()).build();
        agent = new NodeAgent(self, metaClient, new Host());
        agent.start(1000);
        if (hostsMeta) {
            RaftGroupId meta = RaftGroupId.valueOf(MetaGroup.GROUP_ID);
            controller = new MetaController(metaStateMachine(), () -> isLeader(meta), metaClient,
                new GroupAdmin(java.time.Duration.ofSeconds(30)), metaOptions.deadAfter());
            controller.start(500);
        }
    }

    private boolean isLeader(RaftGroupId group) {
        try {
            return server.getDivision(group).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /** The node's Raft server as the agent changes it. */
    private final class Host implements GroupHost {
        @Override
        public List<Hosted> hosted() {
            List<Hosted> out = new ArrayList<>();
            for (RaftGroupId id : server.getGroupIds()) {
                if (id.getUuid().equals(MetaGroup.GROUP_ID)) {
                    continue;
                }
                try {
                    var info = server.getDivision(id).getInfo();
                    out.add(new Hosted(id.getUuid(), info.isLeader(), info.getLastAppliedIndex(), info.getCurrentTerm()));
                } catch (IOException e) {
                    // removed meanwhile
                }
            }
            return out;
        }

        @Override
        public void addGroup(java.util.UUID groupId, Map<String, String> members) throws IOException {
            List<org.apache.ratis.protocol.RaftPeer> peers = new ArrayList<>();
            members.forEach((id, address) -> peers.add(org.apache.ratis.protocol.RaftPeer.newBuilder().setId(id)
                .setAddress(address).build()));
            RaftNode.this.addGroup(RaftGroup.valueOf(RaftGroupId.valueOf(groupId), peers));
        }

        @Override
        public void removeGroup(java.util.UUID groupId) throws IOException {
            RaftGroupId id = RaftGroupId.valueOf(groupId);
            RaftClientReply reply = server.groupManagementAsync(GroupManagementRequest.newRemove(ClientId.randomId(),
                server.getId(), CALL_IDS.incrementAndGet(), id, false, true)).join();
            if (!reply.isSuccess()) {
                throw new IOException("cannot stop group " + groupId + ": " + reply.getException());
            }
            stateMachines.remove(id);
        }
    }

    /** The metadata state this node's agent saw last, or null (no metadata group, or not heard yet). */
    public MetaState metaState() {
        return agent == null ? null : agent.lastState();
    }

    private void addGroup(RaftGroup group) throws IOException {
        RaftClientReply reply = server.groupManagementAsync(GroupManagementRequest.newAdd(ClientId.randomId(),
            server.getId(), CALL_IDS.incrementAndGet(), group, false)).join();
        if (!reply.isSuccess()) {
            throw new IOException("cannot start group " + group.getGroupId() + ": " + reply.getException());
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong CALL_IDS = new java.util.concurrent.atomic.AtomicLong();

    private RaftProperties serverProperties(int groups) {
        RaftProperties p = new RaftProperties();
        // Several groups share this JVM: each keeps its own log segment cache (Ratis: up to 6
        // closed segments, 200 MB), which only serves followers catching up from the log. Keep
        // the default for one group and share roughly the same budget between several.
        if (groups > 1) {
            RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(Math.max(32L << 20, (200L << 20) / groups)));
        }
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
        if (controller != null) {
            controller.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (metaClient != null) {
            metaClient.close();
        }
        if (expiry != null) {
            expiry.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
