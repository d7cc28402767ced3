package io.basalt.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Runs each workload against a real redis-server 7.0.15, one client and then several, and checks
 * the recorded history: every operation kind completed OK, values decode to what was written, and
 * (single client, so the history is sequential) each read equals what a plain model predicts.
 */
class WorkloadTest {

    private static final int PORT = 7700;
    private static final Duration RUN = Duration.ofMillis(1500);
    /** Bounds a run whatever the machine's speed (a fast machine still stops). */
    private static final int MAX_OPS_PER_THREAD = 50_000;

    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start(PORT);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    static Stream<Workload> workloads() {
        Duration finalReads = Duration.ofSeconds(10);
        return Stream.of(
            new RegisterWorkload(4, 0.5, 0.5, finalReads),
            new CounterWorkload(4, 0.5, finalReads),
            new SetWorkload(4, 0.3, finalReads),
            new ListAppendWorkload(4, 0.3, finalReads));
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void singleClientHistoryMatchesASequentialModel(Workload workload) {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.println("seed " + seed + " for " + workload.name() + " (rerun with -Dchaos.seed=" + seed + ")");
        History history = new History();
        try (Jedis jedis = redis.connect()) {
            workload.reset(jedis);
            Random random = new Random(seed);
            long end = System.nanoTime() + RUN.toNanos();
            for (int i = 0; i < MAX_OPS_PER_THREAD && System.nanoTime() - end < 0; i++) {
                assertEquals(Op.Type.OK, workload.perform(jedis, history, 0, random), () -> lastError(history));
            }
            assertTrue(workload.finalReads(jedis, history, 0), () -> lastError(history));
        }
        List<Operation> ops = history.operations();
        assertEveryFnOk(workload, ops);
        checkSequential(workload, ops);
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void concurrentClientsRecordAWellFormedHistory(Workload workload) throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.println("seed " + seed + " for " + workload.name() + " (rerun with -Dchaos.seed=" + seed + ")");
        int threads = 4;
        History history = new History();
        try (Jedis jedis = redis.connect()) {
            workload.reset(jedis);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> clients = new ArrayList<>();
            long end = System.nanoTime() + RUN.toNanos();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                clients.add(pool.submit(() -> client(workload, history, thread, threads, new Random(seed + thread), end)));
            }
            for (Future<?> c : clients) {
                c.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Jedis jedis = redis.connect()) {
            assertTrue(workload.finalReads(jedis, history, 1_000), () -> lastError(history));
        }
        List<Operation> ops = history.operations();
        assertTrue(ops.stream().allMatch(Operation::ok), () -> lastError(history));
        assertEveryFnOk(workload, ops);
        checkFinalState(workload, ops);
    }

    /** One client thread: a fresh process id and connection after an INFO outcome. */
    private static void client(Workload workload, History history, int thread, int threads, Random random, long end) {
        int process = thread;
        Jedis jedis = redis.connect();
        try {
            for (int i = 0; i < MAX_OPS_PER_THREAD && System.nanoTime() - end < 0; i++) {
                if (workload.perform(jedis, history, process, random) == Op.Type.INFO) {
                    jedis.close();
                    jedis = redis.connect();
                    process += threads;
                }
            }
        } finally {
            jedis.close();
        }
    }

    private static Set<Op.Fn> fns(Workload workload) {
        return switch (workload.name()) {
            case "register" -> EnumSet.of(Op.Fn.READ, Op.Fn.WRITE, Op.Fn.SWAP);
            case "counter" -> EnumSet.of(Op.Fn.INCR, Op.Fn.READ_COUNTER);
            case "set" -> EnumSet.of(Op.Fn.ADD, Op.Fn.READ_SET);
            case "list-append" -> EnumSet.of(Op.Fn.APPEND, Op.Fn.READ_LIST);
            default -> throw new AssertionError(workload.name());
        };
    }

    private static void assertEveryFnOk(Workload workload, List<Operation> ops) {
        Set<Op.Fn> seen = EnumSet.noneOf(Op.Fn.class);
        for (Operation o : ops) {
            if (o.ok()) {
                seen.add(o.f());
            }
        }
        assertEquals(fns(workload), seen, "operation kinds completed OK");
        Set<String> keys = new HashSet<>(((KeyedWorkload) workload).keys());
        for (Operation o : ops) {
            assertTrue(keys.contains(o.key()), o.key());
        }
    }

    /** With one client, every read must equal the model after the operations before it. */
    private static void checkSequential(Workload workload, List<Operation> ops) {
        Map<String, Long> registers = new HashMap<>();
        Map<String, Long> counters = new HashMap<>();
        Map<String, TreeSet<Long>> sets = new HashMap<>();
        Map<String, List<Long>> lists = new HashMap<>();
        Set<Long> written = new HashSet<>();
        for (Operation o : ops) {
            Op done = o.completion();
            String key = o.key();
            switch (o.f()) {
                case READ -> assertEquals(registers.get(key), done.value(), "read of " + key + " at " + done.index());
                case WRITE -> {
                    assertTrue(written.add(o.invoke().longValue()), "unique value");
                    registers.put(key, o.invoke().longValue());
                }
                case SWAP -> {
                    assertTrue(written.add(o.invoke().longValue()), "unique value");
                    assertEquals(registers.get(key), done.value(), "swap's previous value of " + key + " at " + done.index());
                    registers.put(key, o.invoke().longValue());
                }
                case INCR -> {
                    long next = counters.getOrDefault(key, 0L) + 1;
                    assertEquals(next, done.longValue(), "INCR reply");
                    counters.put(key, next);
                }
                case READ_COUNTER -> assertEquals(counters.getOrDefault(key, 0L), done.value(), "counter " + key);
                case ADD -> {
                    assertTrue(written.add(o.invoke().longValue()), "unique value");
                    sets.computeIfAbsent(key, k -> new TreeSet<>()).add(o.invoke().longValue());
                }
                case READ_SET -> assertEquals(new ArrayList<>(sets.getOrDefault(key, new TreeSet<>())), done.value(), "set " + key);
                case APPEND -> {
                    assertTrue(written.add(o.invoke().longValue()), "unique value");
                    lists.computeIfAbsent(key, k -> new ArrayList<>()).add(o.invoke().longValue());
                }
                case READ_LIST -> assertEquals(lists.getOrDefault(key, List.of()), done.value(), "list " + key);
                default -> fail("unexpected " + o.f());
            }
            if (done.value() != null && !(done.value() instanceof Long)) {
                assertInstanceOf(List.class, done.value());
            }
        }
    }

    /** With several clients: the final reads hold exactly what was acknowledged. */
    private static void checkFinalState(Workload workload, List<Operation> ops) {
        Map<String, List<Long>> writesByKey = new HashMap<>();
        Map<String, Object> finalRead = new HashMap<>();
        Set<Long> unique = new HashSet<>();
        for (Operation o : ops) {
            if (o.process() == 1_000) {
                finalRead.put(o.key(), o.completion().value());
            } else if (!Outcomes.isRead(o.f())) {
                Long v = o.f() == Op.Fn.INCR ? o.completion().longValue() : o.invoke().longValue();
                if (o.f() != Op.Fn.INCR) {
                    assertTrue(unique.add(v), "value " + v + " written twice");
                }
                writesByKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(v);
            }
        }
        for (String key : ((KeyedWorkload) workload).keys()) {
            List<Long> writes = writesByKey.getOrDefault(key, List.of());
            Object read = finalRead.get(key);
            switch (workload.name()) {
                case "register" -> {
                    if (writes.isEmpty()) {
                        assertNull(read);
                    } else {
                        assertTrue(writes.contains((Long) read), key + " holds " + read + ", never written");
                    }
                }
                case "counter" -> assertEquals((long) writes.size(), read, key);
                case "set" -> assertEquals(new TreeSet<>(writes).stream().toList(), read, key);
                case "list-append" -> {
                    @SuppressWarnings("unchecked")
                    List<Long> list = (List<Long>) read;
                    assertEquals(new TreeSet<>(writes), new TreeSet<>(list), key);
                    assertEquals(writes.size(), list.size(), key + ": each append once");
                }
                default -> fail(workload.name());
            }
        }
    }

    private static String lastError(History history) {
        List<Op> events = history.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).error() != null) {
                return "op " + events.get(i).index() + " " + events.get(i).f() + ": " + events.get(i).error();
            }
        }
        return "no error recorded";
    }
}
