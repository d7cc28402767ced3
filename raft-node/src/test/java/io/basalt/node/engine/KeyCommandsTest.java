package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.NIL;
import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Key commands where Basalt (one database, cluster mode) differs from a standalone Redis, and KEYS on the shared matcher. */
class KeyCommandsTest {

    private final Engine e = new Engine();

    @Test
    void copyOnlyWithinDatabaseZero() {
        e.w("set", "a", "1");
        for (int db = 1; db < 16; db++) {
            assertEquals(err("ERR Copying to another database is not allowed in cluster mode"),
                    e.w("copy", "a", "b", "db", Integer.toString(db)));
        }
        // As Redis Cluster: the cluster check comes before the same-key check and the lookup.
        assertEquals(err("ERR Copying to another database is not allowed in cluster mode"), e.w("copy", "a", "a", "db", "1"));
        assertEquals(err("ERR DB index is out of range"), e.w("copy", "a", "b", "db", "16"));
        assertEquals(ONE, e.w("copy", "a", "b", "db", "0"));
        assertEquals(ZERO, e.r("exists", "nothing-else"));
    }

    @Test
    void objectHelpListsWhatIsImplemented() {
        assertEquals("*6\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+ENCODING <key>\r\n"
                + "+    Return the kind of internal representation used in order to store the value\r\n"
                + "+    associated with a <key>.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n", e.r("object", "help"));
        assertEquals(err("ERR unknown subcommand 'refcount'. Try OBJECT HELP."), e.r("object", "refcount", "k"));
    }

    @Test
    void renameMovesValueAndTtlAndReplacesTheTarget() {
        e.w("set", "src", "v", "PX", "5000");
        e.w("set", "dst", "old");
        assertEquals(OK, e.w("rename", "src", "dst"));
        assertEquals(bulk("v"), e.r("get", "dst"));
        assertEquals(integer(5000), e.r("pttl", "dst"));
        assertEquals(NIL, e.r("get", "src"));
        assertEquals(1, e.ks.keyCount());
        assertEquals(1, e.ks.keysWithExpiry());
        e.w("set", "x", "1");
        assertEquals(OK, e.w("rename", "dst", "x"));
        assertEquals(integer(5000), e.r("pttl", "x"));
        e.ks.db().checkInvariants();
    }

    @Test
    void delCountsOnlyLiveKeysOnce() {
        e.w("mset", "a", "1", "b", "2");
        e.w("set", "c", "3", "PX", "1");
        e.nowMs += 2;
        assertEquals(integer(2), e.w("unlink", "a", "b", "a", "c", "zz"));
        assertEquals(0, e.ks.keyCount()); // the expired c was deleted on the way, uncounted
        assertEquals(integer(0), e.w("del", "a"));
    }

    /** The matcher itself (io.basalt.router.text.RedisGlob) is tested in shard-router. */
    @Test
    void keysUsesTheMatcher() {
        e.w("mset", "user:1", "a", "user:2", "b", "other", "c");
        String reply = e.r("keys", "user:[0-9]");
        assertTrue(reply.startsWith("*2\r\n"), reply);
        assertEquals("*0\r\n", e.r("keys", "user:[3-9]"));
        assertEquals("*3\r\n", e.r("keys", "*").substring(0, 4));
    }
}
