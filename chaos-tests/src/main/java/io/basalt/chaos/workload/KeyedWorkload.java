package io.basalt.chaos.workload;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * What every workload shares: a fixed set of keys {@code <prefix>:<n>}, values unique across the
 * whole workload (so a checker can tell which write a read observed), recording one operation
 * with its outcome, and the final reads.
 */
abstract class KeyedWorkload implements Workload {

    /** Final reads per key at most; each attempt is recorded. */
    static final int FINAL_READ_ATTEMPTS = 10;

    private final String name;
    private final List<String> keys;
    private final double readFraction;
    private final Duration finalReadDeadline;
    private final AtomicLong nextValue = new AtomicLong(1);

    /**
     * @param keyCount how many keys; fewer keys mean more contention per key
     * @param readFraction the share of operations that are reads, in [0, 1]
     * @param finalReadDeadline how long the final reads may take in all, retries included
     */
    KeyedWorkload(String name, String prefix, int keyCount, double readFraction, Duration finalReadDeadline) {
        if (keyCount < 1 || keyCount > 100_000) {
            throw new IllegalArgumentException("keys must be in 1..100000, not " + keyCount);
        }
        if (!(readFraction >= 0 && readFraction <= 1)) {
            throw new IllegalArgumentException("the read fraction must be in [0, 1], not " + readFraction);
        }
        this.name = name;
        this.readFraction = readFraction;
        this.finalReadDeadline = finalReadDeadline;
        List<String> k = new ArrayList<>(keyCount);
        for (int n = 0; n < keyCount; n++) {
            k.add(prefix + ":" + n);
        }
        this.keys = List.copyOf(k);
    }

    @Override
    public final String name() { return name; }

    public final List<String> keys() { return keys; }

    @Override
    public void reset(Jedis jedis) {
        jedis.del(keys.toArray(new String[0]));
    }

    @Override
    public final Op.Type perform(Jedis jedis, History history, int process, Random random) {
        String key = keys.get(random.nextInt(keys.size()));
        return random.nextDouble() < readFraction
            ? read(jedis, history, process, key)
            : write(jedis, history, process, key, random);
    }

    /** One read of {@code key}, recorded. */
    abstract Op.Type read(Jedis jedis, History history, int process, String key);

    /** One write-like operation on {@code key} (the workload picks which), recorded. */
    abstract Op.Type write(Jedis jedis, History history, int process, String key, Random random);

    /** A value no other operation of this workload writes. */
    final long uniqueValue() {
        return nextValue.getAndIncrement();
    }

    /**
     * Invokes {@code f} in the history, runs {@code call}, and records OK with what it returned
     * or the failure as {@link Outcomes} classifies it. A failure that broke the connection
     * closes it, so that a reply still on its way cannot be read as the next command's.
     */
    final Op.Type record(Jedis jedis, History history, int process, Op.Fn f, String key, Long argument,
                         Function<Jedis, Object> call) {
        Op invoke = history.invoke(process, f, key, argument);
        Object result;
        try {
            result = call.apply(jedis);
        } catch (RuntimeException e) {
            if (Outcomes.brokeConnection(e)) {
                disconnectQuietly(jedis);
            }
            Op.Type type = Outcomes.classify(f, e);
            if (type == Op.Type.FAIL) {
                history.fail(invoke, Outcomes.describe(e));
            } else {
                history.info(invoke, Outcomes.describe(e));
            }
            return type;
        }
        history.ok(invoke, result);
        return Op.Type.OK;
    }

    private static void disconnectQuietly(Jedis jedis) {
        try {
            jedis.disconnect();
        } catch (RuntimeException ignored) {
            // already closed: the next command reconnects either way
        }
    }

    /**
     * Reads every key once, retrying a key whose read failed until {@link #FINAL_READ_ATTEMPTS}
     * or the deadline; each attempt is recorded.
     */
    @Override
    public boolean finalReads(Jedis jedis, History history, int process) {
        long deadline = System.nanoTime() + finalReadDeadline.toNanos();
        boolean all = true;
        for (String key : keys) {
            boolean ok = false;
            for (int attempt = 0; attempt < FINAL_READ_ATTEMPTS && !ok; attempt++) {
                if (attempt > 0 && System.nanoTime() - deadline > 0) {
                    break;
                }
                if (attempt > 0) {
                    backOff(attempt);
                }
                ok = read(jedis, history, process, key) == Op.Type.OK;
            }
            all &= ok;
        }
        return all;
    }

    /** A pause between retries, so a leader election can finish (not a synchronisation). */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 50L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stored value as the Long the workload wrote; null stays null (absent key). */
    static Long decodeLong(String reply) {
        return reply == null ? null : Long.parseLong(reply);
    }

    /** Elements as sorted Longs (set reads) or in order (list reads). */
    static List<Long> decodeLongs(Iterable<String> replies, boolean sort) {
        List<Long> values = new ArrayList<>();
        for (String r : replies) {
            values.add(Long.parseLong(r));
        }
        if (sort) {
            values.sort(null);
        }
        return values;
    }
}
