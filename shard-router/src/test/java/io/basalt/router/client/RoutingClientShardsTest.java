package io.basalt.router.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.ShardInfo;
import io.basalt.router.slot.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The routing client over several shards: how a connection's group is split into per-shard runs,
 * how multi-key and keyspace-wide commands are split and merged, SCAN's cursor, RANDOMKEY's draw,
 * and what happens on {@code -BASALTMOVED}. The shards are a {@link FakeShardTransport} (see there
 * why: multi-shard nodes land on a parallel branch); slot maps are built here with several
 * {@link ShardInfo}s, shard i owning slots [i*16384/N, (i+1)*16384/N) as the static topology will.
 */
class RoutingClientShardsTest {

    private static final CommandTable TABLE = CommandTable.standard();
    private static final byte[] OK = new RespWriter().simple("OK").toByteArray();

    private static List<ShardInfo> shards(int n) {
        List<ShardInfo> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new ShardInfo("group-" + i, List.of(new ShardInfo.Replica("n1", "127.0.0.1:" + (9000 + i)))));
        }
        return list;
    }

    private static SlotMap evenMap(List<ShardInfo> shards, long epoch) {
        int n = shards.size();
        int[] owner = new int[HashSlot.SLOT_COUNT];
        for (int s = 0; s < n; s++) {
            for (int slot = s * HashSlot.SLOT_COUNT / n; slot < (s + 1) * HashSlot.SLOT_COUNT / n; slot++) {
                owner[slot] = s;
            }
        }
        return new SlotMap(epoch, owner, shards);
    }

    /** The {@code which}-th key of the form "k<i>" owned by {@code shard}. */
    private static String keyOn(SlotMap map, int shard, int which) {
        for (int i = 0, found = 0; ; i++) {
            String key = "k" + i;
            if (map.shardIndexOfSlot(HashSlot.of(key.getBytes(StandardCharsets.UTF_8))) == shard && found++ == which) {
                return key;
            }
        }
    }

    private static List<byte[]> argv(String line) {
        List<byte[]> out = new ArrayList<>();
        for (String a : line.split(" ")) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static CommandSpec spec(String line) {
        List<byte[]> a = argv(line);
        CommandSpec spec = TABLE.lookup(a.get(0));
        return spec.isContainer() ? CommandTable.subcommand(spec, a.get(1)) : spec;
    }

    private static List<CompletableFuture<byte[]>> group(RoutingClient client, boolean viaLog, String... lines) {
        List<CommandSpec> specs = new ArrayList<>();
        List<List<byte[]>> argvs = new ArrayList<>();
        for (String line : lines) {
            specs.add(spec(line));
            argvs.add(argv(line));
        }
        return client.executeGroup(viaLog, specs, argvs, 7);
    }

    private static String one(RoutingClient client, String line) {
        return text(client.execute(spec(line), argv(line), 7).join());
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8);
    }

    private static byte[] bulk(String s) {
        return new RespWriter().bulk(s).toByteArray();
    }

    private static byte[] integer(long n) {
        return new RespWriter().integer(n).toByteArray();
    }

    private static RoutingClient client(SlotMap map, FakeShardTransport transport) {
        return new RoutingClient(SlotMapSource.fixed(map), transport, RoutingConfig.DEFAULT);
    }

    // ---- a connection's group: per-shard runs, replies in request order ----

    @Test
    void aGroupIsSplitIntoOneRunPerShardInTheConnectionsOrderAndEachCommandKeepsItsOwnReply() {
        List<ShardInfo> shards = shards(3);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, null);
        RoutingClient client = client(map, fake);
        String a0 = keyOn(map, 0, 0), b0 = keyOn(map, 0, 1), a1 = keyOn(map, 1, 0), a2 = keyOn(map, 2, 0);

        List<CompletableFuture<byte[]>> replies = group(client, true,
            "SET " + a0 + " 1", "SET " + a2 + " 2", "INCR " + b0, "GET " + a1, "GET " + a0);

        assertEquals(List.of("0:log[SET " + a0 + " 1, INCR " + b0 + ", GET " + a0 + "]", "1:log[GET " + a1 + "]",
            "2:log[SET " + a2 + " 2]"), fake.described(), "one run per shard, each in the connection's order");
        assertTrue(fake.runs().stream().allMatch(r -> r.affinity() == 7), "every run keeps the connection's affinity");

        // shard 2 answers first; each future still gets its own command's reply
        fake.runs().get(2).replies().get(0).complete(bulk("two"));
        assertTrue(replies.get(1).isDone());
        assertFalse(replies.get(0).isDone());
        fake.runs().get(0).replies().get(0).complete(OK);
        fake.runs().get(0).replies().get(1).complete(integer(5));
        fake.runs().get(0).replies().get(2).complete(bulk("1"));
        fake.runs().get(1).replies().get(0).complete(bulk("x"));
        assertEquals(List.of("+OK\r\n", "$3\r\ntwo\r\n", ":5\r\n", "$1\r\nx\r\n", "$1\r\n1\r\n"),
            replies.stream().map(f -> text(f.join())).toList());
    }

    @Test
    void aReadGroupStaysOneAtomicReadPerShard() {
        List<ShardInfo> shards = shards(2);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> bulk(c));
        RoutingClient client = client(map, fake);
        group(client, false, "GET " + keyOn(map, 1, 0), "GET " + keyOn(map, 0, 0), "GET " + keyOn(map, 1, 1));
        assertEquals(2, fake.runs().size());
        assertTrue(fake.runs().stream().allMatch(r -> !r.viaLog() && r.atomic()));
        assertEquals(2, fake.runs().stream().filter(r -> r.shard() == 1).findFirst().orElseThrow().commands().size());
    }

    @Test
    void withOneShardAGroupGoesWholeAndMultiKeyCommandsAreNotSplit() {
        List<ShardInfo> shards = shards(1);
        SlotMap map = SlotMap.singleShard(1, shards.get(0));
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> OK);
        RoutingClient client = client(map, fake);
        group(client, true, "SET a 1", "MGET a b c d", "DEL a b c", "DBSIZE", "SCAN 0", "RANDOMKEY", "MSET a 1 b 2");
        assertEquals(List.of("0:log[SET a 1, MGET a b c d, DEL a b c, DBSIZE, SCAN 0, RANDOMKEY, MSET a 1 b 2]"),
            fake.described());
    }

    // ---- multi-key commands split by shard ----

    @Test
    void mgetIsSplitByShardAndItsValuesComeBackInRequestOrder() {
        List<ShardInfo> shards = shards(3);
        SlotMap map = evenMap(shards, 1);
        // each shard answers the value "<key>@<shard>", or nil for keys starting with "k1"
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> {
            String[] a = c.split(" ");
            RespWriter w = new RespWriter().array(a.length - 1);
            for (int i = 1; i < a.length; i++) {
                if (a[i].startsWith("k1")) {
                    w.nullBulk();
                } else {
                    w.bulk(a[i] + "@" + s);
                }
            }
            return w.toByteArray();
        });
        RoutingClient client = client(map, fake);
        List<String> keys = List.of(keyOn(map, 2, 0), keyOn(map, 0, 0), keyOn(map, 1, 0), keyOn(map, 0, 1), keyOn(map, 2, 1),
            keyOn(map, 0, 0));
        String reply = one(client, "MGET " + String.join(" ", keys));

        assertEquals(3, fake.runs().size(), "one part per shard: " + fake.described());
        StringBuilder expected = new StringBuilder("*" + keys.size() + "\r\n");
        for (String k : keys) {
            int s = map.shardIndexOfSlot(HashSlot.of(k.getBytes(StandardCharsets.UTF_8)));
            String v = k + "@" + s;
            expected.append(k.startsWith("k1") ? "$-1\r\n" : "$" + v.length() + "\r\n" + v + "\r\n");
        }
        assertEquals(expected.toString(), reply);
    }

    @Test
    void msetIsOkOnlyWhenEveryPartIsAndDelExistsUnlinkTouchSumTheirParts() {
        List<ShardInfo> shards = shards(3);
        SlotMap map = evenMap(shards, 1);
        String a = keyOn(map, 0, 0), b = keyOn(map, 1, 0), c = keyOn(map, 2, 0);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, cmd) -> cmd.startsWith("MSET")
            ? OK : integer(cmd.split(" ").length - 1));
        RoutingClient client = client(map, fake);

        assertEquals("+OK\r\n", one(client, "MSET " + a + " 1 " + b + " 2 " + c + " 3"));
        assertEquals(List.of("0:log[MSET " + a + " 1]", "1:log[MSET " + b + " 2]", "2:log[MSET " + c + " 3]"), fake.described());
        assertEquals(":4\r\n", one(client, "DEL " + a + " " + b + " " + c + " " + a));
        assertEquals(":3\r\n", one(client, "EXISTS " + c + " " + b + " " + a));
        assertEquals(":2\r\n", one(client, "UNLINK " + c + " " + b));
        assertEquals(":2\r\n", one(client, "TOUCH " + a + " " + b));

        // one shard without a leader: MSET may be half applied, and says the outcome is unknown
        fake.engine((s, cmd) -> s == 1 ? null : OK);
        CompletableFuture<byte[]> mset = client.execute(spec("MSET"), argv("MSET " + a + " 1 " + b + " 2"), 7);
        assertFalse(mset.isDone(), "waits for every part");
        fake.runs().get(fake.runs().size() - 1).replies().get(0).completeExceptionally(new RuntimeException("timed out"));
        assertTrue(text(mset.join()).startsWith("-UNCERTAIN"), text(mset.join()));
    }

    @Test
    void aNonSplittableCommandWhoseKeysSpanShardsIsRefusedBeforeAnythingIsSent() {
        List<ShardInfo> shards = shards(2);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> OK);
        RoutingClient client = client(map, fake);
        assertEquals("-CROSSSLOT Keys in request don't hash to the same slot\r\n",
            one(client, "MSETNX " + keyOn(map, 0, 0) + " 1 " + keyOn(map, 1, 0) + " 2"));
        assertEquals(List.of(), fake.described());
        // on one shard, it goes as it is
        assertEquals("+OK\r\n", one(client, "MSETNX " + keyOn(map, 1, 0) + " 1 " + keyOn(map, 1, 1) + " 2"));
    }

    // ---- keyless commands over every shard ----

    @Test
    void keyspaceWideCommandsGoToEveryShardAndMerge() {
        List<ShardInfo> shards = shards(3);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> switch (c.split(" ")[0]) {
            case "DBSIZE" -> integer(10 + s);
            case "KEYS" -> s == 1 ? new RespWriter().array(0).toByteArray()
                : new RespWriter().array(2).bulk("a" + s).bulk("b" + s).toByteArray();
            case "LASTSAVE" -> integer(1000 - s * 7L);
            case "BGSAVE" -> new RespWriter().simple("Background saving started").toByteArray();
            default -> OK;
        });
        RoutingClient client = client(map, fake);
        assertEquals(":33\r\n", one(client, "DBSIZE"));
        assertEquals("*4\r\n$2\r\na0\r\n$2\r\nb0\r\n$2\r\na2\r\n$2\r\nb2\r\n", one(client, "KEYS *"));
        assertEquals(":986\r\n", one(client, "LASTSAVE"), "the oldest shard's");
        assertEquals("+Background saving started\r\n", one(client, "BGSAVE"));
        assertEquals("+OK\r\n", one(client, "SAVE"));
        int before = fake.runs().size();
        assertEquals("+OK\r\n", one(client, "FLUSHALL ASYNC"));
        assertEquals(List.of("0:log[FLUSHALL ASYNC]", "1:log[FLUSHALL ASYNC]", "2:log[FLUSHALL ASYNC]"),
            fake.described().subList(before, before + 3));

        fake.engine((s, c) -> s == 2 ? new RespWriter().error("ERR boom").toByteArray() : OK);
        assertEquals("-ERR boom\r\n", one(client, "FLUSHDB SYNC"));
    }

    @Test
    void aFlushallInAPipelineKeepsItsPlaceOnEveryShard() {
        List<ShardInfo> shards = shards(2);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> OK);
        RoutingClient client = client(map, fake);
        String a = keyOn(map, 0, 0), b = keyOn(map, 1, 0);
        group(client, true, "SET " + a + " 1", "FLUSHALL", "SET " + b + " 2");
        assertEquals(List.of("0:log[SET " + a + " 1, FLUSHALL]", "1:log[FLUSHALL, SET " + b + " 2]"), fake.described());
    }

    // ---- SCAN ----

    @Test
    void scanWalksEveryShardInTurnWithCursorsThatAreNeverZeroBeforeTheEnd() {
        List<ShardInfo> shards = shards(3);
        SlotMap map = evenMap(shards, 1);
        // shard s has keys s:0 .. s:4 (shard 1 none); its engine cursor steps by 2 keys, 0 at the end
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> {
            long cursor = Long.parseLong(c.split(" ")[1]);
            int size = s == 1 ? 0 : 5;
            long next = cursor + 2 >= size ? 0 : cursor + 2;
            RespWriter w = new RespWriter().array(2).bulk(Long.toString(next));
            int n = (int) Math.max(0, Math.min(2, size - cursor));
            w.array(n);
            for (int i = 0; i < n; i++) {
                w.bulk(s + ":" + (cursor + i));
            }
            return w.toByteArray();
        });
        RoutingClient client = client(map, fake);
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        int calls = 0;
        do {
            byte[] reply = client.execute(spec("SCAN"), argv("SCAN " + cursor + " COUNT 2"), 7).join();
            int[] o = EncodedReply.elements(reply, 0);
            cursor = new String(EncodedReply.bulk(reply, o[0]), StandardCharsets.US_ASCII);
            int[] keys = EncodedReply.elements(reply, o[1]);
            for (int i = 0; i + 1 < keys.length; i++) {
                seen.add(new String(EncodedReply.bulk(reply, keys[i]), StandardCharsets.UTF_8));
            }
            Long.parseUnsignedLong(cursor); // a valid unsigned 64-bit decimal
            calls++;
        } while (!cursor.equals("0") && calls < 100);
        assertEquals(List.of("0:0", "0:1", "0:2", "0:3", "0:4", "2:0", "2:1", "2:2", "2:3", "2:4"), seen);
        assertTrue(fake.described().contains("2:read[SCAN 0 COUNT 2]"), "the next shard starts at its own 0");
        assertTrue(fake.described().stream().allMatch(d -> !d.contains("SCAN 28")), "shard bits never reach a shard");
    }

    @Test
    void aScanCursorNamingNoShardIsAnInvalidCursor() {
        List<ShardInfo> shards = shards(3);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> OK);
        RoutingClient client = client(evenMap(shards, 1), fake);
        String invalid = "-ERR invalid cursor\r\n";
        assertEquals(invalid, one(client, "SCAN " + Long.toUnsignedString(ScanCursor.encode(3, 0))));
        assertEquals(invalid, one(client, "SCAN -1"), "wraps to 2^64-1: shard 65535");
        assertEquals(invalid, one(client, "SCAN 18446744073709551616"), "overflow");
        assertEquals(invalid, one(client, "SCAN 12abc"));
        assertEquals(invalid, text(client.execute(spec("SCAN"),
            List.of("SCAN".getBytes(StandardCharsets.UTF_8), " 1".getBytes(StandardCharsets.UTF_8)), 7).join()), "leading space");
        assertEquals(List.of(), fake.described());
    }

    @Test
    void scanCursorEncodingRoundTripsAndStaysUnsigned() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            int shard = random.nextInt(ScanCursor.SHARDS_MAX);
            long shardCursor = random.nextLong() & ((1L << (1 + random.nextInt(48))) - 1);
            long c = ScanCursor.encode(shard, shardCursor);
            String text = Long.toUnsignedString(c);
            assertEquals(c, ScanCursor.parse(text.getBytes(StandardCharsets.US_ASCII)), "seed " + seed);
            assertEquals(shard, ScanCursor.shard(c), "seed " + seed);
            assertEquals(shardCursor, ScanCursor.shardCursor(c), "seed " + seed);
            assertTrue(c != 0 || (shard == 0 && shardCursor == 0), "seed " + seed);
        }
        assertEquals(0L, ScanCursor.parse(new byte[0]), "strtoul: empty is 0");
        assertEquals(-1L, ScanCursor.parse("-1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Long.toUnsignedString(-1L), Long.toUnsignedString(ScanCursor.parse("18446744073709551615".getBytes())));
    }

    // ---- RANDOMKEY ----

    @Test
    void randomKeyDrawsAShardByItsKeyCountAndSkipsAnEmptiedOne() {
        byte[] nil = new RespWriter().nullBulk().toByteArray();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int[] picked = new int[3];
        for (int i = 0; i < 3000; i++) {
            byte[] r = Merges.randomKey(List.of(bulk("a"), integer(1), nil, integer(0), bulk("c"), integer(2)), random);
            picked[text(r).equals("$1\r\na\r\n") ? 0 : text(r).equals("$1\r\nc\r\n") ? 2 : 1]++;
        }
        assertEquals(0, picked[1], "an empty shard is never drawn; seed " + seed);
        assertTrue(picked[2] > picked[0], "2 keys outweigh 1: " + Arrays.toString(picked) + " seed " + seed);
        // shard 0 counted a key but answered none (emptied in between): the other one is drawn
        for (int i = 0; i < 50; i++) {
            assertEquals("$1\r\nc\r\n", text(Merges.randomKey(List.of(nil, integer(100), bulk("c"), integer(1)), random)));
        }
        assertEquals("$-1\r\n", text(Merges.randomKey(List.of(nil, integer(0), nil, integer(0)), random)));

        List<ShardInfo> shards = shards(2);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> c.equals("DBSIZE") ? integer(s) : bulk("key" + s));
        RoutingClient client = client(evenMap(shards, 1), fake);
        assertEquals("$4\r\nkey1\r\n", one(client, "RANDOMKEY"));
        assertEquals(List.of("0:read[RANDOMKEY, DBSIZE]", "1:read[RANDOMKEY, DBSIZE]"), fake.described());
    }

    // ---- BASALTMOVED ----

    private static byte[] moved(int slot) {
        return new RespWriter().error("BASALTMOVED " + slot).toByteArray();
    }

    @Test
    void movedIsRetriedWithTheRefreshedMapAndTheClientNeverSeesIt() {
        List<ShardInfo> shards = shards(2);
        SlotMap old = evenMap(shards, 1);
        String key = keyOn(old, 0, 0);
        int slot = HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
        int[] owner = new int[HashSlot.SLOT_COUNT];
        for (int s = 0; s < owner.length; s++) {
            owner[s] = old.shardIndexOfSlot(s);
        }
        owner[slot] = 1; // the slot moved to shard 1
        SlotMap fresh = new SlotMap(2, owner, shards);
        AtomicInteger refreshes = new AtomicInteger();
        SlotMapSource source = new SlotMapSource() {
            @Override
            public SlotMap current() {
                return old;
            }

            @Override
            public CompletableFuture<SlotMap> refresh(SlotMap stale) {
                refreshes.incrementAndGet();
                return CompletableFuture.completedFuture(fresh);
            }
        };
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> s == 0 ? moved(slot) : OK);
        RoutingClient client = new RoutingClient(source, fake, RoutingConfig.DEFAULT);
        assertEquals("+OK\r\n", one(client, "SET " + key + " v"));
        assertEquals(List.of("0:log[SET " + key + " v]", "1:log[SET " + key + " v]"), fake.described());
        assertEquals(1, refreshes.get());
        assertEquals(2, client.slotMap().epoch(), "the client keeps the newer map");
    }

    @Test
    void aSlotStillRefusedAfterTheRetriesIsClusterDownOrMovedToThisGatewayInClusterMode() {
        List<ShardInfo> shards = shards(2);
        SlotMap map = evenMap(shards, 1);
        String key = keyOn(map, 1, 0);
        int slot = HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> moved(slot));
        RoutingClient client = client(map, fake);
        assertEquals("-CLUSTERDOWN The cluster is down\r\n", one(client, "GET " + key));
        assertEquals(1 + RoutingClient.MOVED_RETRIES, fake.runs().size(), "bounded retries: " + fake.described());

        client.answerMovedWith(s -> "MOVED " + s + " 10.0.0.5:6379");
        assertEquals("-MOVED " + slot + " 10.0.0.5:6379\r\n", one(client, "SET " + key + " 1"));

        // a split command: only the refused part is retried, the merge still holds
        String other = keyOn(map, 0, 0);
        fake.engine((s, c) -> s == 1 ? moved(slot) : integer(1));
        assertEquals("-MOVED " + slot + " 10.0.0.5:6379\r\n", one(client, "DEL " + other + " " + key));
    }

    @Test
    void aWriteWithoutAnswerIsNeverResent() {
        List<ShardInfo> shards = shards(2);
        SlotMap map = evenMap(shards, 1);
        FakeShardTransport fake = new FakeShardTransport(shards, null);
        RoutingClient client = client(map, fake);
        String key = keyOn(map, 1, 0);
        CompletableFuture<byte[]> reply = client.execute(spec("INCR"), argv("INCR " + key), 7);
        fake.runs().get(0).replies().get(0).completeExceptionally(new RuntimeException("deadline passed"));
        assertTrue(text(reply.join()).startsWith("-UNCERTAIN"), text(reply.join()));
        assertEquals(1, fake.runs().size(), "sent once: " + fake.described());

        CompletableFuture<byte[]> read = client.execute(spec("GET"), argv("GET " + key), 7);
        fake.runs().get(1).replies().get(0).completeExceptionally(new RuntimeException("no leader"));
        assertTrue(text(read.join()).startsWith("-CLUSTERDOWN The shard has no reachable leader"), text(read.join()));
        assertEquals(2, fake.runs().size());
    }

    @Test
    void movedRepliesAreRecognisedExactly() {
        assertEquals(42, Moved.slot(moved(42)));
        assertEquals(16383, Moved.slot(moved(16383)));
        assertEquals(-1, Moved.slot(OK));
        assertEquals(-1, Moved.slot(new RespWriter().error("BASALTMOVED").toByteArray()));
        assertEquals(-1, Moved.slot(new RespWriter().error("BASALTMOVED x").toByteArray()));
        assertEquals(-1, Moved.slot(bulk("-BASALTMOVED 1")));
    }

    // ---- backup: one shard at a time, named by the tool ----

    @Test
    void backupCommandsAreAddressedToTheShardTheyName() {
        List<ShardInfo> shards = shards(3);
        FakeShardTransport fake = new FakeShardTransport(shards, (s, c) -> c.startsWith("basalt.backup.open")
            ? new RespWriter().array(4).bulk("5_100." + s).integer(10 + s).integer(5).integer(100).toByteArray()
            : bulk(s + "|" + c));
        RoutingClient client = client(evenMap(shards, 1), fake);

        assertEquals("*5\r\n$9\r\n1:5_100.1\r\n:11\r\n:5\r\n:100\r\n$10\r\n5461-10921\r\n",
            one(client, "basalt.backup.open 1"));
        assertEquals(text(bulk("2|basalt.backup.read 5_100.2 x 9")), one(client, "basalt.backup.read 2:5_100.2 x 9"));
        assertEquals(text(bulk("0|basalt.backup.close 5_100.0")), one(client, "basalt.backup.close 0:5_100.0"));
        assertEquals("-ERR no such shard\r\n", one(client, "basalt.backup.open 3"));
        assertEquals("-ERR no such shard\r\n", one(client, "basalt.backup.read 7:5_100.2 x 9"));
        assertEquals(List.of("1:read[basalt.backup.open]", "2:read[basalt.backup.read 5_100.2 x 9]",
            "0:read[basalt.backup.close 5_100.0]"), fake.described(), "shards see their own commands, unchanged");

        // one shard: the shard argument is still understood (and stripped)
        List<ShardInfo> one = shards(1);
        FakeShardTransport single = new FakeShardTransport(one, (s, c) -> new RespWriter().array(4).bulk("1_1.0").integer(0)
            .integer(1).integer(1).toByteArray());
        RoutingClient singleClient = client(SlotMap.singleShard(1, one.get(0)), single);
        assertEquals("*5\r\n$7\r\n0:1_1.0\r\n:0\r\n:1\r\n:1\r\n$7\r\n0-16383\r\n", one(singleClient, "basalt.backup.open 0"));
        assertEquals("-ERR no such shard\r\n", one(singleClient, "basalt.backup.open 1"));
        assertEquals(List.of("0:read[basalt.backup.open]"), single.described());
    }
}
