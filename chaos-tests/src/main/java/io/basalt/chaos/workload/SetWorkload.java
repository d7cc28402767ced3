package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Sets {@code set:<n>}: SADD of a unique element (ADD) and SMEMBERS (READ_SET, the elements
 * sorted). Checked for lost and phantom elements against the final reads.
 */
public final class SetWorkload extends KeyedWorkload {

    /** 16 keys, a quarter reads (a set read returns every element, so reads cost more). */
    public SetWorkload() {
        this(16, 0.25, Duration.ofSeconds(30));
    }

    public SetWorkload(int keys, double readFraction, Duration finalReadDeadline) {
        super("set", "set", keys, readFraction, finalReadDeadline);
    }

    @Override
    Op.Type read(Jedis jedis, History history, int process, String key) {
        return record(jedis, history, process, Op.Fn.READ_SET, key, null, j -> decodeLongs(j.smembers(key), true));
    }

    @Override
    Op.Type write(Jedis jedis, History history, int process, String key, Random random) {
        long element = uniqueValue();
        // SADD's count is not checked: 0 would mean our element was applied twice, which
        // leaves the set as if once, and the element is in the set either way
        return record(jedis, history, process, Op.Fn.ADD, key, element, j -> {
            j.sadd(key, Long.toString(element));
            return element;
        });
    }

    @Override
    public List<Checker> checkers() {
        return WorkloadCheckers.set();
    }
}
