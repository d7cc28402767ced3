package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.raft.RaftGroups;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.topology.StaticTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Three storage processes hosting three shards of three replicas (nine Raft groups' replicas,
 * measured lighter than six processes on two shared cores), behind one gateway: keys written
 * through the gateway land in the shard owning their slot, and a kill -9 of one shard's leader
 * fails over that shard only.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiShardIT {

    private static final int NODES = 3;
    private static final int SHARDS = 3;
    private static final int KEYS = 300;

    @Test
    void keysSpreadOverTheShardsAndALeaderKillFailsOverItsShardOnly() throws Exception {
        try (TestCluster cluster = new TestCluster("multishard", NODES, SHARDS, 3, List.of()).start()) {
            StaticTopology topology = cluster.topology();
            // shard i led by n(i+1): each node leads one shard, so killing one touches one shard's leadership
            for (int shard = 0; shard < SHARDS; shard++) {
                moveLeader(cluster, shard, "n" + (shard + 1));
            }

            Map<Integer, Integer> perShard = new HashMap<>();
            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < KEYS; i++) {
                    String key = "key:" + i;
                    assertEquals("OK", jedis.set(key, "v" + i));
                    int shard = shardOf(topology, key);
                    perShard.merge(shard, 1, Integer::sum);
                }
                for (int i = 0; i < KEYS; i++) {
                    assertEquals("v" + i, jedis.get("key:" + i));
                }
                int slot = HashSlot.of(bytes("key:7"));
                long inSlot = 0;
                for (int i = 0; i < KEYS; i++) {
                    inSlot += HashSlot.of(bytes("key:" + i)) == slot ? 1 : 0;
                }
                assertEquals(inSlot, jedis.clusterCountKeysInSlot(slot));
            }
            for (int shard = 0; shard < SHARDS; shard++) {
                int expected = perShard.getOrDefault(shard, 0);
                assertTrue(expected > 50, "the layout spreads " + KEYS + " keys: " + perShard);
                assertEquals(":" + expected + "\r\n", onShard(topology.shards().get(shard), "DBSIZE"),
                    "shard " + shard + " holds exactly the keys of its slots");
                assertEquals("*2\r\n:" + topology.firstSlot(shard) + "\r\n:" + topology.lastSlot(shard) + "\r\n",
                    onShard(topology.shards().get(shard), "basalt.slots"));
            }

            Map<Integer, Long> termsBefore = new HashMap<>();
            for (int shard = 0; shard < SHARDS; shard++) {
                termsBefore.put(shard, term(cluster, shard, "n" + (shard + 1)));
            }
            cluster.kill9("n2"); // leader of shard 1
            TestCluster.awaitCondition("a new leader of shard 1", Duration.ofSeconds(60),
                () -> cluster.leader(1).map(l -> !l.equals("n2")).orElse(false));
            assertEquals("n1", cluster.leader(0).orElseThrow(), "shard 0 kept its leader");
            assertEquals("n3", cluster.leader(2).orElseThrow(), "shard 2 kept its leader");
            assertEquals(termsBefore.get(0), term(cluster, 0, "n1"), "shard 0 had no election");
            assertEquals(termsBefore.get(2), term(cluster, 2, "n3"), "shard 2 had no election");
            assertNotEquals(termsBefore.get(1), term(cluster, 1, cluster.leader(1).orElseThrow()));

            try (Jedis jedis = cluster.jedis()) {
                for (int i = 0; i < KEYS; i++) {
                    assertEquals("v" + i, jedis.get("key:" + i));
                    assertEquals("OK", jedis.set("key:" + i, "w" + i));
                }
            }
        }
    }

    private static int shardOf(StaticTopology topology, String key) {
        return topology.shards().indexOf(topology.slotMap().shardOfKey(bytes(key)));
    }

    /** A linearizable read sent to one shard's group directly, not through the gateway. */
    private static String onShard(ShardInfo shard, String... args) throws Exception {
        Command.Builder c = Command.newBuilder();
        for (String a : args) {
            c.addArgs(com.google.protobuf.ByteString.copyFromUtf8(a));
        }
        byte[] batch = CommandBatch.newBuilder().addCommands(c).build().toByteArray();
        try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                .setRaftGroup(RaftGroups.toRaftGroup(shard)).build()) {
            RaftClientReply reply = client.io().sendReadOnly(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch)));
            return BatchReply.parseFrom(reply.getMessage().getContent().toByteArray()).getReplies(0).toStringUtf8();
        }
    }

    /** The term of the last entry {@code peer} knows committed in the shard's group. */
    private static long term(TestCluster cluster, int shard, String peer) throws Exception {
        ShardInfo info = cluster.topology().shards().get(shard);
        try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                .setRaftGroup(RaftGroups.toRaftGroup(info)).build()) {
            // a new leader commits an entry of its own term at once; no election, no new term
            return client.getGroupManagementApi(RaftPeerId.valueOf(peer)).info(RaftGroups.groupId(info)).getLogInfoProto()
                .getCommitted().getTerm();
        }
    }

    /** Asks the shard's leader to hand leadership to {@code to} until it has. */
    private static void moveLeader(TestCluster cluster, int shard, String to) {
        ShardInfo info = cluster.topology().shards().get(shard);
        TestCluster.awaitCondition("shard " + shard + " led by " + to, Duration.ofSeconds(90), () -> {
            if (cluster.leader(shard).map(to::equals).orElse(false)) {
                return true;
            }
            try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                    .setRaftGroup(RaftGroups.toRaftGroup(info)).build()) {
                client.admin().transferLeadership(RaftPeerId.valueOf(to), 3000);
            } catch (Exception e) {
                // not transferred this time; ask again
            }
            return cluster.leader(shard).map(to::equals).orElse(false);
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
