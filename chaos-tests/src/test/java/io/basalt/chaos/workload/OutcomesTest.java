package io.basalt.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.router.ErrorReplies;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Which failures are FAIL (certainly not applied) and which INFO (may have been applied). */
class OutcomesTest {

    private static final Op.Fn[] WRITES = {Op.Fn.WRITE, Op.Fn.SWAP, Op.Fn.INCR, Op.Fn.ADD, Op.Fn.APPEND, Op.Fn.CAS};
    private static final Op.Fn[] READS = {Op.Fn.READ, Op.Fn.READ_COUNTER, Op.Fn.READ_SET, Op.Fn.READ_LIST};

    @Test
    void aWriteThatMayHaveBeenAppliedIsInfo() {
        for (Op.Fn f : WRITES) {
            assertEquals(Op.Type.INFO, Outcomes.classify(f, new JedisDataException(ErrorReplies.UNKNOWN_OUTCOME)), f.name());
            assertEquals(Op.Type.INFO, Outcomes.classify(f, new JedisDataException("ERR internal error")), f.name());
            assertEquals(Op.Type.INFO, Outcomes.classify(f, new JedisDataException("SOMETHINGNEW we never saw")), f.name());
            assertEquals(Op.Type.INFO, Outcomes.classify(f, new JedisConnectionException("Unexpected end of stream.")), f.name());
            assertEquals(Op.Type.INFO, Outcomes.classify(f,
                new JedisConnectionException(new SocketTimeoutException("Read timed out"))), f.name());
            assertEquals(Op.Type.INFO, Outcomes.classify(f, new NumberFormatException("For input string: \"x\"")), f.name());
        }
    }

    @Test
    void aWriteTheServerRefusedIsFail() {
        for (Op.Fn f : WRITES) {
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisDataException(ErrorReplies.CLUSTERDOWN)), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f,
                new JedisDataException("ERR the shard refused the command: not the leader")), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f,
                new JedisDataException(String.format(ErrorReplies.COMMAND_TOO_LARGE, 1024))), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisDataException(ErrorReplies.WRONGTYPE)), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisDataException("OOM command not allowed when used memory > 'maxmemory'.")), f.name());
        }
    }

    @Test
    void anyFailedReadIsFail() {
        for (Op.Fn f : READS) {
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisDataException(ErrorReplies.CLUSTERDOWN)), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisDataException(ErrorReplies.UNKNOWN_OUTCOME)), f.name());
            assertEquals(Op.Type.FAIL, Outcomes.classify(f, new JedisConnectionException("reset")), f.name());
        }
    }

    @Test
    void errorTextIsTheServersLineOrTheExceptionBounded() {
        assertEquals(ErrorReplies.CLUSTERDOWN, Outcomes.describe(new JedisDataException(ErrorReplies.CLUSTERDOWN)));
        String described = Outcomes.describe(new JedisConnectionException(new SocketTimeoutException("Read timed out")));
        assertTrue(described.startsWith("JedisConnectionException") && described.contains("SocketTimeoutException"), described);
        assertTrue(Outcomes.describe(new IllegalStateException("x".repeat(5000))).length() <= 300);
    }

    /** A killed connection: a write is INFO, a read FAIL, and the connection is usable afterwards. */
    @Test
    void aDroppedConnectionIsInfoForWritesFailForReadsAndReconnects() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(7701);
             Jedis admin = redis.connect();
             Jedis client = redis.connect()) {
            RegisterWorkload workload = new RegisterWorkload(1, 0.5, 0, Duration.ofSeconds(5));
            History history = new History();
            kill(admin, client);
            assertEquals(Op.Type.INFO, workload.write(client, history, 0, "reg:0", new Random(1)));
            assertTrue(history.events().get(1).error().startsWith("JedisConnectionException"), history.events().get(1).error());
            assertEquals(Op.Type.OK, workload.write(client, history, 1, "reg:0", new Random(1)), "reconnected");
            kill(admin, client);
            assertEquals(Op.Type.FAIL, workload.read(client, history, 1, "reg:0"));
            assertEquals(Op.Type.OK, workload.read(client, history, 1, "reg:0"), "reconnected");
            assertEquals(Op.Type.INFO, history.operations().get(0).outcome());
        }
    }

    private static void kill(Jedis admin, Jedis client) {
        long id = client.clientId();
        assertEquals(1L, admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", Long.toString(id)));
    }
}
