package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The replicated encoding thresholds: set through the log, followed at the next write, kept by snapshots. */
class ConfigCommandsTest {

    private final Engine e = new Engine();

    @Test
    void thresholdsDecideTheEncodingAtTheNextWriteAndNeverConvertBack() {
        assertEquals(OK, e.w("basalt.config.set", "zset-max-listpack-entries", "2", "set-max-intset-entries", "2"));
        e.w("zadd", "z", "1", "a", "2", "b");
        assertEquals(bulk("listpack"), e.r("object", "encoding", "z"));
        e.w("zadd", "z", "3", "c");
        assertEquals(bulk("skiplist"), e.r("object", "encoding", "z"));
        e.w("sadd", "s", "1", "2");
        assertEquals(bulk("intset"), e.r("object", "encoding", "s"));
        e.w("sadd", "s", "3");
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "s"));
        assertEquals(OK, e.w("basalt.config.set", "zset-max-listpack-entries", "128"));
        e.w("zrem", "z", "c", "b");
        assertEquals(bulk("skiplist"), e.r("object", "encoding", "z"));
        assertEquals(OK, e.w("basalt.config.set", "zset-max-listpack-value", "3"));
        e.w("zadd", "z2", "1", "abcd");
        assertEquals(bulk("skiplist"), e.r("object", "encoding", "z2"));
        assertEquals(OK, e.w("basalt.config.set", "hash-max-listpack-entries", "1", "hash-max-listpack-value", "5"));
        e.w("hset", "h", "f", "v");
        assertEquals(bulk("listpack"), e.r("object", "encoding", "h"));
        e.w("hset", "h", "g", "v");
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "h"));
        e.w("hset", "h2", "f", "longer");
        assertEquals(bulk("hashtable"), e.r("object", "encoding", "h2"));
    }

    @Test
    void anUnknownNameChangesNothingAndGetListsTheValues() {
        assertTrue(e.w("basalt.config.set", "set-max-intset-entries", "7", "maxclients", "1").startsWith("-ERR invalid replicated config"));
        String all = e.r("basalt.config.get");
        assertTrue(all.contains("set-max-intset-entries\r\n$3\r\n512\r\n"), all);
        assertEquals(OK, e.w("basalt.config.set", "set-max-intset-entries", "7"));
        assertTrue(e.r("basalt.config.get").contains("set-max-intset-entries\r\n$1\r\n7\r\n"));
    }

    @Test
    void snapshotsKeepTheThresholds() throws Exception {
        Keyspace original = new Keyspace();
        new Engine(original).w("basalt.config.set", "zset-max-listpack-entries", "1");
        Keyspace restored = new Keyspace();
        restored.restoreMeta(original.snapshotMeta());
        Engine r = new Engine(restored);
        r.w("zadd", "z", "1", "a", "2", "b");
        assertEquals(bulk("skiplist"), r.r("object", "encoding", "z"));
    }
}
