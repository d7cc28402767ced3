package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Counters {@code ctr:<n>}: INCR (OK value = INCR's reply, the count after it) and GET as
 * READ_COUNTER (an absent key counts 0). Checked for bounds: every read lies between the
 * acknowledged increments and the attempted ones.
 */
public final class CounterWorkload extends KeyedWorkload {

    /** 16 keys, half reads. */
    public CounterWorkload() {
        this(16, 0.5, Duration.ofSeconds(30));
    }

    public CounterWorkload(int keys, double readFraction, Duration finalReadDeadline) {
        super("counter", "ctr", keys, readFraction, finalReadDeadline);
    }

    @Override
    Op.Type read(Jedis jedis, History history, int process, String key) {
        return record(jedis, history, process, Op.Fn.READ_COUNTER, key, null, j -> {
            Long value = decodeLong(j.get(key));
            return value == null ? 0L : value;
        });
    }

    @Override
    Op.Type write(Jedis jedis, History history, int process, String key, Random random) {
        return record(jedis, history, process, Op.Fn.INCR, key, null, j -> j.incr(key));
    }

    @Override
    public List<Checker> checkers() {
        return WorkloadCheckers.counter();
    }
}
