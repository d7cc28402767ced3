package io.basalt.chaos.workload;

import io.basalt.chaos.checker.Checker;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Operations over a real Redis client and the checkers that judge their history.
 *
 * <p>The runner drives many client threads; each calls {@link #perform} in a loop with its own
 * connection and process id. An operation whose outcome is unknown (INFO) retires its process:
 * the thread continues under a fresh process id and a fresh connection, as in Jepsen.
 */
public interface Workload {

    /** "register", "counter", "set", "list-append". */
    String name();

    /** Removes the keys this workload will use, so a run starts from a known state. */
    void reset(Jedis jedis);

    /**
     * Invokes one operation in {@code history}, performs it, and records its completion.
     *
     * @return the completion's type (OK, FAIL or INFO)
     */
    Op.Type perform(Jedis jedis, History history, int process, Random random);

    /**
     * The recovery phase's reads of every key (for sets, counters and lists, the final state the
     * checkers compare against); recorded in {@code history} like any operation.
     *
     * @return whether every final read succeeded
     */
    boolean finalReads(Jedis jedis, History history, int process);

    List<Checker> checkers();
}
