package io.basalt.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.GatewayConfig;
import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.ShardExecutor;
import io.basalt.gateway.TestGatewayContexts;
import io.basalt.gateway.local.ShardStats;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@link RespConnection}, behind the real RESP decoder, on an {@link EmbeddedChannel}:
 * raw RESP bytes in, raw bytes out. The shard side is a fake that records each group the
 * connection submits and completes replies only when the test says so, so ordering is asserted
 * without timing. Completions are handed to the channel's event loop, as in production; the test
 * runs them with {@link EmbeddedChannel#runPendingTasks()}.
 *
 * <p>Every test ends by checking that every buffer the channel allocated was released.
 */
class RespConnectionTest {

    private static final byte[] OK = new RespWriter().simple("OK").toByteArray();
    private static final byte[] NIL = new RespWriter().nullBulk().toByteArray();

    private final FakeShards shards = new FakeShards();
    private final FakeShardStats shardStats = new FakeShardStats();
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final StallingFlush stall = new StallingFlush();
    private GatewayContext context;
    private TestChannel ch;

    private void open(int pipelineCommandsMax) throws Exception {
        open(pipelineCommandsMax, null);
    }

    private void open(int pipelineCommandsMax, WriteBufferWaterMark waterMark) throws Exception {
        open(pipelineCommandsMax, waterMark, ClusterSettings.DISABLED);
    }

    private void open(int pipelineCommandsMax, WriteBufferWaterMark waterMark, ClusterSettings cluster) throws Exception {
        context = TestGatewayContexts.create(new GatewayConfig("127.0.0.1", 0, -1, pipelineCommandsMax), shards, shardStats,
            cluster);
        ch = new TestChannel();
        ch.config().setAllocator(alloc);
        if (waterMark != null) {
            ch.config().setWriteBufferWaterMark(waterMark);
        }
        ch.pipeline().addLast("client-socket", stall);
        RespConnection.install(ch.pipeline(), context);
        ch.register();
    }

    @AfterEach
    void releasedEverything() {
        if (ch != null) {
            ch.finishAndReleaseAll();
            ch.runPendingTasks();
            ch.releaseOutbound();
        }
        alloc.assertAllReleased();
    }

    // ---- 1. writes stream ----

    @Test
    void pipelinedWritesAreAllSubmittedThroughTheLogAndAnsweredInRequestOrder() throws Exception {
        open(4096);
        send("SET a 1\r\nSET b 2 NX\r\nSET c 3 GET\r\n");

        assertEquals(List.of("log[SET a 1]", "log[SET b 2 NX]", "log[SET c 3 GET]"), shards.submitted());
        assertEquals("", output());

        shards.reply("SET c 3 GET", bulk("old"));
        settle();
        assertEquals("", output(), "c answered first, but a and b come before it");
        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n", output());
        shards.reply("SET b 2 NX", NIL);
        settle();
        assertEquals("$-1\r\n$3\r\nold\r\n", output());
        assertTrue(ch.isOpen());
        assertEquals(1, shards.affinities().size(), "one connection, one affinity: " + shards.affinities());
    }

    // ---- 2. reads after writes, read groups ----

    @Test
    void readAfterInFlightWritesJoinsTheLogWithoutWaiting() throws Exception {
        open(4096);
        send("SET a 1\r\nINCR n\r\n");
        send("GET a\r\n");

        assertEquals(List.of("log[SET a 1]", "log[INCR n]", "log[GET a]"), shards.submitted());

        shards.reply("GET a", bulk("1"));
        shards.reply("INCR n", new RespWriter().integer(7).toByteArray());
        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n:7\r\n$1\r\n1\r\n", output());
    }

    @Test
    void readsWithNothingInFlightGoAsOneReadGroupAndAWriteAfterThemWaits() throws Exception {
        open(4096);
        send("GET a\r\n");
        assertEquals(List.of("read[GET a]"), shards.submitted());

        send("GET b\r\nMGET c d\r\nEXISTS e\r\n");
        assertEquals(List.of("read[GET a]"), shards.submitted(), "reads after a read group wait for it");

        shards.reply("GET a", bulk("A"));
        settle();
        assertEquals("$1\r\nA\r\n", output());
        assertEquals(List.of("read[GET a]", "read[GET b, MGET c d, EXISTS e]"), shards.submitted());

        send("SET f 1\r\n");
        assertEquals(2, shards.submitted().size(), "a write after a read group waits for it");

        shards.reply("EXISTS e", new RespWriter().integer(0).toByteArray());
        shards.reply("GET b", NIL);
        settle();
        assertEquals(2, shards.submitted().size(), "the whole group must complete first");
        assertEquals("$-1\r\n", output());

        shards.reply("MGET c d", new RespWriter().array(2).bulk("C").nullBulk().toByteArray());
        settle();
        assertEquals("*2\r\n$1\r\nC\r\n$-1\r\n:0\r\n", output());
        assertEquals(List.of("read[GET a]", "read[GET b, MGET c d, EXISTS e]", "log[SET f 1]"), shards.submitted());

        shards.reply("SET f 1", OK);
        settle();
        assertEquals("+OK\r\n", output());
    }

    @Test
    void readsQueuedBehindAReadGroupTravelWithALaterWriteThroughTheLog() throws Exception {
        open(4096);
        send("GET a\r\n");
        send("GET b\r\nSET c 1\r\nGET c\r\n");
        shards.reply("GET a", NIL);
        settle();
        assertEquals(List.of("read[GET a]", "log[GET b, SET c 1, GET c]"), shards.submitted());
        shards.reply("GET c", bulk("1"));
        shards.reply("SET c 1", OK);
        shards.reply("GET b", NIL);
        settle();
        assertEquals("$-1\r\n$-1\r\n+OK\r\n$1\r\n1\r\n", output());
    }

    // ---- 3. gateway-local commands ----

    @Test
    void localCommandsInAPipelineAnswerInTheirPlace() throws Exception {
        open(4096);
        send("SET a 1\r\nPING\r\nECHO hello\r\nSET b 2\r\nPING again\r\n");

        assertEquals(List.of("log[SET a 1]", "log[SET b 2]"), shards.submitted());
        assertEquals("", output(), "PING and ECHO wait for the SET before them");

        shards.reply("SET b 2", OK);
        settle();
        assertEquals("", output());
        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n+PONG\r\n$5\r\nhello\r\n+OK\r\n$5\r\nagain\r\n", output());
    }

    @Test
    void helloInAPipelineChangesOnlyTheRepliesAfterIt() throws Exception {
        open(4096);
        send("SET k v\r\nGET a\r\nHELLO 3\r\nGET b\r\nECHO x\r\nHELLO 2\r\nGET c\r\n");
        long id = context.clients().list().get(0).id();

        assertEquals(List.of("log[SET k v]", "log[GET a]", "log[GET b]", "log[GET c]"), shards.submitted());
        shards.reply("GET c", NIL);
        shards.reply("GET b", NIL);
        shards.reply("GET a", NIL);
        shards.reply("SET k v", OK);
        settle();
        assertEquals("+OK\r\n$-1\r\n" + hello(3, id) + "_\r\n$1\r\nx\r\n" + hello(2, id) + "$-1\r\n", output());
    }

    @Test
    void infoWaitsForEverythingBeforeItAndWhatFollowsWaitsForIt() throws Exception {
        open(4096);
        send("SET a 1\r\nINFO keyspace\r\nPING\r\nGET a\r\n");

        assertEquals(List.of("log[SET a 1]"), shards.submitted(), "GET waits behind INFO");
        assertEquals(0, shardStats.calls, "INFO waits for the SET before it");

        shards.reply("SET a 1", OK);
        settle();
        assertEquals(1, shardStats.calls);
        assertEquals(List.of("log[SET a 1]"), shards.submitted(), "GET waits for INFO to answer");
        assertEquals("+OK\r\n", output());

        shardStats.next.complete(new ShardStats.Keyspace(3, 1, 0, 0));
        settle();
        assertEquals(List.of("log[SET a 1]", "read[GET a]"), shards.submitted());
        String info = "# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\n";
        assertEquals("$" + info.length() + "\r\n" + info + "\r\n+PONG\r\n", output());

        shards.reply("GET a", bulk("1"));
        settle();
        assertEquals("$1\r\n1\r\n", output());
    }

    // ---- 4. QUIT ----

    @Test
    void quitAnswersAfterEarlierRepliesThenClosesAndRunsNothingAfterIt() throws Exception {
        open(4096);
        send("SET a 1\r\nPING\r\nQUIT\r\nSET x y\r\nGET x\r\n");

        assertEquals(List.of("log[SET a 1]"), shards.submitted());
        assertEquals("", output());
        assertTrue(ch.isOpen(), "the SET's reply is still owed");
        assertFalse(ch.config().isAutoRead(), "nothing is read after QUIT");

        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n+PONG\r\n+OK\r\n", output());
        assertFalse(ch.isOpen());
        assertEquals(List.of("log[SET a 1]"), shards.submitted(), "nothing after QUIT is executed");
    }

    // ---- 5. protocol errors ----

    @Test
    void protocolErrorIsAnsweredAfterTheEarlierRepliesThenTheConnectionCloses() throws Exception {
        open(4096);
        send("SET a 1\r\nPING\r\n*x\r\nSET b 2\r\n");

        assertEquals(List.of("log[SET a 1]"), shards.submitted());
        assertEquals("", output());
        assertTrue(ch.isOpen());

        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n", output());
        assertFalse(ch.isOpen());
        assertEquals(List.of("log[SET a 1]"), shards.submitted());
    }

    // ---- 6. errors the gateway answers ----

    @Test
    void clusterModeRefusesCrossSlotCommandsInPlaceButSplitsTheSplittableOnes() throws Exception {
        open(4096, null, new ClusterSettings(true, null, List.of()));
        // {a} and {b} are different slots; MSET and DEL may span slots, MSETNX and RENAME may not
        send("MSETNX {a}1 x {b}1 y\r\nMSETNX {a}1 x {a}2 y\r\nMSET {a}1 x {b}1 y\r\n"
            + "RENAME {a}1 {b}1\r\nDEL {a}1 {b}1\r\nBLPOP {a}1 {b}1 0\r\n");
        assertEquals(List.of("log[MSETNX {a}1 x {a}2 y]", "log[MSET {a}1 x {b}1 y]", "log[DEL {a}1 {b}1]"),
            shards.submitted());
        shards.reply("MSETNX {a}1 x {a}2 y", new RespWriter().integer(1).toByteArray());
        shards.reply("MSET {a}1 x {b}1 y", OK);
        shards.reply("DEL {a}1 {b}1", new RespWriter().integer(2).toByteArray());
        settle();
        String crossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
        assertEquals(crossSlot + ":1\r\n+OK\r\n" + crossSlot + ":2\r\n" + crossSlot, output());
        assertTrue(ch.isOpen());
    }

    @Test
    void clusterModeDisabledTakesKeysOfAnySlots() throws Exception {
        open(4096);
        send("MSETNX {a}1 x {b}1 y\r\n");
        assertEquals(List.of("log[MSETNX {a}1 x {b}1 y]"), shards.submitted());
        shards.reply("MSETNX {a}1 x {b}1 y", new RespWriter().integer(1).toByteArray());
        settle();
        assertEquals(":1\r\n", output());
    }

    @Test
    void unknownCommandAndWrongArityAnswerInPlace() throws Exception {
        open(4096);
        send("SET a 1\r\nFOO bar baz\r\nGET\r\nCLIENT NOSUCH\r\nSET b 2\r\n");

        assertEquals(List.of("log[SET a 1]", "log[SET b 2]"), shards.submitted());
        assertEquals("", output());
        shards.reply("SET a 1", OK);
        settle();
        assertEquals("+OK\r\n"
                + "-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n"
                + "-ERR wrong number of arguments for 'get' command\r\n"
                + "-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n", output());
        shards.reply("SET b 2", OK);
        settle();
        assertEquals("+OK\r\n", output());
        assertTrue(ch.isOpen());
        assertEquals(3, context.stats().errorReplies());
    }

    @Test
    void bareCommandAnswersAndTheConnectionGoesOn() throws Exception {
        open(4096);
        send("COMMAND\r\nPING\r\n");
        String out = output();
        assertTrue(out.startsWith("*" + context.table().visible().size() + "\r\n*"), out.substring(0, 40));
        assertTrue(out.endsWith("\r\n+PONG\r\n"));
        assertTrue(ch.isOpen());
        assertTrue(ch.config().isAutoRead());

        send("GET a\r\n");
        assertEquals(List.of("read[GET a]"), shards.submitted());
        shards.reply("GET a", NIL);
        settle();
        assertEquals("$-1\r\n", output());
    }

    @Test
    void emptyCommandsAreIgnoredAsRedisIgnoresThem() throws Exception {
        open(4096);
        send("*0\r\nPING\r\n\r\n   \r\nPING\r\n");
        assertEquals("+PONG\r\n+PONG\r\n", output());
        assertTrue(ch.isOpen());
    }

    @Test
    void aFailedShardReplyAnswersAnErrorInPlace() throws Exception {
        open(4096);
        send("SET a 1\r\nSET b 2\r\nPING\r\n");
        shards.fail("SET a 1", new IllegalStateException("boom"));
        shards.reply("SET b 2", OK);
        settle();
        assertEquals("-ERR internal error\r\n+OK\r\n+PONG\r\n", output());
        assertTrue(ch.isOpen());
    }

    @Test
    void aGroupTheShardSideRefusesToTakeAnswersErrorsInPlace() throws Exception {
        open(4096);
        send("SET a 1\r\n");
        shards.throwNext = new IllegalStateException("shard client closed");
        send("SET b 2\r\nPING\r\n");
        shards.reply("SET a 1", OK);
        settle();
        ch.checkException();
        assertTrue(ch.isOpen(), "the connection survives");
        assertEquals("+OK\r\n-ERR internal error\r\n+PONG\r\n", output());

        send("GET c\r\n");
        shards.reply("GET c", NIL);
        settle();
        assertEquals("$-1\r\n", output());
    }

    @Test
    void aGroupRefusedWhenAnEarlierReadGroupCompletesDoesNotHangTheConnection() throws Exception {
        open(4096);
        send("GET a\r\n");
        send("SET b 1\r\nPING\r\n"); // waits for the read group
        shards.throwNext = new IllegalStateException("shard client closed");
        shards.reply("GET a", NIL); // SET b is submitted from this completion, on the event loop
        settle();
        ch.checkException();
        assertEquals("$-1\r\n-ERR internal error\r\n+PONG\r\n", output());
        assertTrue(ch.isOpen());

        send("SET c 1\r\n");
        shards.reply("SET c 1", OK);
        settle();
        assertEquals("+OK\r\n", output());
    }

    @Test
    void aMalformedShardReplyClosesTheConnectionAfterTheRepliesBeforeIt() throws Exception {
        open(4096);
        send("SET a 1\r\nSET b 2\r\nSET c 3\r\n");
        shards.reply("SET a 1", OK);
        shards.reply("SET b 2", "?garbage\r\n".getBytes(StandardCharsets.ISO_8859_1));
        shards.reply("SET c 3", OK);
        settle();
        assertEquals("+OK\r\n", output());
        assertFalse(ch.isOpen());
    }

    // ---- 7. backpressure ----

    @Test
    void stopsReadingPastPipelineMaxAndResumesAtHalf() throws Exception {
        open(8);
        for (int i = 0; i < 7; i++) {
            send("SET k" + i + " v\r\n");
            assertTrue(ch.config().isAutoRead(), "after " + (i + 1) + " commands");
        }
        send("SET k7 v\r\n");
        assertFalse(ch.config().isAutoRead(), "8 commands outstanding");
        assertEquals(8, shards.submitted().size());

        for (int i = 0; i < 3; i++) {
            shards.reply("SET k" + i + " v", OK);
            settle();
            assertFalse(ch.config().isAutoRead(), (7 - i) + " outstanding");
        }
        shards.reply("SET k3 v", OK);
        settle();
        assertTrue(ch.config().isAutoRead(), "4 outstanding: half of 8");
        assertEquals("+OK\r\n".repeat(4), output());

        // reading resumes, and stops again at 8
        for (int i = 8; i < 12; i++) {
            send("SET k" + i + " v\r\n");
        }
        assertFalse(ch.config().isAutoRead());
        for (int i = 4; i < 12; i++) {
            shards.reply("SET k" + i + " v", OK);
        }
        settle();
        assertTrue(ch.config().isAutoRead());
        assertEquals("+OK\r\n".repeat(8), output());
    }

    @Test
    void pipelineMaxCountsRepliesWaitingBehindAnEarlierCommand() throws Exception {
        open(8);
        send("SET a 1\r\n");
        for (int i = 0; i < 6; i++) {
            send("PING\r\n");
        }
        assertTrue(ch.config().isAutoRead(), "7 outstanding");
        send("PING\r\n");
        assertFalse(ch.config().isAutoRead(), "answered PINGs still wait behind the SET");
        shards.reply("SET a 1", OK);
        settle();
        assertTrue(ch.config().isAutoRead());
        assertEquals("+OK\r\n" + "+PONG\r\n".repeat(7), output());
    }

    @Test
    void aClientThatDoesNotReadItsRepliesStopsBeingRead() throws Exception {
        // EmbeddedChannel always accepts a flush; a handler at the socket end withholds flushes
        // instead, as a full socket send buffer would: the written replies stay pending.
        open(4096, new WriteBufferWaterMark(512, 1024));
        stall.stalled = true;
        String value = "v".repeat(2000);
        send("GET big\r\n");
        shards.reply("GET big", bulk(value));
        settle();

        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "the client does not take its replies");
        assertEquals("", output());

        stall.stalled = false;
        ch.flush();
        assertTrue(ch.isWritable());
        assertTrue(ch.config().isAutoRead());
        assertEquals("$2000\r\n" + value + "\r\n", output());
    }

    @Test
    void unwritableChannelKeepsReadingOffWhileThePipelineDrains() throws Exception {
        open(8, new WriteBufferWaterMark(512, 1024));
        stall.stalled = true;
        for (int i = 0; i < 8; i++) {
            send("SET k" + i + " v GET\r\n");
        }
        assertFalse(ch.config().isAutoRead(), "8 outstanding");
        // one big reply fills the write buffer; the rest drain the pipeline below half
        for (int i = 0; i < 8; i++) {
            shards.reply("SET k" + i + " v GET", bulk(i == 0 ? "x".repeat(2000) : "y"));
        }
        settle();
        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "pipeline empty, but the client does not read");

        stall.stalled = false;
        ch.flush();
        assertTrue(ch.config().isAutoRead());
        assertEquals("$2000\r\n" + "x".repeat(2000) + "\r\n" + "$1\r\ny\r\n".repeat(7), output());
    }

    // ---- 8. closed while in flight ----

    @Test
    void repliesCompletingAfterTheChannelClosedAreDroppedAndReleased() throws Exception {
        open(4096);
        send("SET a 1\r\nGET a\r\nINFO keyspace\r\nPING\r\n");
        send("*2\r\n$3\r\nGET\r\n$1\r\n"); // a partial command held by the decoder
        assertEquals(List.of("log[SET a 1]", "log[GET a]"), shards.submitted());

        ch.close(); // the client went away
        assertFalse(ch.isOpen());
        assertEquals(0, context.clients().connectedCount());

        shards.reply("GET a", bulk("1"));
        shards.reply("SET a 1", OK);
        settle();
        ch.checkException();
        assertEquals("", output());
        assertEquals(0, shardStats.calls, "INFO is not run for a closed connection");
        assertEquals(List.of("log[SET a 1]", "log[GET a]"), shards.submitted());
        // releasedEverything() checks the buffers
    }

    @Test
    void closedWhileAReadGroupIsInFlightSubmitsNothingMore() throws Exception {
        open(4096);
        send("GET a\r\n");
        send("SET b 1\r\nGET b\r\n");
        ch.close();
        shards.reply("GET a", NIL);
        settle();
        ch.checkException();
        assertEquals(List.of("read[GET a]"), shards.submitted());
        assertEquals("", output());
    }

    // ---- helpers ----

    private static String hello(int proto, long id) {
        return (proto == 3 ? "%7\r\n" : "*14\r\n")
                + "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" + proto
                + "\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    private static byte[] bulk(String value) {
        return new RespWriter().bulk(value).toByteArray();
    }

    /** One read from the client's socket. */
    private void send(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    /** Runs what was handed to the event loop (reply completions, flushes). */
    private void settle() {
        ch.runPendingTasks();
    }

    /** Everything written to the client since the last call. */
    private String output() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    /** An EmbeddedChannel with TCP addresses, as RespConnection records them in CLIENT LIST. */
    private static final class TestChannel extends EmbeddedChannel {
        TestChannel() {
            super(false, false); // registered by the test once the handlers are in place
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 6379);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 50000);
        }
    }

    /** The client's end of the socket: while stalled, nothing written is flushed (the client does not read). */
    private static final class StallingFlush extends ChannelOutboundHandlerAdapter {
        volatile boolean stalled;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }
    }

    /** Records every group the connection submits; replies complete when the test says. */
    static final class FakeShards implements ShardExecutor {
        record Call(String command, CompletableFuture<byte[]> reply) {}

        record Group(boolean viaLog, List<Call> calls, int affinity) {
            @Override
            public String toString() {
                return (viaLog ? "log" : "read") + calls.stream().map(Call::command).toList();
            }
        }

        final List<Group> groups = new ArrayList<>();
        /** Thrown by the next executeGroup, as a closed or broken shard client would. */
        RuntimeException throwNext;

        @Override
        public List<CompletableFuture<byte[]>> executeGroup(boolean viaLog, List<CommandSpec> specs,
                                                            List<List<byte[]>> argvs, int affinity) {
            if (throwNext != null) {
                RuntimeException e = throwNext;
                throwNext = null;
                throw e;
            }
            assertEquals(specs.size(), argvs.size());
            assertFalse(argvs.isEmpty(), "empty group");
            List<Call> calls = new ArrayList<>();
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < argvs.size(); i++) {
                List<String> words = argvs.get(i).stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList();
                assertEquals(specs.get(i).name(), words.get(0).toLowerCase(), "spec of " + words);
                assertEquals(CommandSpec.Site.SHARD, specs.get(i).site());
                if (!viaLog) {
                    assertFalse(specs.get(i).isWrite(), "write in a read group: " + words);
                }
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                calls.add(new Call(String.join(" ", words), reply));
                replies.add(reply);
            }
            groups.add(new Group(viaLog, Collections.unmodifiableList(calls), affinity));
            return replies;
        }

        List<String> submitted() {
            return groups.stream().map(Group::toString).toList();
        }

        List<Integer> affinities() {
            return groups.stream().map(Group::affinity).distinct().toList();
        }

        /** Completes the one pending call of that command line, on the test's thread (as a shard thread would). */
        void reply(String command, byte[] reply) {
            pending(command).complete(reply);
        }

        void fail(String command, Throwable error) {
            pending(command).completeExceptionally(error);
        }

        private CompletableFuture<byte[]> pending(String command) {
            List<Call> pending = groups.stream().flatMap(g -> g.calls().stream())
                    .filter(c -> c.command().equals(command) && !c.reply().isDone()).toList();
            assertEquals(1, pending.size(), "pending calls of " + command + " in " + submitted());
            return pending.get(0).reply();
        }
    }

    /** INFO's shard statistics, answered when the test completes {@link #next}. */
    static final class FakeShardStats implements ShardStats {
        final CompletableFuture<Keyspace> next = new CompletableFuture<>();
        int calls;

        @Override
        public CompletableFuture<Keyspace> keyspace() {
            calls++;
            return next;
        }
    }

    /** Unpooled heap buffers, each remembered so the test can check they were all released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(buf);
            return buf;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        void assertAllReleased() {
            List<ByteBuf> live = allocated.stream().filter(b -> b.refCnt() > 0).toList();
            assertEquals(List.of(), live.stream().map(b -> b.toString(StandardCharsets.ISO_8859_1)).toList(),
                    "buffers not released (of " + allocated.size() + ")");
        }
    }
}
