package io.basalt.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.gateway.GatewayConfig;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.TestGatewayContexts;
import io.basalt.gateway.local.ShardStats;
import io.basalt.proto.internal.Command;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.client.RoutingConfig;
import io.basalt.router.client.ShardTransport;
import io.basalt.router.client.SlotMapSource;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A RESP connection over a real {@link RoutingClient} and three shards: a pipeline whose commands
 * go to different shards, and commands split over shards, answer in request order however the
 * shards' answers interleave. The shards are a fake transport the test completes by hand: nodes
 * hosting several shards land on the parallel branch multi-shard-node, and what matters here is
 * the gateway's side of the contract (one run per shard, replies put back in order).
 */
class MultiShardConnectionTest {

    private record Sent(int shard, String command, CompletableFuture<byte[]> reply) {}

    /** Records every command sent to a shard; replies complete when the test says. */
    private static final class HeldShards implements ShardTransport {
        final List<ShardInfo> shards;
        final List<Sent> sent = new ArrayList<>();

        HeldShards(List<ShardInfo> shards) {
            this.shards = shards;
        }

        @Override
        public synchronized List<CompletableFuture<byte[]>> submit(ShardInfo shard, boolean viaLog, boolean atomic,
                                                                   int affinity, List<Command> commands) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (Command c : commands) {
                List<String> words = c.getArgsList().stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList();
                CompletableFuture<byte[]> f = new CompletableFuture<>();
                sent.add(new Sent(shards.indexOf(shard), String.join(" ", words), f));
                replies.add(f);
            }
            return replies;
        }

        @Override
        public CompletableFuture<byte[]> readAlone(ShardInfo shard, int affinity, Command command) {
            return submit(shard, false, true, affinity, List.of(command)).get(0);
        }

        @Override
        public void close() {
        }

        synchronized List<Sent> on(int shard) {
            return sent.stream().filter(s -> s.shard() == shard).toList();
        }
    }

    private EmbeddedChannel ch;

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private static String keyOn(SlotMap map, int shard, int which) {
        for (int i = 0, found = 0; ; i++) {
            String key = "k" + i;
            if (map.shardIndexOfSlot(HashSlot.of(key.getBytes(StandardCharsets.UTF_8))) == shard && found++ == which) {
                return key;
            }
        }
    }

    @Test
    void aPipelineOverThreeShardsIsAnsweredInRequestOrder() throws Exception {
        List<ShardInfo> shards = new ArrayList<>();
        int[] owner = new int[HashSlot.SLOT_COUNT];
        for (int s = 0; s < 3; s++) {
            shards.add(new ShardInfo("g" + s, List.of(new ShardInfo.Replica("n1", "127.0.0.1:1"))));
            for (int slot = s * HashSlot.SLOT_COUNT / 3; slot < (s + 1) * HashSlot.SLOT_COUNT / 3; slot++) {
                owner[slot] = s;
            }
        }
        SlotMap map = new SlotMap(1, owner, shards);
        HeldShards held = new HeldShards(shards);
        RoutingClient router = new RoutingClient(SlotMapSource.fixed(map), held, RoutingConfig.DEFAULT);
        GatewayContext context = TestGatewayContexts.create(new GatewayConfig("127.0.0.1", 0, -1, 4096),
            router::executeGroup, () -> new CompletableFuture<ShardStats.Keyspace>());
        ch = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress localAddress0() {
                return new InetSocketAddress("127.0.0.1", 6379);
            }

            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 50000);
            }
        };
        RespConnection.install(ch.pipeline(), context);
        ch.register();
        String a = keyOn(map, 0, 0), b = keyOn(map, 1, 0), c = keyOn(map, 2, 0);

        ch.writeInbound(Unpooled.copiedBuffer("SET " + a + " 1\r\nSET " + b + " 2\r\nINCR " + c + "\r\nMGET " + c + " " + a
            + " " + b + "\r\nDEL " + a + " " + b + " " + c + "\r\nDBSIZE\r\n", StandardCharsets.ISO_8859_1));

        assertEquals(List.of("SET " + a + " 1", "MGET " + a, "DEL " + a, "DBSIZE"), held.on(0).stream().map(Sent::command).toList());
        assertEquals(List.of("INCR " + c, "MGET " + c, "DEL " + c, "DBSIZE"), held.on(2).stream().map(Sent::command).toList());

        // shard 2 answers everything first, then shard 1, then shard 0
        byte[] ok = new RespWriter().simple("OK").toByteArray();
        complete(held.on(2), new RespWriter().integer(1).toByteArray(), new RespWriter().array(1).bulk("1").toByteArray(),
            new RespWriter().integer(1).toByteArray(), new RespWriter().integer(1).toByteArray());
        complete(held.on(1), ok, new RespWriter().array(1).bulk("2").toByteArray(), new RespWriter().integer(1).toByteArray(),
            new RespWriter().integer(1).toByteArray());
        ch.runPendingTasks();
        assertEquals("", output(), "nothing before the first command's reply");
        complete(held.on(0), ok, new RespWriter().array(1).nullBulk().toByteArray(), new RespWriter().integer(0).toByteArray(),
            new RespWriter().integer(0).toByteArray());
        ch.runPendingTasks();
        assertEquals("+OK\r\n+OK\r\n:1\r\n*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n:2\r\n:2\r\n", output());
    }

    private static void complete(List<Sent> sent, byte[]... replies) {
        assertEquals(replies.length, sent.size());
        for (int i = 0; i < replies.length; i++) {
            sent.get(i).reply().complete(replies[i]);
        }
    }

    private String output() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }
}
