package io.basalt.router.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connection's order across a refusal: a shard plays a slot being moved (writes refused with
 * TRYAGAIN for the first few, reads still served), through {@link FakeShardTransport}, which
 * stands for the contract the real shards keep (a refused command was not executed). The
 * connection's later commands must see its refused write once it is retried.
 */
class RefusalOrderTest {

    private static final CommandTable TABLE = CommandTable.standard();
    private static final ShardInfo SHARD = new ShardInfo("group-0", List.of(new ShardInfo.Replica("n1", "127.0.0.1:9000")));

    /** A one-shard keyspace whose slot refuses the first {@code refusals} writes, as a frozen slot does. */
    private static final class FrozenSlot {
        final Map<String, String> values = new HashMap<>();
        final AtomicInteger refusals;
        final List<String> applied = new ArrayList<>();

        FrozenSlot(int refusals) {
            this.refusals = new AtomicInteger(refusals);
        }

        synchronized byte[] apply(String command) {
            String[] a = command.split(" ");
            int slot = HashSlot.of(a[1].getBytes(StandardCharsets.UTF_8));
            if (a[0].equals("GET")) {
                String v = values.get(a[1]);
                return v == null ? new RespWriter().nullBulk().toByteArray() : new RespWriter().bulk(v).toByteArray();
            }
            if (refusals.getAndDecrement() > 0) {
                return new RespWriter().error("TRYAGAIN slot " + slot + " is moving to another shard").toByteArray();
            }
            values.put(a[1], a[2]);
            applied.add(command);
            return new RespWriter().simple("OK").toByteArray();
        }
    }

    private static RoutingClient client(FrozenSlot slot) {
        FakeShardTransport fake = new FakeShardTransport(List.of(SHARD), (s, c) -> slot.apply(c));
        return new RoutingClient(SlotMapSource.fixed(SlotMap.singleShard(1, SHARD)), fake, RoutingConfig.DEFAULT);
    }

    private static List<CompletableFuture<byte[]>> group(RoutingClient client, String... lines) {
        List<CommandSpec> specs = new ArrayList<>();
        List<List<byte[]>> argvs = new ArrayList<>();
        for (String line : lines) {
            List<byte[]> argv = new ArrayList<>();
            for (String a : line.split(" ")) {
                argv.add(a.getBytes(StandardCharsets.UTF_8));
            }
            specs.add(TABLE.lookup(argv.get(0)));
            argvs.add(argv);
        }
        return client.executeGroup(true, specs, argvs, 7);
    }

    private static String text(CompletableFuture<byte[]> reply) {
        return new String(reply.join(), StandardCharsets.UTF_8);
    }

    @Test
    void aReadPipelinedAfterARefusedWriteSeesTheWriteOnceRetried() {
        FrozenSlot slot = new FrozenSlot(0);
        RoutingClient client = client(slot);
        assertEquals("+OK\r\n", text(group(client, "SET k v1").get(0)));
        slot.refusals.set(1);
        List<CompletableFuture<byte[]>> replies = group(client, "SET k v2", "GET k");
        assertEquals("+OK\r\n", text(replies.get(0)));
        assertEquals("$2\r\nv2\r\n", text(replies.get(1)), "the read ran again behind the retried write");
    }

    @Test
    void refusedWritesOfOneConnectionAreAppliedInItsOrder() {
        FrozenSlot slot = new FrozenSlot(3);
        RoutingClient client = client(slot);
        List<CompletableFuture<byte[]>> replies = group(client, "SET k a", "SET k b", "SET k c");
        replies.forEach(r -> assertEquals("+OK\r\n", text(r)));
        assertEquals(List.of("SET k a", "SET k b", "SET k c"), slot.applied);
        assertEquals("$1\r\nc\r\n", text(group(client, "GET k").get(0)));
    }

    @Test
    void aGroupSubmittedWhileARetryIsPendingWaitsForIt() {
        FrozenSlot slot = new FrozenSlot(2);
        RoutingClient client = client(slot);
        List<CompletableFuture<byte[]>> first = group(client, "SET k x");
        List<CompletableFuture<byte[]>> second = group(client, "GET k");
        assertEquals("+OK\r\n", text(first.get(0)));
        assertEquals("$1\r\nx\r\n", text(second.get(0)), "the later group went after the retry");
    }

    @Test
    void aReadSentBeforeTheRefusedWriteIsNotRunAgain() {
        FrozenSlot slot = new FrozenSlot(0);
        RoutingClient client = client(slot);
        group(client, "SET k old").get(0).join();
        slot.refusals.set(1);
        List<CompletableFuture<byte[]>> replies = group(client, "GET k", "SET k new");
        assertEquals("$3\r\nold\r\n", text(replies.get(0)), "a read before the write keeps its answer");
        assertEquals("+OK\r\n", text(replies.get(1)));
    }
}
