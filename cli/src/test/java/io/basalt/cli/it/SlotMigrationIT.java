package io.basalt.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.slot.HashSlot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@code basalt admin move-slots} on a running cluster of two shards: writers INCR counters and
 * SADD unique members through the gateway while slots move from shard 0 to shard 1 and back.
 * Afterwards every acknowledged INCR and SADD is there exactly once: a counter is at least its
 * acknowledged increments and at most those plus the ones whose outcome the writer did not learn,
 * a set holds every acknowledged member and nothing that was never sent.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SlotMigrationIT {

    private static final String SLOTS = "0-23";
    private static final int COUNTERS = 48;
    private static final int SETS = 12;
    private static final int WRITERS = 3;

    @Test
    void slotsMoveBackAndForthUnderWritesWithoutLosingAnAcknowledgedWrite() throws Exception {
        moveUnderWrites(false);
    }

    /**
     * The tool stops after migrate-start, then after freeze, then after the source's disown (a
     * hidden drill option), and each rerun resumes from what the shards report; then the source
     * shard's leader is killed while slots move, and the command is rerun until it completes.
     */
    @Test
    void interruptedMovesResumeWhenRerun() throws Exception {
        moveUnderWrites(true);
    }

    private void moveUnderWrites(boolean killSourceLeader) throws Exception {
        long seed = Long.getLong("basalt.it.seed", System.nanoTime());
        System.out.println("SlotMigrationIT seed " + seed + " (rerun with -Dbasalt.it.seed=" + seed + ")");
        Path target = Path.of(System.getProperty("basalt.jar", "target/basalt.jar")).toAbsolutePath().getParent();
        List<String> counters = keysInMovedSlots("c:", COUNTERS);
        List<String> sets = keysInMovedSlots("s:", SETS);
        counters.add("c:elsewhere"); // slot 9165, shard 1: never moves
        Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
        Map<String, AtomicLong> unknown = new ConcurrentHashMap<>();
        Set<String> ackedMembers = ConcurrentHashMap.newKeySet();
        Set<String> sentMembers = ConcurrentHashMap.newKeySet();
        counters.forEach(k -> {
            acked.put(k, new AtomicLong());
            unknown.put(k, new AtomicLong());
        });
        AtomicLong errors = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (TestCluster cluster = new TestCluster("slot-migration", 3, List.of("--shards", "2"))) {
            cluster.gatewayArguments(List.of("--shards", "2"));
            cluster.start();
            String gateway = "127.0.0.1:" + cluster.respPort();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed + w);
                int writer = w;
                Thread t = new Thread(() -> {
                    Jedis j = cluster.jedis();
                    long n = 0;
                    while (!stop.get() && j != null) {
                        boolean incr = random.nextInt(3) > 0;
                        String key = incr ? counters.get(random.nextInt(counters.size())) : sets.get(random.nextInt(sets.size()));
                        String member = writer + "-" + n++;
                        try {
                            if (incr) {
                                j.incr(key);
                                acked.get(key).incrementAndGet();
                            } else {
                                sentMembers.add(key + "/" + member);
                                j.sadd(key, member);
                                ackedMembers.add(key + "/" + member);
                            }
                        } catch (JedisDataException | JedisConnectionException e) {
                            errors.incrementAndGet();
                            if (incr) {
                                unknown.get(key).incrementAndGet();
                            }
                            if (e instanceof JedisConnectionException) {
                                j.close();
                                j = reconnect(cluster, stop);
                            }
                        }
                    }
                    if (j != null) {
                        j.close();
                    }
                }, "writer-" + w);
                t.start();
                writers.add(t);
            }
            // one connection pipelines SET r i; GET r; RPUSH l i on keys of the moved slots: while a
            // slot is frozen its writes are refused and retried, and the GET behind the SET must
            // still see the SET, and the list must keep the pipeline's order
            String register = keysInMovedSlots("pr:", 1).get(0);
            String list = keysInMovedSlots("pl:", 1).get(0);
            AtomicLong pipelines = new AtomicLong();
            List<String> orderViolations = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread piper = new Thread(() -> {
                Jedis j = cluster.jedis();
                long i = 0;
                while (!stop.get() && j != null) {
                    i++;
                    try {
                        redis.clients.jedis.Pipeline p = j.pipelined();
                        redis.clients.jedis.Response<String> set = p.set(register, "v" + i);
                        redis.clients.jedis.Response<String> get = p.get(register);
                        p.rpush(list, Long.toString(i));
                        p.sync();
                        String s = answer(set);
                        String g = answer(get);
                        if ("OK".equals(s) && g != null && !g.equals("v" + i)) {
                            orderViolations.add("pipeline " + i + ": SET answered OK, then GET read " + g);
                        }
                        pipelines.incrementAndGet();
                    } catch (JedisConnectionException e) {
                        j.close();
                        j = reconnect(cluster, stop);
                    }
                }
                if (j != null) {
                    j.close();
                }
            }, "pipeliner");
            piper.start();
            writers.add(piper);
            Run there;
            Run back;
            try {
                TestCluster.awaitCondition("writes before the move", java.time.Duration.ofSeconds(30),
                    () -> acked.values().stream().mapToLong(AtomicLong::get).sum() > 200);
                if (killSourceLeader) {
                    // the tool dies after each step in turn; each rerun resumes from the shards' state
                    Run r = admin(target, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS, "--stop-after", "migrate-start");
                    assertTrue(r.exitCode() == 1 && r.output().contains("stopped after migrate-start of slot 0"), r.output());
                    r = admin(target, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS, "--stop-after", "freeze");
                    assertTrue(r.exitCode() == 1 && r.output().contains("stopped after freeze of slot 0"), r.output());
                    r = admin(target, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS, "--stop-after", "disown");
                    assertTrue(r.output().contains("slot 0: resuming a frozen slot"), r.output());
                    assertTrue(r.exitCode() == 1 && r.output().contains("stopped after disown of slot 0"), r.output());
                    StringBuffer output = new StringBuffer();
                    Process first = startAdmin(target, output, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS);
                    TestCluster.awaitCondition("slot 5 moved", java.time.Duration.ofSeconds(120),
                        () -> output.indexOf("slot 5:") >= 0 || !first.isAlive());
                    String[] leaderOf0 = {null};
                    TestCluster.awaitCondition("shard 0's leader", java.time.Duration.ofSeconds(30),
                        () -> (leaderOf0[0] = cluster.leader(0).orElse(null)) != null);
                    String leader = leaderOf0[0];
                    System.out.println("SlotMigrationIT: killing " + leader + ", leader of shard 0, during the move");
                    cluster.kill9(leader);
                    first.waitFor(3, TimeUnit.MINUTES);
                    System.out.println(output);
                    assertTrue(output.indexOf("slot 0: resuming: shard 0 gave it up, shard 1 takes it") >= 0, output.toString());
                    there = null;
                    for (int attempt = 0; attempt < 4 && (there == null || there.exitCode() != 0); attempt++) {
                        there = admin(target, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS);
                    }
                    assertTrue(there.output().contains("slot 0: already on shard 1"), there.output());
                } else {
                    there = admin(target, "--target", gateway, "--from", "0", "--to", "1", "--slots", SLOTS);
                }
                assertEquals(0, there.exitCode(), there.output());
                back = admin(target, "--target", gateway, "--from", "1", "--to", "0", "--slots", SLOTS);
                assertEquals(0, back.exitCode(), back.output());
                long before = acked.values().stream().mapToLong(AtomicLong::get).sum();
                TestCluster.awaitCondition("writes after the moves", java.time.Duration.ofSeconds(30),
                    () -> acked.values().stream().mapToLong(AtomicLong::get).sum() > before + 100);
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join(60_000);
                }
            }
            System.out.printf("SlotMigrationIT: %d acknowledged INCRs, %d acknowledged SADDs, %d errors; longest pause %s ms / %s ms%n",
                acked.values().stream().mapToLong(AtomicLong::get).sum(), ackedMembers.size(), errors.get(),
                longestPause(there.output()), longestPause(back.output()));
            assertTrue(orderViolations.isEmpty(), orderViolations.size() + " pipelines out of order, e.g. "
                + orderViolations.subList(0, Math.min(5, orderViolations.size())));
            try (Jedis j = cluster.jedis()) {
                List<String> pushed = j.lrange(list, 0, -1);
                for (int k = 1; k < pushed.size(); k++) {
                    assertTrue(Long.parseLong(pushed.get(k)) > Long.parseLong(pushed.get(k - 1)),
                        "the pipelined pushes kept their order: " + pushed.get(k - 1) + " then " + pushed.get(k));
                }
                System.out.println("SlotMigrationIT: " + pipelines.get() + " pipelines in order, " + pushed.size() + " pushes in order");
                for (String key : counters) {
                    String v = j.get(key);
                    long value = v == null ? 0 : Long.parseLong(v);
                    long a = acked.get(key).get();
                    assertTrue(value >= a && value <= a + unknown.get(key).get(),
                        key + " = " + value + ", acknowledged " + a + ", unknown " + unknown.get(key).get());
                }
                for (String key : sets) {
                    Set<String> members = j.smembers(key);
                    for (String m : members) {
                        assertTrue(sentMembers.contains(key + "/" + m), key + " holds " + m + ", never sent");
                    }
                    for (String km : ackedMembers) {
                        if (km.startsWith(key + "/")) {
                            assertTrue(members.contains(km.substring(key.length() + 1)), key + " lost " + km);
                        }
                    }
                }
                // shard 0 owns its range again, shard 1 its own
                assertEquals(List.of(0L, 8191L), j.sendCommand(() -> "basalt.slots".getBytes(StandardCharsets.US_ASCII), "0"));
                assertEquals(List.of(8192L, 16383L), j.sendCommand(() -> "basalt.slots".getBytes(StandardCharsets.US_ASCII), "1"));
            }
        }
    }

    /** A pipelined reply, or null when it was an error (refused too long, unknown outcome). */
    private static String answer(redis.clients.jedis.Response<String> r) {
        try {
            return r.get();
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return null;
        }
    }

    /** A new connection to the gateway, trying until one opens or the writers stop (then null). */
    private static Jedis reconnect(TestCluster cluster, AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                return cluster.jedis();
            } catch (JedisConnectionException e) {
                Thread.onSpinWait();
            }
        }
        return null;
    }

    /** Keys "prefix + n" whose slots are in 0-23, the moved range. */
    private static List<String> keysInMovedSlots(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int n = 0; keys.size() < count; n++) {
            String key = prefix + n;
            if (HashSlot.of(key.getBytes(StandardCharsets.UTF_8)) <= 23) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String longestPause(String output) {
        Matcher m = Pattern.compile("longest pause ([0-9.]+) ms").matcher(output);
        return m.find() ? m.group(1) : "?";
    }

    private record Run(int exitCode, String output) {}

    private static Process startAdmin(Path target, StringBuffer output, String... args) throws Exception {
        Process p = new ProcessBuilder(adminCommand(target, args)).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "admin-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static List<String> adminCommand(Path target, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m"));
        command.addAll(io.basalt.cli.JavaLauncher.quietJdkOptions());
        command.addAll(List.of("-jar", target.resolve("basalt.jar").toString(), "admin", "move-slots"));
        command.addAll(List.of(args));
        return command;
    }

    private static Run admin(Path target, String... args) throws Exception {
        Process p = new ProcessBuilder(adminCommand(target, args)).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                throw new AssertionError("move-slots did not finish:\n" + output);
            }
        } finally {
            p.destroyForcibly();
        }
        System.out.println(output);
        return new Run(p.exitValue(), output);
    }
}
