package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * kill -9 of all three nodes at once while several connections write (fsync mode, the default):
 * after a restart every acknowledged write is there. Snapshots are taken every 150 entries and
 * log segments are 1 MiB, so the log's head is purged and the restart must load a snapshot and
 * replay the log after it; the test waits until a snapshot exists and the log was purged, and
 * more writes were acknowledged after that, before it kills; after the restart every node must
 * have loaded a snapshot (none refused as corrupt).
 *
 * <p>Each writer owns its keys and remembers what it was told: a SET, HSET or ZADD acknowledged
 * must be readable; the INCR counter must be at least the last value a reply carried; the list
 * must hold every acknowledged RPUSH, in order. Writes that failed (error, -UNCERTAIN, lost
 * connection) may or may not be there: they are counted, and those found are reported.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CrashRestartIT {

    private static final int WRITERS = 4;
    private static final int ACKS_BEFORE_SNAPSHOT_CHECK = 800;
    private static final int ACKS_AFTER_SNAPSHOT = 500;
    /** Makes the log grow by megabytes, so that 1 MiB segments close and get purged. */
    private static final String PADDING = "-" + "p".repeat(4096);

    /** One acknowledged or failed write, enough to check it afterwards. */
    record Write(int writer, int seq, char kind, long value) {}

    @Test
    void allNodesKilledAtOnceKeepEveryAcknowledgedWrite() throws Exception {
        try (TestCluster cluster = new TestCluster("crash", 3, List.of("--snapshot-every", "150", "--log-segment-mb", "1")).start()) {
            ConcurrentLinkedQueue<Write> acked = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Write> failed = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong ackCount = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> write(cluster, writer, running, acked, failed, ackCount), "writer-" + w);
                writers.add(t);
                t.start();
            }
            TestCluster.awaitCondition(ACKS_BEFORE_SNAPSHOT_CHECK + " acknowledged writes", Duration.ofSeconds(90),
                () -> ackCount.get() >= ACKS_BEFORE_SNAPSHOT_CHECK);
            long snapshotIndex = awaitSnapshot(cluster);
            TestCluster.awaitCondition("the log's first segment purged on every node", Duration.ofSeconds(90),
                () -> firstSegmentPurged(cluster.dataDir()));
            long ackedAtSnapshot = ackCount.get();
            TestCluster.awaitCondition(ACKS_AFTER_SNAPSHOT + " more writes acknowledged after the snapshot",
                Duration.ofSeconds(90), () -> ackCount.get() >= ackedAtSnapshot + ACKS_AFTER_SNAPSHOT);

            cluster.kill9AllNodes();
            running.set(false);
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(30)); // a write in flight ends within its 10 s deadline
                assertTrue(!t.isAlive(), t.getName() + " still running");
            }
            assertTrue(snapshotsOnDisk(cluster.dataDir()) > 0, "a snapshot directory survived the kill");
            List<String> restartLogs = new ArrayList<>();
            for (String id : cluster.nodes().keySet()) {
                restartLogs.add(id + ".log");
            }
            long linesBefore = countLines(cluster.logDir(), restartLogs, "loaded snapshot at index");

            for (String id : cluster.nodes().keySet()) {
                cluster.startNode(id);
            }
            cluster.awaitServing(Duration.ofSeconds(60));
            try (Jedis jedis = cluster.jedis()) {
                List<String> lost = lostWrites(jedis, acked);
                int failedFound = presentFailedWrites(jedis, failed);
                System.out.printf("CrashRestartIT: %d writes acknowledged (%d after snapshot index %d), %d failed "
                    + "(%d of the checkable ones found after restart); lost: %d%n", acked.size(),
                    acked.size() - ackedAtSnapshot, snapshotIndex, failed.size(), failedFound, lost.size());
                assertEquals(List.of(), lost, "acknowledged writes lost");
                assertEquals(linesBefore + cluster.nodes().size(),
                    countLines(cluster.logDir(), restartLogs, "loaded snapshot at index"),
                    "every node loaded a snapshot at restart");
                assertEquals(0, countLines(cluster.logDir(), restartLogs, "refusing it"), "no snapshot refused");
                assertEquals("OK", jedis.set("crash:after", "1"), "the restarted cluster takes writes");
            }
        }
    }

    private static void write(TestCluster cluster, int writer, AtomicBoolean running, ConcurrentLinkedQueue<Write> acked,
            ConcurrentLinkedQueue<Write> failed, AtomicLong ackCount) {
        Jedis jedis = cluster.jedis();
        for (int seq = 0; running.get(); seq++) {
            char kind = "SIRHZ".charAt(seq % 5);
            try {
                long value = switch (kind) {
                    case 'S' -> "OK".equals(jedis.set("crash:s:" + writer + ":" + seq, "v" + seq + PADDING)) ? seq : -1;
                    case 'I' -> jedis.incr("crash:ctr:" + writer);
                    case 'R' -> jedis.rpush("crash:list:" + writer, Integer.toString(seq));
                    case 'H' -> jedis.hset("crash:hash:" + writer, "f" + seq, "v" + seq + PADDING);
                    default -> jedis.zadd("crash:zset:" + writer, seq, "m" + seq);
                };
                if (value < 0) {
                    failed.add(new Write(writer, seq, kind, value));
                } else {
                    acked.add(new Write(writer, seq, kind, value));
                    ackCount.incrementAndGet();
                }
            } catch (Exception e) {
                // error reply (-UNCERTAIN, -CLUSTERDOWN) or lost connection: outcome unknown
                failed.add(new Write(writer, seq, kind, -1));
                jedis.close();
                jedis = cluster.jedis();
            }
        }
        jedis.close();
    }

    /** Waits until the serving replica reports a snapshot; returns its index. */
    private static long awaitSnapshot(TestCluster cluster) {
        long[] index = new long[1];
        TestCluster.awaitCondition("a snapshot", Duration.ofSeconds(60), () -> {
            try (Jedis jedis = cluster.jedis()) {
                index[0] = infoField(jedis.info("persistence"), "basalt_snapshot_index");
                return index[0] > 0;
            } catch (Exception e) {
                return false;
            }
        });
        return index[0];
    }

    static long infoField(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in INFO:\n" + info);
    }

    /** Ratis names closed segments log_START-END: once the one from index 0 is gone, the log was purged. */
    private static boolean firstSegmentPurged(Path dataDir) {
        try (Stream<Path> files = Files.walk(dataDir)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().startsWith("log_")).toList();
            long nodesWithSegments = segments.stream().map(p -> dataDir.relativize(p).getName(0)).distinct().count();
            boolean firstLeft = segments.stream().anyMatch(p -> p.getFileName().toString().startsWith("log_0-")
                || p.getFileName().toString().equals("log_inprogress_0"));
            return nodesWithSegments == 3 && !firstLeft;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // a segment purged while we walked: look again
        }
    }

    private static long countLines(Path logDir, List<String> logs, String text) throws IOException {
        long n = 0;
        for (String log : logs) {
            try (Stream<String> lines = Files.lines(logDir.resolve(log), java.nio.charset.StandardCharsets.UTF_8)) {
                n += lines.filter(l -> l.contains(text)).count();
            }
        }
        return n;
    }

    private static long snapshotsOnDisk(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("snapshot.")).count();
        }
    }

    private static List<String> lostWrites(Jedis jedis, Iterable<Write> acked) {
        List<String> lost = new ArrayList<>();
        Map<Integer, List<String>> lists = new java.util.HashMap<>();
        Map<Integer, Long> counters = new java.util.HashMap<>();
        for (Write w : acked) {
            switch (w.kind()) {
                case 'S' -> check(lost, w, ("v" + w.seq() + PADDING).equals(jedis.get("crash:s:" + w.writer() + ":" + w.seq())));
                case 'H' -> check(lost, w, ("v" + w.seq() + PADDING).equals(
                    jedis.hget("crash:hash:" + w.writer(), "f" + w.seq())));
                case 'Z' -> {
                    Double score = jedis.zscore("crash:zset:" + w.writer(), "m" + w.seq());
                    check(lost, w, score != null && score == w.seq());
                }
                case 'I' -> counters.merge(w.writer(), w.value(), Math::max);
                default -> {
                    List<String> list = lists.computeIfAbsent(w.writer(),
                        k -> jedis.lrange("crash:list:" + k, 0, -1));
                    // RPUSH replied the list's length: the element sits at that position or,
                    // when failed pushes before it were applied too, later; never earlier
                    int at = list.indexOf(Integer.toString(w.seq()));
                    check(lost, w, at >= w.value() - 1);
                }
            }
        }
        counters.forEach((writer, last) -> {
            String v = jedis.get("crash:ctr:" + writer);
            if (v == null || Long.parseLong(v) < last) {
                lost.add("counter of writer " + writer + " is " + v + ", an INCR was acknowledged with " + last);
            }
        });
        return lost;
    }

    private static void check(List<String> lost, Write w, boolean present) {
        if (!present) {
            lost.add(w.toString());
        }
    }

    /** How many failed SET/HSET/ZADD writes were applied anyway (an outcome the client could not know). */
    private static int presentFailedWrites(Jedis jedis, Iterable<Write> failed) {
        int found = 0;
        for (Write w : failed) {
            boolean present = switch (w.kind()) {
                case 'S' -> jedis.get("crash:s:" + w.writer() + ":" + w.seq()) != null;
                case 'H' -> jedis.hget("crash:hash:" + w.writer(), "f" + w.seq()) != null;
                case 'Z' -> jedis.zscore("crash:zset:" + w.writer(), "m" + w.seq()) != null;
                default -> false;
            };
            if (present) {
                found++;
            }
        }
        return found;
    }
}
