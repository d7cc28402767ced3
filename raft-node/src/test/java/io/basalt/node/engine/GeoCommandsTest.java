package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Geo behaviour beyond the golden scripts (which are RESP2): RESP3 types, reads, memory. */
class GeoCommandsTest {

    @Test
    void coordinatesAreDoublesAndDistancesBulkStrings() {
        Engine e = new Engine();
        e.w("geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        // RESP3 doubles, as redis-server -3 replies; the gateway turns them into bulk strings for RESP2
        assertEquals("*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*-1\r\n",
            e.r("geopos", "Sicily", "Palermo", "nope"));
        assertEquals("$11\r\n166274.1516\r\n", e.r("geodist", "Sicily", "Palermo", "Catania"));
        assertEquals("*1\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n"
                + "*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n",
            e.r("geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "100", "km", "withdist", "withhash", "withcoord"));
    }

    @Test
    void georadiusIsAWriteAndItsRoFormsAreReads() {
        Engine e = new Engine();
        e.w("geoadd", "g", "1", "1", "a");
        // GEORADIUS may STORE, so COMMAND INFO flags it write: it must come through the log.
        assertEquals("-" + EngineErrors.WRITE_AS_READ + "\r\n", e.r("georadius", "g", "1", "1", "10", "km"));
        assertEquals("-" + EngineErrors.WRITE_AS_READ + "\r\n", e.r("georadiusbymember", "g", "a", "10", "km"));
        assertEquals("*1\r\n$1\r\na\r\n", e.w("georadius", "g", "1", "1", "10", "km"));
        assertEquals("*1\r\n$1\r\na\r\n", e.r("georadius_ro", "g", "1", "1", "10", "km"));
        assertEquals("*1\r\n$1\r\na\r\n", e.r("georadiusbymember_ro", "g", "a", "10", "km"));
        assertEquals("*1\r\n$1\r\na\r\n", e.r("geosearch", "g", "frommember", "a", "byradius", "10", "km"));
        assertEquals("-" + EngineErrors.WRITE_AS_READ + "\r\n",
            e.r("geosearchstore", "d", "g", "frommember", "a", "byradius", "10", "km"));
    }

    @Test
    void storedResultsAreAccountedAndMayReplaceTheSource() {
        Engine e = new Engine();
        for (int i = 0; i < 200; i++) {
            e.w("geoadd", "g", Double.toString(10 + i * 0.001), "10", "m" + i);
        }
        assertEquals("$8\r\nskiplist\r\n", e.r("object", "encoding", "g"));
        assertEquals(":200\r\n", e.w("geosearchstore", "d", "g", "fromlonlat", "10", "10", "byradius", "50", "km"));
        assertEquals(":5\r\n", e.w("geosearchstore", "d", "g", "fromlonlat", "10", "10", "byradius", "50", "km", "count", "5"));
        assertEquals("$8\r\nlistpack\r\n", e.r("object", "encoding", "d"));
        assertEquals(":3\r\n", e.w("georadius", "g", "10", "10", "50", "km", "count", "3", "storedist", "g"));
        assertEquals(":3\r\n", e.r("zcard", "g"));
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
    }
}
