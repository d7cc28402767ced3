package io.basalt.router.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The gateway's map follows the shards' own ownership (basalt.slots), and commands refused while
 * a slot moves (BASALTMOVED in the gap, TRYAGAIN while frozen) are retried until they land.
 */
class OwnershipSlotMapSourceTest {

    private static final String KEY = "foo"; // slot 12182
    private static final int SLOT = HashSlot.of(KEY.getBytes(StandardCharsets.UTF_8));

    /** Which shard claims SLOT: 0, 1, or -1 for none (the gap between disown and own). */
    private volatile int claimant = 1;
    private final AtomicInteger frozenAnswers = new AtomicInteger();

    private byte[] answer(int shard, String command) {
        if (command.equals("basalt.slots")) {
            // shard 0 owns 0-8191, shard 1 owns 8192-16383, SLOT goes to the claimant
            RespWriter w = new RespWriter();
            List<Integer> ints = new ArrayList<>();
            if (shard == 0) {
                ints.addAll(List.of(0, 8191));
                if (claimant == 0) {
                    ints.addAll(List.of(SLOT, SLOT));
                }
            } else if (claimant == 1) {
                ints.addAll(List.of(8192, 16383));
            } else {
                ints.addAll(List.of(8192, SLOT - 1, SLOT + 1, 16383));
            }
            w.array(ints.size());
            ints.forEach(w::integer);
            return w.toByteArray();
        }
        if (shard != claimant) {
            return new RespWriter().error("BASALTMOVED " + SLOT).toByteArray();
        }
        if (frozenAnswers.getAndDecrement() > 0) {
            return new RespWriter().error("TRYAGAIN slot " + SLOT + " is moving to another shard").toByteArray();
        }
        return new RespWriter().simple("OK").toByteArray();
    }

    private static List<ShardInfo> shards() {
        return List.of(new ShardInfo("group-0", List.of(new ShardInfo.Replica("n1", "127.0.0.1:9000"))),
            new ShardInfo("group-1", List.of(new ShardInfo.Replica("n1", "127.0.0.1:9001"))));
    }

    private static SlotMap evenMap(List<ShardInfo> shards) {
        int[] owner = new int[HashSlot.SLOT_COUNT];
        for (int slot = 8192; slot < HashSlot.SLOT_COUNT; slot++) {
            owner[slot] = 1;
        }
        return new SlotMap(1, owner, shards);
    }

    private static String set(RoutingClient client) throws Exception {
        List<byte[]> argv = List.of("set".getBytes(StandardCharsets.UTF_8), KEY.getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8));
        byte[] reply = client.execute(CommandTable.standard().lookup(argv.get(0)), argv, 7).get(30, TimeUnit.SECONDS);
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void followsASlotFromShardToShardThroughTheGapAndTheFreeze() throws Exception {
        List<ShardInfo> shards = shards();
        FakeShardTransport fake = new FakeShardTransport(shards, this::answer);
        OwnershipSlotMapSource source = new OwnershipSlotMapSource(evenMap(shards), 3_600_000);
        try (RoutingClient client = new RoutingClient(source, fake, RoutingConfig.DEFAULT)) {
            source.attach(client);
            assertEquals("+OK\r\n", set(client));

            // the slot moved to shard 0: the refusal refreshes the map, the retry lands there
            claimant = 0;
            assertEquals("+OK\r\n", set(client));
            assertEquals(0, client.slotMap().shardIndexOfSlot(SLOT));
            assertTrue(client.slotMap().epoch() > 1, "a new map, a new epoch");
            assertEquals(1, client.slotMap().shardIndexOfSlot(SLOT + 1), "other slots stay");

            // frozen: refused three times, then accepted, with the client seeing only the OK
            frozenAnswers.set(3);
            assertEquals("+OK\r\n", set(client));

            // a slot nobody claims (between the source's disown and the target's own) keeps its
            // owner in the map; the refusal is retried until the target takes it
            claimant = -1;
            assertEquals(0, source.refresh(client.slotMap()).get(30, TimeUnit.SECONDS).shardIndexOfSlot(SLOT));
            Thread owner = new Thread(() -> {
                TestWaits.until(() -> fake.described().stream().filter(r -> r.contains("set foo")).count() >= 5);
                claimant = 1;
            });
            owner.start();
            assertEquals("+OK\r\n", set(client));
            owner.join();
            assertEquals(1, client.slotMap().shardIndexOfSlot(SLOT));
        } finally {
            source.close();
        }
    }

    @Test
    void aSlotFrozenForLongerThanTheWaitAnswersTryAgain() throws Exception {
        List<ShardInfo> shards = shards();
        FakeShardTransport fake = new FakeShardTransport(shards, this::answer);
        OwnershipSlotMapSource source = new OwnershipSlotMapSource(evenMap(shards), 3_600_000);
        try (RoutingClient client = new RoutingClient(source, fake, RoutingConfig.DEFAULT)) {
            source.attach(client);
            frozenAnswers.set(Integer.MAX_VALUE);
            assertEquals("-TRYAGAIN slot " + SLOT + " is moving to another shard\r\n", set(client));
        } finally {
            source.close();
        }
    }

    /** Waiting on a condition with a deadline (no sleeps as synchronization). */
    private static final class TestWaits {
        static void until(java.util.function.BooleanSupplier condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met in 20 s");
                }
                Thread.onSpinWait();
            }
        }
    }
}
