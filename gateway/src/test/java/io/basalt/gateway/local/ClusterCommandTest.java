package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.cluster.ClusterView;
import io.basalt.gateway.cluster.GatewayNode;
import io.basalt.gateway.resp.ReplyTranscoder;
import io.basalt.gateway.resp.RespProtocol;
import io.basalt.gateway.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER replies byte for byte, in RESP2 and RESP3, against the shapes redis-server 7.0.15 gave
 * in a 3-node cluster (recorded with redis-cli --cluster create on 127.0.0.1:7601-7603; ids,
 * epochs and timestamps differ by nature, the layout does not).
 */
class ClusterCommandTest {

    private static final String ID_7601 = "c476ef691dc056bef5cd5da168473637f5585983";
    private static final String ID_7602 = "9ca726472a1f80215c249c3f73cb279d42731cab";
    private static final String ID_7603 = "871e38bca9d0838338c9022b816f61d692860101";

    private static LocalTestSupport cluster(boolean enabled) {
        ClusterSettings settings = new ClusterSettings(enabled, GatewayNode.parse("127.0.0.1:7601"),
            ClusterSettings.parseGateways("g2=127.0.0.1:7602,127.0.0.1:7603,127.0.0.1:7601"));
        return new LocalTestSupport(b -> b.cluster(new ClusterView(settings, new GatewayNode("127.0.0.1", 6379), () -> null)));
    }

    private static String resp2(byte[] internal) {
        ByteBuf out = Unpooled.buffer();
        ReplyTranscoder.transcodeAll(internal, out, RespProtocol.of(2));
        String s = out.toString(StandardCharsets.UTF_8);
        out.release();
        return s;
    }

    @Test
    void nodeIdsAreSha1OfTheAnnouncedAddress() {
        assertEquals(ID_7601, GatewayNode.parse("127.0.0.1:7601").nodeId());
        assertEquals(List.of(GatewayNode.parse("127.0.0.1:7602"), GatewayNode.parse("127.0.0.1:7603")),
            cluster(true).info.cluster().others(), "self dropped from the others, order kept");
    }

    @Test
    void slotsListsEverySlotWithThisGatewayFirst() {
        LocalTestSupport t = cluster(true);
        ClientSession s = t.connect(50000);
        String node = "*4\r\n$9\r\n127.0.0.1\r\n:%d\r\n$40\r\n%s\r\n%s";
        String expected3 = "*1\r\n*5\r\n:0\r\n:16383\r\n" + String.format(node, 7601, ID_7601, "%0\r\n")
            + String.format(node, 7602, ID_7602, "%0\r\n") + String.format(node, 7603, ID_7603, "%0\r\n");
        byte[] reply = t.run(s, "CLUSTER", "SLOTS");
        assertEquals(expected3, LocalTestSupport.text(reply));
        assertEquals(expected3.replace("%0\r\n", "*0\r\n"), resp2(reply));
    }

    @Test
    void nodesIsOneLinePerGatewayAsRedisPrintsThem() {
        LocalTestSupport t = cluster(true);
        ClientSession s = t.connect(50000);
        long nowMs = LocalTestSupport.START_MICROS / 1000;
        String text = ID_7601 + " 127.0.0.1:7601@0 myself,master - 0 " + nowMs + " 1 connected 0-16383\n"
            + ID_7602 + " 127.0.0.1:7602@0 slave " + ID_7601 + " 0 " + nowMs + " 1 connected\n"
            + ID_7603 + " 127.0.0.1:7603@0 slave " + ID_7601 + " 0 " + nowMs + " 1 connected\n";
        byte[] reply = t.run(s, "CLUSTER", "NODES");
        assertEquals("=" + (text.length() + 4) + "\r\ntxt:" + text + "\r\n", LocalTestSupport.text(reply));
        assertEquals("$" + text.length() + "\r\n" + text + "\r\n", resp2(reply));
    }

    @Test
    void shardsIsOneShardWithItsNodes() {
        LocalTestSupport t = cluster(true);
        ClientSession s = t.connect(50000);
        String node = "%%7\r\n$2\r\nid\r\n$40\r\n%s\r\n$4\r\nport\r\n:%d\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
            + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n%s\r\n$18\r\nreplication-offset\r\n:0\r\n"
            + "$6\r\nhealth\r\n$6\r\nonline\r\n";
        String expected = "*1\r\n%2\r\n$5\r\nslots\r\n*2\r\n:0\r\n:16383\r\n$5\r\nnodes\r\n*3\r\n"
            + String.format(node, ID_7601, 7601, "$6\r\nmaster") + String.format(node, ID_7602, 7602, "$7\r\nreplica")
            + String.format(node, ID_7603, 7603, "$7\r\nreplica");
        byte[] reply = t.run(s, "CLUSTER", "SHARDS");
        assertEquals(expected, LocalTestSupport.text(reply));
        assertEquals(expected.replace("%7\r\n", "*14\r\n").replace("%2\r\n", "*4\r\n"), resp2(reply));
    }

    @Test
    void infoHasRedisFieldsInRedisOrder() {
        LocalTestSupport t = cluster(true);
        ClientSession s = t.connect(50000);
        String text = "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"
            + "cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:3\r\ncluster_size:1\r\n"
            + "cluster_current_epoch:1\r\ncluster_my_epoch:1\r\ncluster_stats_messages_sent:0\r\n"
            + "cluster_stats_messages_received:0\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n";
        assertEquals("$" + text.length() + "\r\n" + text + "\r\n", resp2(t.run(s, "CLUSTER", "INFO")));
    }

    @Test
    void myIdKeySlotAndConnectionFlags() {
        LocalTestSupport t = cluster(true);
        ClientSession s = t.connect(50000);
        assertEquals("$40\r\n" + ID_7601 + "\r\n", t.runText(s, "CLUSTER", "MYID"));
        assertEquals("$40\r\n5c230897ebf36525f5c4ffc7f50907d006d97a64\r\n", t.runText(s, "CLUSTER", "MYSHARDID"));
        assertEquals(":12182\r\n", t.runText(s, "CLUSTER", "KEYSLOT", "foo"));
        assertEquals(":12182\r\n", t.runText(s, "cluster", "keyslot", "a{foo}b"));
        assertEquals(":0\r\n", t.runText(s, "CLUSTER", "KEYSLOT", ""));
        assertEquals("-ERR wrong number of arguments for 'cluster|keyslot' command\r\n", t.runText(s, "CLUSTER", "KEYSLOT"));
        assertEquals("-ERR unknown subcommand 'FOO'. Try CLUSTER HELP.\r\n", t.runText(s, "CLUSTER", "FOO"));
        assertEquals("+OK\r\n", t.runText(s, "READONLY"));
        assertEquals(true, s.readOnly());
        assertEquals("+OK\r\n", t.runText(s, "READWRITE"));
        assertEquals(false, s.readOnly());
        assertEquals("+OK\r\n", t.runText(s, "ASKING"));
        assertEquals("$7\r\ncluster\r\n", between(t.runText(s, "HELLO", "3"), "$4\r\nmode\r\n", "$4\r\nrole"));
        assertEquals("*2\r\n$15\r\ncluster-enabled\r\n$3\r\nyes\r\n", resp2(t.run(s, "CONFIG", "GET", "cluster-enabled")));
    }

    @Test
    void disabledAnswersAsAStandaloneRedis() {
        LocalTestSupport t = cluster(false);
        ClientSession s = t.connect(50000);
        String disabled = "-ERR This instance has cluster support disabled\r\n";
        for (String[] c : List.of(new String[] {"CLUSTER", "SLOTS"}, new String[] {"CLUSTER", "NODES"},
                new String[] {"CLUSTER", "SHARDS"}, new String[] {"CLUSTER", "INFO"}, new String[] {"CLUSTER", "MYID"},
                new String[] {"CLUSTER", "KEYSLOT", "a"}, new String[] {"CLUSTER", "HELP"}, new String[] {"READONLY"},
                new String[] {"READWRITE"}, new String[] {"ASKING"})) {
            assertEquals(disabled, t.runText(s, c), String.join(" ", c));
        }
        assertEquals("$10\r\nstandalone\r\n", between(t.runText(s, "HELLO", "3"), "$4\r\nmode\r\n", "$4\r\nrole"));
    }

    private static String between(String s, String after, String before) {
        int a = s.indexOf(after) + after.length();
        return s.substring(a, s.indexOf(before, a));
    }
}
