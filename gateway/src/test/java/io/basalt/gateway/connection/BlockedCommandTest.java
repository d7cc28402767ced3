package io.basalt.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.GatewayConfig;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.TestGatewayContexts;
import io.basalt.router.reply.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A blocking command through a real {@link RespConnection} with a fake shard: the connection
 * follows the "-BASALTBLOCKED" reply with long polls, unblocks at the deadline, claims what it
 * delivered, holds back the commands pipelined after it, and unblocks when the client leaves.
 */
class BlockedCommandTest {

    private static final String TOKEN = "1048576";
    private static final byte[] BLOCKED = err("BASALTBLOCKED " + TOKEN + " 0");
    private static final byte[] WAIT = err("BASALTWAIT");
    private static final byte[] SERVED = new RespWriter().array(2).bulk("k").bulk("v").toByteArray();

    private final RespConnectionTest.FakeShards shards = new RespConnectionTest.FakeShards();
    private EmbeddedChannel ch;

    @BeforeEach
    void open() throws Exception {
        GatewayContext context = TestGatewayContexts.create(new GatewayConfig("127.0.0.1", 0, -1, 4096), shards,
            new RespConnectionTest.FakeShardStats());
        ch = new EmbeddedChannel(false, false) {
            @Override
            protected java.net.SocketAddress localAddress0() {
                return new java.net.InetSocketAddress("127.0.0.1", 6379);
            }

            @Override
            protected java.net.SocketAddress remoteAddress0() {
                return new java.net.InetSocketAddress("127.0.0.1", 50000);
            }
        };
        RespConnection.install(ch.pipeline(), context);
        ch.register();
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void blockedClientIsPolledServedAndClaimedAndLaterCommandsWait() {
        send("BLPOP k 0\r\nGET x\r\n");
        assertEquals(List.of("log[BLPOP k 0]"), shards.submitted(), "nothing runs after a blocking command");
        shards.reply("BLPOP k 0", BLOCKED);
        settle();
        assertEquals(List.of("log[BLPOP k 0]", "read[basalt.await k " + TOKEN + "]"), shards.submitted());
        shards.reply("basalt.await k " + TOKEN, WAIT);
        settle();
        assertEquals("", output());
        assertEquals(3, shards.submitted().size(), "polls again: " + shards.submitted());
        shards.reply("basalt.await k " + TOKEN, SERVED);
        settle();
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", output());
        assertTrue(shards.submitted().contains("log[basalt.claim k " + TOKEN + "]"), shards.submitted().toString());
        assertTrue(shards.submitted().contains("read[GET x]"), "GET runs once BLPOP returned: " + shards.submitted());
    }

    @Test
    void blockingCommandStreamsBehindEarlierWritesAndHoldsBackLaterOnes() {
        send("SET a 1\r\nBLPOP k 0\r\nSET b 2\r\n");
        assertEquals(2, shards.submitted().size(), "SET b waits for BLPOP: " + shards.submitted());
        assertEquals(List.of("log[SET a 1]", "log[BLPOP k 0]"), shards.submitted(), "BLPOP does not wait for SET");
        shards.reply("SET a 1", new RespWriter().simple("OK").toByteArray());
        shards.reply("BLPOP k 0", new RespWriter().nullArray().toByteArray()); // e.g. a timeout reply
        settle();
        assertEquals("+OK\r\n*-1\r\n", output());
        assertEquals(List.of("log[SET a 1]", "log[BLPOP k 0]", "log[SET b 2]"), shards.submitted());
    }

    @Test
    void dataAvailableRepliesAtOnce() {
        send("BRPOP k 0\r\n");
        shards.reply("BRPOP k 0", SERVED);
        settle();
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", output());
        assertEquals(1, shards.submitted().size());
    }

    @Test
    void failedPollIsRetried() {
        send("BLPOP k 0\r\n");
        shards.reply("BLPOP k 0", BLOCKED);
        settle();
        shards.reply("basalt.await k " + TOKEN, err("CLUSTERDOWN The shard has no reachable leader, try again later"));
        settleUntil(() -> shards.submitted().size() == 3);
        assertEquals("read[basalt.await k " + TOKEN + "]", shards.submitted().get(2));
        assertEquals("", output());
    }

    @Test
    void deadlineUnblocksWithRedisTimeoutReplyInEachProtocol() {
        for (int proto : new int[] {2, 3}) {
            if (proto == 3) {
                send("HELLO 3\r\n");
                output();
            }
            int before = shards.submitted().size();
            send("BLPOP k 0.01\r\n");
            shards.reply("BLPOP k 0.01", err("BASALTBLOCKED " + proto + " 10"));
            settleUntil(() -> shards.submitted().contains("log[basalt.unblock k " + proto + "]"));
            shards.reply("basalt.unblock k " + proto, new RespWriter().nullArray().toByteArray());
            settle();
            assertEquals(proto == 2 ? "*-1\r\n" : "_\r\n", output());
            assertTrue(shards.submitted().size() > before);
        }
    }

    @Test
    void unblockAfterServedDeliversTheServedReplyAndClaimsIt() {
        send("BLMOVE a b LEFT LEFT 0.01\r\n");
        shards.reply("BLMOVE a b LEFT LEFT 0.01", err("BASALTBLOCKED 7 10"));
        settleUntil(() -> shards.submitted().contains("log[basalt.unblock a 7]"));
        shards.reply("basalt.unblock a 7", new RespWriter().bulk("v").toByteArray());
        settle();
        assertEquals("$1\r\nv\r\n", output());
        assertTrue(shards.submitted().contains("log[basalt.claim a 7]"), shards.submitted().toString());
    }

    @Test
    void goneWaiterIsBlockedAgainWithTheSameCommand() {
        send("BLPOP k 0\r\n");
        shards.reply("BLPOP k 0", BLOCKED);
        settle();
        shards.reply("basalt.await k " + TOKEN, err("BASALTGONE"));
        settle();
        assertEquals(List.of("log[BLPOP k 0]", "read[basalt.await k " + TOKEN + "]", "log[BLPOP k 0]"), shards.submitted());
        shards.reply("BLPOP k 0", SERVED);
        settle();
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", output());
    }

    @Test
    void disconnectUnblocks() {
        send("BZPOPMIN z 0\r\n");
        shards.reply("BZPOPMIN z 0", err("BASALTBLOCKED 9 0"));
        settle();
        ch.close();
        settle();
        assertTrue(shards.submitted().contains("log[basalt.unblock z 9]"), shards.submitted().toString());
    }

    @Test
    void clientGoneBeforeTheBlockedReplyArrivedIsUnblocked() {
        send("BLPOP k 0\r\n");
        ch.close();
        settle();
        shards.reply("BLPOP k 0", BLOCKED);
        settle();
        assertTrue(shards.submitted().contains("log[basalt.unblock k " + TOKEN + "]"), shards.submitted().toString());
        assertTrue(shards.submitted().stream().noneMatch(c -> c.startsWith("read[basalt.await")), shards.submitted().toString());
    }

    @Test
    void leaseIsRenewedWhileBlockedAndNotAfter() {
        io.basalt.router.command.CommandTable table = io.basalt.router.command.CommandTable.standard();
        List<byte[]> argv = List.of("BLPOP".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8),
            "0".getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.atomic.AtomicReference<byte[]> reply = new java.util.concurrent.atomic.AtomicReference<>();
        BlockedCall call = new BlockedCall(shards, table, ch.eventLoop(), table.lookup("blpop"), argv, 1, System.nanoTime(),
            5, reply::set);
        call.start(BLOCKED);
        settleUntil(() -> shards.submitted().stream().filter(c -> c.equals("log[basalt.renew k " + TOKEN + "]")).count() >= 2);
        shards.reply("basalt.await k " + TOKEN, SERVED);
        settle();
        assertEquals(new String(SERVED, StandardCharsets.UTF_8), new String(reply.get(), StandardCharsets.UTF_8));
        assertTrue(call.timersStopped(), "no renewals once the reply is delivered");
    }

    @Test
    void clientsCannotCallTheInternalCommands() {
        send("basalt.unblock k 1\r\n");
        settle();
        assertTrue(output().startsWith("-ERR unknown command 'basalt.unblock'"));
        assertEquals(List.of(), shards.submitted());
    }

    private static byte[] err(String text) {
        return new RespWriter().error(text).toByteArray();
    }

    private void send(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    private void settle() {
        ch.runPendingTasks();
    }

    /** Runs the event loop's tasks (scheduled ones too, when due) until the condition holds. */
    private void settleUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 10 s: " + shards.submitted());
            ch.runPendingTasks();
            ch.runScheduledPendingTasks();
            Thread.onSpinWait();
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
