package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Lists {@code list:<n>}: RPUSH of a unique value (APPEND) and LRANGE 0 -1 (READ_LIST, in
 * order). Checked for lost, duplicated and reordered appends: every read must be a prefix of
 * the next.
 */
public final class ListAppendWorkload extends KeyedWorkload {

    /** 16 keys, a quarter reads (a list read returns the whole list). */
    public ListAppendWorkload() {
        this(16, 0.25, Duration.ofSeconds(30));
    }

    public ListAppendWorkload(int keys, double readFraction, Duration finalReadDeadline) {
        super("list-append", "list", keys, readFraction, finalReadDeadline);
    }

    @Override
    Op.Type read(Jedis jedis, History history, int process, String key) {
        return record(jedis, history, process, Op.Fn.READ_LIST, key, null, j -> decodeLongs(j.lrange(key, 0, -1), false));
    }

    @Override
    Op.Type write(Jedis jedis, History history, int process, String key, Random random) {
        long value = uniqueValue();
        return record(jedis, history, process, Op.Fn.APPEND, key, value, j -> {
            j.rpush(key, Long.toString(value));
            return value;
        });
    }

    @Override
    public List<Checker> checkers() {
        return WorkloadCheckers.listAppend();
    }
}
