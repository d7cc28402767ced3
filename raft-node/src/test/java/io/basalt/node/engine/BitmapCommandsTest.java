package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.ONE;
import static io.basalt.node.engine.Engine.ZERO;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Bitmap behaviour beyond the golden script (bitmaps.txt): offset and size limits at a small
 * proto-max-bulk-len and at the default one (checked without allocating 512 MiB), memory
 * accounting, and which bitmap commands may run on the read path.
 */
class BitmapCommandsTest {

    private static final String BIT_OFFSET = err("ERR bit offset is not an integer or out of range");
    private static final String TOO_LONG = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    private final Engine e = new Engine();

    @Test
    void offsetsAreBoundedByProtoMaxBulkLen() {
        Engine small = new Engine(new Keyspace(1, 2, 10));
        assertEquals(ZERO, small.w("setbit", "b", "79", "1"));
        assertEquals(integer(10), small.w("strlen", "b"));
        assertEquals(BIT_OFFSET, small.w("setbit", "b", "80", "1"));
        assertEquals(BIT_OFFSET, small.r("getbit", "b", "80"));
        assertEquals(BIT_OFFSET, small.w("bitfield", "b", "get", "u8", "80"));
        assertEquals(BIT_OFFSET, small.w("bitfield", "b", "get", "u8", "#10"));
        // A field that starts inside the limit but ends past it: Redis lets it grow a few bytes over.
        assertEquals(TOO_LONG, small.w("bitfield", "b", "set", "u8", "73", "1"));
        assertEquals(TOO_LONG, small.w("bitfield", "new", "incrby", "i64", "#1", "1"));
        assertEquals(ZERO, small.r("exists", "new"));
        assertEquals("*1\r\n:1\r\n", small.w("bitfield", "b", "get", "u8", "72"));
        assertEquals("*1\r\n:128\r\n", small.w("bitfield", "b", "get", "u8", "79")); // past the end reads zeros
        assertEquals("*1\r\n:1\r\n", small.w("bitfield", "b", "set", "u8", "72", "2"));
        assertEquals(integer(10), small.w("strlen", "b"));
        // "#n" times the width must not wrap into a small offset.
        assertEquals(BIT_OFFSET, e.w("bitfield", "b", "get", "i64", "#" + (Long.MAX_VALUE / 32)));
        assertEquals(BIT_OFFSET, e.w("bitfield", "b", "get", "i64", "#" + (Long.MAX_VALUE / 64 + 1)));
        // Default limit, 512 MiB: bit offsets below 2^32 only.
        assertEquals(BIT_OFFSET, e.w("setbit", "big", "4294967296", "1"));
        assertEquals(ZERO, e.r("getbit", "big", "4294967295"));
        assertEquals(TOO_LONG, e.w("bitfield", "big", "incrby", "u8", "4294967289", "1"));
        assertEquals(TOO_LONG, e.w("bitfield", "big", "set", "i64", "4294967233", "1"));
        assertEquals(ZERO, e.r("exists", "big"));
        assertEquals(0, e.ks.keyCount());
    }

    @Test
    void memoryEstimateFollowsEveryChange() {
        long empty = e.ks.usedMemoryBytes();
        String[][] script = {
            {"setbit", "a", "7", "1"}, {"setbit", "a", "100000", "1"}, {"setbit", "a", "3", "1"},
            {"set", "i", "12345"}, {"setbit", "i", "2", "0"}, {"set", "s", "short"}, {"setbit", "s", "1000", "1"},
            {"append", "a", "tail"}, {"setrange", "a", "200000", "x"}, {"setbit", "a", "1700000", "1"},
            {"bitop", "or", "o", "a", "s", "i"}, {"bitop", "not", "o", "s"}, {"bitop", "and", "o", "nokey"},
            {"bitop", "xor", "a", "a", "s"}, {"bitfield", "f", "set", "u8", "#3", "200"},
            {"bitfield", "f", "overflow", "fail", "incrby", "u8", "#9000", "999"},
            {"bitfield", "i", "incrby", "i16", "#2", "-7"}, {"bitfield", "s", "get", "i8", "0"},
            {"set", "a", "x"}, {"copy", "f", "f2"}, {"setbit", "f2", "99999", "1"},
        };
        for (String[] cmd : script) {
            e.w(cmd);
            assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes(), String.join(" ", cmd));
            e.ks.db().checkInvariants();
        }
        assertEquals(bulk("\u00c8"), e.r("getrange", "f", "3", "3"));
        assertEquals(integer(9001), e.r("strlen", "f")); // a failed INCRBY still grew the string, as in Redis
        e.w("flushall");
        assertEquals(empty, e.ks.usedMemoryBytes());
    }

    @Test
    void readOnlyBitmapCommandsRunOnTheReadPathAndBitfieldGoesThroughTheLog() {
        e.w("setbit", "b", "9", "1");
        assertEquals(ONE, e.r("getbit", "b", "9"));
        assertEquals(ONE, e.r("bitcount", "b"));
        assertEquals(integer(9), e.r("bitpos", "b", "1"));
        assertEquals("*1\r\n:64\r\n", e.r("bitfield_ro", "b", "get", "u8", "8"));
        // BITFIELD is a write command in Redis even when it only reads: it comes through the log.
        assertEquals(err("READONLY You can't write against a read only replica."),
            e.r("bitfield", "b", "get", "u8", "8"));
        assertEquals("*1\r\n:64\r\n", e.w("bitfield", "b", "get", "u8", "8"));
        assertEquals(err("READONLY You can't write against a read only replica."), e.r("setbit", "b", "1", "1"));
        // A BITFIELD of GETs on a missing key creates nothing.
        assertEquals("*1\r\n:0\r\n", e.w("bitfield", "none", "get", "i8", "0"));
        assertEquals(ZERO, e.r("exists", "none"));
        assertEquals(bulk("raw"), e.r("object", "encoding", "b"));
        assertEquals(bulk("\u0000\u0040"), e.r("get", "b"));
    }
}
