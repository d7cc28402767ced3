package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreCommandTest {

    private final Engine source = new Engine();
    private final Engine target = new Engine();

    /** The key's record as a snapshot (and so a backup) holds it. */
    private byte[] record(String key) {
        Entry e = source.ks.db().findIncludingExpired(Engine.bytes(key));
        return SnapshotCodec.encode(e.value, source.ks.db().expireAt(e));
    }

    private String restore(String key, byte[] record) {
        List<byte[]> argv = new ArrayList<>(List.of(Engine.bytes("basalt.restore"), Engine.bytes(key), record));
        return target.exec(ExecContext.write(target.nowMs, ++target.index, 0), argv);
    }

    @Test
    void everyTypeComesBackWithItsEncodingAndExpiry() {
        long at = source.nowMs + 60_000;
        source.w("set", "raw", "hello");
        source.w("set", "int", "12345", "PXAT", Long.toString(at));
        source.w("rpush", "list", "a", "b", "c");
        source.w("hset", "hash", "f1", "v1", "f2", "v2");
        source.w("sadd", "intset", "1", "2", "3");
        source.w("sadd", "set", "x", "y", "z");
        source.w("zadd", "zset", "1.5", "m1", "-2", "m2");
        String[][] views = {
            {"get", "raw"}, {"get", "int"}, {"lrange", "list", "0", "-1"}, {"hgetall", "hash"},
            {"smembers", "intset"}, {"smembers", "set"}, {"zrange", "zset", "0", "-1", "withscores"}};
        for (String[] view : views) {
            assertEquals(ONE, restore(view[1], record(view[1])), view[1]);
            assertEquals(source.r(view), target.r(view), String.join(" ", view));
            assertEquals(source.r("object", "encoding", view[1]), target.r("object", "encoding", view[1]), view[1]);
            assertEquals(source.r("pexpiretime", view[1]), target.r("pexpiretime", view[1]), view[1]);
        }
        assertEquals(":" + at + "\r\n", target.r("pexpiretime", "int"));
        assertEquals(target.ks.db().recomputedMemoryBytes(), target.ks.usedMemoryBytes());
    }

    @Test
    void replacesAnExistingKeyOfAnyType() {
        source.w("set", "k", "new");
        target.w("rpush", "k", "old");
        target.w("expire", "k", "100");
        assertEquals(ONE, restore("k", record("k")));
        assertEquals(Engine.bulk("new"), target.r("get", "k"));
        assertEquals(":-1\r\n", target.r("pttl", "k"));
        assertEquals(Engine.integer(1), target.r("dbsize"));
    }

    @Test
    void aRecordExpiredAtRestoreTimeDeletesTheKeyAndRepliesZero() {
        source.w("set", "k", "v", "PXAT", Long.toString(source.nowMs + 1000));
        byte[] rec = record("k");
        target.w("set", "k", "old");
        target.nowMs = source.nowMs + 1001;
        assertEquals(ZERO, restore("k", rec));
        assertEquals(Engine.integer(0), target.r("dbsize"));
        target.nowMs = source.nowMs + 1000; // still live at exactly its expiry time, as lookups say
        assertEquals(ONE, restore("k", rec));
    }

    @Test
    void aDamagedRecordChangesNothing() {
        source.w("rpush", "k", "a", "b");
        byte[] rec = record("k");
        target.w("set", "k", "kept");
        byte[] truncated = java.util.Arrays.copyOf(rec, rec.length - 1);
        byte[] newer = rec.clone();
        newer[0] = 2;
        for (byte[] bad : List.of(truncated, newer, new byte[0])) {
            assertEquals(err(RestoreCommand.BAD_FORMAT), restore("k", bad));
        }
        assertEquals(Engine.bulk("kept"), target.r("get", "k"));
    }

    @Test
    void isAWriteAndChecksArity() {
        assertEquals(err("ERR wrong number of arguments for 'basalt.restore' command"), target.w("basalt.restore", "k"));
    }
}
