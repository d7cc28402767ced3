package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Registers {@code reg:<n>}: GET (READ), SET of a unique value (WRITE), and {@code SET key new GET}
 * (SWAP, which observes the value it replaced). Checked for linearizability per key.
 */
public final class RegisterWorkload extends KeyedWorkload {

    private final double swapShare;

    /** 16 keys, half reads, the writes split evenly between SET and SET ... GET. */
    public RegisterWorkload() {
        this(16, 0.5, 0.5, Duration.ofSeconds(30));
    }

    /**
     * @param swapShare of the non-read operations, the share that are SWAPs (the rest WRITEs)
     */
    public RegisterWorkload(int keys, double readFraction, double swapShare, Duration finalReadDeadline) {
        super("register", "reg", keys, readFraction, finalReadDeadline);
        if (!(swapShare >= 0 && swapShare <= 1)) {
            throw new IllegalArgumentException("the swap share must be in [0, 1], not " + swapShare);
        }
        this.swapShare = swapShare;
    }

    @Override
    Op.Type read(Jedis jedis, History history, int process, String key) {
        return record(jedis, history, process, Op.Fn.READ, key, null, j -> decodeLong(j.get(key)));
    }

    @Override
    Op.Type write(Jedis jedis, History history, int process, String key, Random random) {
        long value = uniqueValue();
        String text = Long.toString(value);
        if (random.nextDouble() < swapShare) {
            return record(jedis, history, process, Op.Fn.SWAP, key, value, j -> decodeLong(j.setGet(key, text)));
        }
        return record(jedis, history, process, Op.Fn.WRITE, key, value, j -> {
            String reply = j.set(key, text);
            if (!"OK".equals(reply)) {
                throw new IllegalStateException("SET replied " + reply);
            }
            return value;
        });
    }

    @Override
    public List<Checker> checkers() {
        return WorkloadCheckers.register();
    }
}
