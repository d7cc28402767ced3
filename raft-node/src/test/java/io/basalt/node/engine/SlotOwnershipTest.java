package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.router.slot.HashSlot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Slot ownership: keyed commands for slots the shard does not own are refused; own/disown go through the log. */
class SlotOwnershipTest {

    private static final int FOO = slot("foo"); // 12182
    private static final int BAR = slot("bar"); // 5061

    private static int slot(String key) {
        return HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return b;
    }

    private static String moved(int slot) {
        return err("BASALTMOVED " + slot);
    }

    private final Keyspace ks = new Keyspace();
    private final Engine e = new Engine(ks);

    @Test
    void aStandaloneEngineOwnsEverySlot() {
        assertEquals("*2\r\n:0\r\n:16383\r\n", e.r("basalt.slots"));
        assertEquals(OK, e.w("set", "foo", "1"));
        assertEquals(OK, e.w("set", "bar", "1"));
    }

    @Test
    void keyedCommandsForForeignSlotsAreRefusedUnexecuted() {
        assertEquals(12182, FOO);
        assertEquals(5061, BAR);
        ks.ownSlotsInitially(range(0, 5460));
        assertEquals("*2\r\n:0\r\n:5460\r\n", e.r("basalt.slots"));
        assertEquals(moved(FOO), e.w("set", "foo", "1"));
        assertEquals(moved(FOO), e.r("get", "foo"));
        assertEquals(OK, e.w("set", "bar", "1"));
        // multi-key: refused whole when any key is elsewhere, nothing written
        assertEquals(moved(FOO), e.w("mset", "bar", "2", "foo", "2"));
        assertEquals(bulk("1"), e.r("get", "bar"));
        assertEquals(moved(FOO), e.w("del", "bar", "foo"));
        assertEquals(moved(FOO), e.w("blpop", "foo", "0"));
        // counted keys (numkeys) are keys too
        assertEquals(moved(FOO), e.r("sintercard", "2", "bar", "foo"));
        // keyless and internal commands run; arity and unknown-command errors come first
        assertEquals(integer(1), e.r("dbsize"));
        assertEquals(integer(0), e.r("cluster", "countkeysinslot", Integer.toString(FOO)));
        assertEquals(err("ERR wrong number of arguments for 'get' command"), e.r("get"));
        assertEquals(0, ks.db().keysInSlot(FOO));
    }

    @Test
    void ownAndDisownChangeOwnershipAllOrNothing() {
        ks.ownSlotsInitially(range(0, 5460));
        assertEquals(integer(1), e.w("basalt.slots.own", Integer.toString(FOO)));
        assertEquals(integer(0), e.w("basalt.slots.own", Integer.toString(FOO)));
        assertEquals(OK, e.w("set", "foo", "1"));
        assertEquals("*4\r\n:0\r\n:5460\r\n:12182\r\n:12182\r\n", e.r("basalt.slots"));
        assertEquals(integer(5461), e.w("basalt.slots.disown", "0-5460", "100"));
        assertEquals(moved(BAR), e.w("set", "bar", "1"));
        for (String bad : new String[] {"5-3", "16384", "x", "-1", "1-", "", "0-16384", "123456"}) {
            assertEquals(err("ERR invalid slot range '" + bad + "'"), e.w("basalt.slots.own", "0", bad), bad);
        }
        assertEquals("*2\r\n:12182\r\n:12182\r\n", e.r("basalt.slots"));
        assertEquals(err("ERR wrong number of arguments for 'basalt.slots.own' command"), e.w("basalt.slots.own"));
        assertEquals(integer(16383), e.w("basalt.slots.own", "0-16383"));
        assertEquals(OK, e.w("set", "bar", "1"));
        assertEquals("*2\r\n:0\r\n:16383\r\n", e.r("basalt.slots"));
    }

    @Test
    void ownSlotsAreReadOnlyForReadsAndWritesGoThroughTheLog() {
        assertEquals(err(EngineErrors.WRITE_AS_READ), e.r("basalt.slots.disown", "0"));
        assertEquals("*2\r\n:0\r\n:16383\r\n", e.r("basalt.slots"));
    }

    @Test
    void snapshotsKeepOwnershipAndClearReturnsToTheInitialSlots() throws Exception {
        ks.ownSlotsInitially(range(0, 5460));
        e.w("basalt.slots.own", "12000-12999");
        e.w("basalt.slots.disown", "0-99");
        byte[] meta = ks.snapshotMeta();

        Keyspace restored = new Keyspace();
        restored.ownSlotsInitially(range(5461, 10921)); // what its topology says; the snapshot wins
        restored.restoreMeta(meta);
        BitSet expected = range(100, 5460);
        expected.or(range(12000, 12999));
        assertEquals(expected, restored.ownedSlots());
        restored.clear();
        assertEquals(range(5461, 10921), restored.ownedSlots());
    }

    @Test
    void aSnapshotOfThePreviousFormatOwnsWhatTheTopologySays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(3);
        out.writeLong(0x426173616c74L);
        out.writeLong(0x4b65797370616365L);
        new WaitTable().writeTo(out);
        new EncodingLimits().writeTo(out);
        out.flush();
        ks.ownSlotsInitially(range(0, 5460));
        e.w("basalt.slots.own", "16000");
        ks.restoreMeta(bytes.toByteArray());
        assertEquals(range(0, 5460), ks.ownedSlots());
    }
}
