package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A snapshot taken while commands keep running holds the keyspace exactly as it was when the
 * snapshot began, and a keyspace restored from it behaves like the original from then on.
 */
class KeyspaceSnapshotTest {

    @Test
    void snapshotTakenUnderWritesEqualsTheStateAtItsStartAndRestoresIt() throws IOException {
        long seed = Seeds.seed("KeyspaceSnapshotTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 12; round++) {
            Keyspace live = new Keyspace();
            Keyspace atSnapshot = new Keyspace();
            long[] clock = {1_000_000, 0};
            int before = 500 + rnd.nextInt(4000);
            for (int i = 0; i < before; i++) {
                List<String> cmd = writeCommand(rnd, clock);
                ExecContext ctx = ExecContext.write(clock[0], ++clock[1], 0);
                new Engine(live).exec(ctx, cmd.toArray(new String[0]));
                new Engine(atSnapshot).exec(ctx, cmd.toArray(new String[0]));
            }
            KeyspaceSnapshot snapshot = live.beginSnapshot();
            List<KeyspaceSnapshot.Record> records = new ArrayList<>();
            boolean more = true;
            while (more) {
                for (int i = rnd.nextInt(20); i > 0; i--) {
                    List<String> cmd = writeCommand(rnd, clock);
                    new Engine(live).exec(ExecContext.write(clock[0], ++clock[1], 0), cmd.toArray(new String[0]));
                }
                if (rnd.nextInt(200) == 0) {
                    live.deleteIfExpired(live.expiredKeys(clock[0], 50), clock[0]);
                }
                more = snapshot.next(1 + rnd.nextInt(40), records);
            }
            Keyspace restored = new Keyspace();
            for (KeyspaceSnapshot.Record r : records) {
                restored.restore(r.key(), r.value());
            }
            String context = "round " + round + ", seed " + seed;
            assertRecordsEqual(fullSnapshot(atSnapshot), fullSnapshot(restored), context);
            restored.db().checkInvariants();
            assertEquals(restored.db().recomputedMemoryBytes(), restored.usedMemoryBytes(), context);

            // from here on the restored keyspace must answer exactly as the original would
            for (int i = 0; i < 3000; i++) {
                List<String> cmd = writeCommand(rnd, clock);
                ExecContext ctx = ExecContext.write(clock[0], ++clock[1], i % 5);
                String expected = new Engine(atSnapshot).exec(ctx, cmd.toArray(new String[0]));
                String actual = new Engine(restored).exec(ctx, cmd.toArray(new String[0]));
                assertEquals(expected, actual, cmd + " after restore, " + context);
            }
        }
    }

    @Test
    void aRecordOfAnotherVersionOrTruncatedIsRefused() {
        Keyspace ks = new Keyspace();
        new Engine(ks).w("rpush", "l", "a", "b");
        List<KeyspaceSnapshot.Record> records = fullSnapshot(ks);
        byte[] good = records.get(0).value();
        byte[] newer = good.clone();
        newer[0] = 2;
        assertThrows(IOException.class, () -> new Keyspace().restore(records.get(0).key(), newer));
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThrows(IOException.class, () -> new Keyspace().restore(records.get(0).key(), truncated));
    }

    @Test
    void onlyOneSnapshotAtATimeAndAbandonUnmarksKeys() {
        Keyspace ks = new Keyspace();
        new Engine(ks).w("set", "a", "1");
        KeyspaceSnapshot s = ks.beginSnapshot();
        assertThrows(IllegalStateException.class, ks::beginSnapshot);
        s.abandon();
        assertEquals(1, fullSnapshot(ks).size());
    }

    static List<KeyspaceSnapshot.Record> fullSnapshot(Keyspace ks) {
        List<KeyspaceSnapshot.Record> out = new ArrayList<>();
        KeyspaceSnapshot s = ks.beginSnapshot();
        while (s.next(1 << 20, out)) {
            // all in one step
        }
        out.sort((x, y) -> Arrays.compareUnsigned(x.key(), y.key()));
        return out;
    }

    private static void assertRecordsEqual(List<KeyspaceSnapshot.Record> expected,
            List<KeyspaceSnapshot.Record> actual, String context) {
        assertEquals(expected.size(), actual.size(), "key count, " + context);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).key(), actual.get(i).key(), context);
            assertEquals(canonical(expected.get(i).value()), canonical(actual.get(i).value()),
                "key " + Engine.latin1(expected.get(i).key()) + ", " + context);
        }
    }

    /**
     * A record as comparable text. A hash in its hashtable form lists fields in its table's order,
     * which depends on the table's history (size, rehashing), not only on its contents; a
     * restored one may list them differently, as a Redis replica may. Its fields are compared as
     * a sorted set; every other record byte for byte.
     */
    private static String canonical(byte[] record) {
        if (record[9] != 5 && record[9] != 11) { // HASH_TABLE, HASH_TABLE_TTL
            return Engine.latin1(record);
        }
        try {
            Hash h = (Hash) SnapshotCodec.decode(record, f -> Arrays.hashCode(f), new EncodingLimits()).value();
            List<String> pairs = new ArrayList<>();
            h.forEach((f, v) -> pairs.add(Engine.latin1(f) + "=" + Engine.latin1(v) + "@" + h.expireAt(f)));
            pairs.sort(null);
            return Engine.latin1(Arrays.copyOf(record, 10)) + pairs;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** DeterminismTest's command mix without the reads (a snapshot is about writes). */
    private static List<String> writeCommand(SplittableRandom rnd, long[] clock) {
        while (true) {
            clock[0] += rnd.nextInt(4) == 0 ? rnd.nextInt(50) : 0;
            List<String> cmd = DeterminismTest.randomCommand(rnd, "0", clock[0]);
            if (!DeterminismTest.isRead(cmd.get(0))) {
                return cmd;
            }
        }
    }
}
