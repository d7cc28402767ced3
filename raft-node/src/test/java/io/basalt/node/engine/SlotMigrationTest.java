package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.slot.HashSlot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Moving a slot: changed-key tracking, freeze, export, put on the target, disown. */
class SlotMigrationTest {

    private static final int FOO = HashSlot.of("foo".getBytes(StandardCharsets.UTF_8)); // 12182
    private static final String S = Integer.toString(FOO);

    private final Keyspace sourceKs = new Keyspace();
    private final Engine source = new Engine(sourceKs);
    private final Keyspace targetKs = new Keyspace();
    private final Engine target = new Engine(targetKs);

    SlotMigrationTest() {
        BitSet notFoo = new BitSet();
        notFoo.set(0, HashSlot.SLOT_COUNT);
        notFoo.clear(FOO);
        targetKs.ownSlotsInitially(notFoo);
    }

    /** A page [more, key, record, ...] parsed from its RESP text (latin1, so records stay byte-exact). */
    private static List<String> page(String resp) {
        List<String> out = new ArrayList<>();
        int i = resp.indexOf("\r\n") + 2; // *N
        int more = resp.indexOf("\r\n", i);
        out.add(resp.substring(i + 1, more));
        i = more + 2;
        while (i < resp.length()) {
            int eol = resp.indexOf("\r\n", i);
            int len = Integer.parseInt(resp.substring(i + 1, eol));
            out.add(resp.substring(eol + 2, eol + 2 + len));
            i = eol + 2 + len + 2;
        }
        return out;
    }

    /** Copies every page of an export command into the target with basalt.slots.put; returns keys sent. */
    private int copy(String exportCommand, int pageBytes) {
        String cursor = "";
        int sent = 0;
        while (true) {
            List<String> p = page(source.r(exportCommand, S, cursor, Integer.toString(pageBytes)));
            List<String> put = new ArrayList<>(List.of("basalt.slots.put", S));
            put.addAll(p.subList(1, p.size()));
            int n = (p.size() - 1) / 2;
            if (n > 0) {
                assertEquals(integer(n), target.w(put.toArray(String[]::new)));
                cursor = ">" + p.get(p.size() - 2);
            }
            sent += n;
            if (p.get(0).equals("0")) {
                return sent;
            }
        }
    }

    @Test
    void copyThenFreezeThenChangedKeysMovesEveryChangeIncludingDeletes() {
        for (int i = 0; i < 50; i++) {
            assertEquals(integer(1), source.w("incr", "{foo}c" + i));
        }
        assertEquals(integer(2), source.w("sadd", "{foo}set", "a", "b"));
        assertEquals(OK, source.w("set", "{foo}ttl", "v", "px", "100000"));
        assertEquals(OK, source.w("basalt.slots.migrate-start", S));
        assertEquals(52, copy("basalt.slots.export", 64)); // small pages: many round trips
        // changes while the copy was running (after its cursor): an update, a delete, a new key
        assertEquals(integer(2), source.w("incr", "{foo}c7"));
        assertEquals(integer(1), source.w("del", "{foo}c8"));
        assertEquals(OK, source.w("set", "{foo}new", "n"));
        assertEquals("*5\r\n:1\r\n:1\r\n:0\r\n:3\r\n:52\r\n", source.r("basalt.slots.state", S));
        assertEquals(OK, source.w("basalt.slots.freeze", S));
        assertEquals(err("TRYAGAIN slot " + FOO + " is moving to another shard"), source.w("incr", "{foo}c1"));
        assertEquals(bulk("1"), source.r("get", "{foo}c1")); // reads still run
        assertEquals(OK, source.w("set", "bar", "x")); // other slots still take writes
        assertEquals(3, copy("basalt.slots.export-changed", 1 << 20));
        // the target takes the slot, the source gives it up and drops its keys
        assertEquals(integer(1), target.w("basalt.slots.own", S));
        assertEquals(integer(1), source.w("basalt.slots.disown", S));
        assertEquals("*5\r\n:0\r\n:0\r\n:0\r\n:0\r\n:0\r\n", source.r("basalt.slots.state", S));
        assertEquals(integer(52), target.r("cluster", "countkeysinslot", S));
        assertEquals(bulk("2"), target.r("get", "{foo}c7"));
        assertEquals(integer(0), target.r("exists", "{foo}c8"));
        assertEquals(bulk("n"), target.r("get", "{foo}new"));
        assertEquals(integer(1), target.r("sismember", "{foo}set", "b"));
        assertEquals(integer(1_700_000_100_000L), target.r("pexpiretime", "{foo}ttl")); // absolute expiry kept
        // once owned, a late copy cannot overwrite what clients write there
        assertEquals(err("ERR slot " + FOO + " is owned by this shard"), target.w("basalt.slots.put", S, "{foo}c7", ""));
    }

    @Test
    void freezeNeedsMigrationAndMigrationNeedsOwnership() {
        assertEquals(err("ERR slot " + FOO + " is not migrating"), source.w("basalt.slots.freeze", S));
        assertEquals(err("ERR slot " + FOO + " is not owned by this shard"), target.w("basalt.slots.migrate-start", S));
        assertEquals(err("ERR invalid slot '16384'"), source.w("basalt.slots.state", "16384"));
        assertEquals(err("ERR key of slot 5061 in a put for slot " + FOO), target.w("basalt.slots.put", S, "bar", ""));
        assertEquals(err("ERR Bad data format"), target.w("basalt.slots.put", S, "{foo}x", "junk"));
    }

    @Test
    void migrationStateSurvivesASnapshotOfTheEngineState() throws Exception {
        source.w("set", "{foo}a", "1");
        source.w("basalt.slots.migrate-start", S);
        source.w("set", "{foo}b", "2");
        source.w("basalt.slots.freeze", S);
        Keyspace copy = new Keyspace();
        copy.restoreMeta(sourceKs.snapshotMeta());
        Engine c = new Engine(copy);
        assertEquals(err("TRYAGAIN slot " + FOO + " is moving to another shard"), c.w("set", "{foo}a", "3"));
        List<String> changed = page(c.r("basalt.slots.export-changed", S, "", "1000"));
        assertEquals(List.of("0", "{foo}b", ""), changed); // the copy has no keys: "{foo}b" reads as deleted
        assertTrue(c.r("basalt.slots.state", S).startsWith("*5\r\n:1\r\n:1\r\n:1\r\n:1\r\n"));
    }

    @Test
    void flushallWhileMigratingRecordsTheDeletions() {
        source.w("set", "{foo}a", "1");
        source.w("basalt.slots.migrate-start", S);
        source.w("flushall");
        assertEquals(List.of("0", "{foo}a", ""), page(source.r("basalt.slots.export-changed", S, "", "1000")));
    }
}
