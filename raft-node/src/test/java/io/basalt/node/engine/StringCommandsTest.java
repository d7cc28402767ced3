package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.EMPTY;
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

/** String commands beyond the golden scripts: binary safety, size limits, encodings, option grid. */
class StringCommandsTest {

    private final Engine e = new Engine();
    private static final String TOO_LONG = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    @Test
    void keysAndValuesAreBinarySafe() {
        String key = "k\u0000\r\n\u00ff\u00fe"; // NUL, CRLF, invalid UTF-8
        String value = "\u0000\r\n$-1\r\n\u00c3\u0028";
        assertEquals(OK, e.w("set", key, value));
        assertEquals(bulk(value), e.r("get", key));
        assertEquals(integer(value.length()), e.r("strlen", key));
        assertEquals(integer(value.length() + 2), e.w("append", key, "\u0000\u0000"));
        assertEquals(bulk("\r\n"), e.r("getrange", key, "1", "2"));
        assertEquals(OK, e.w("mset", "\u0000", "\u0000", "\u0000\u0000", "x"));
        assertEquals("*2\r\n" + bulk("\u0000") + bulk("x"), e.r("mget", "\u0000", "\u0000\u0000"));
        assertEquals(ZERO, e.r("exists", "\u0000\u0000\u0000"));
        assertEquals(OK, e.w("rename", key, "\u00ff"));
        assertEquals("*1\r\n" + bulk("\u00ff"), e.r("keys", "\u00ff"));
        assertEquals("*1\r\n" + bulk("\u00ff"), e.r("keys", "[\u00fe-\u00ff]"));
        assertEquals(OK, e.w("set", "", ""));
        assertEquals(EMPTY, e.r("get", ""));
        assertEquals(integer(4), e.r("dbsize"));
        assertEquals("*1\r\n" + bulk(""), e.r("keys", "")); // the empty key; KEYS * finds it too
        assertTrue(e.r("keys", "*").startsWith("*4\r\n"));
    }

    @Test
    void appendAndSetrangeRefuseResultsOverTheLimit() {
        Engine small = new Engine(new Keyspace(1, 2, 10));
        assertEquals(integer(10), small.w("append", "a", "0123456789"));
        assertEquals(TOO_LONG, small.w("append", "a", "x"));
        assertEquals(integer(10), small.w("append", "a", ""));
        assertEquals(integer(10), small.w("setrange", "a", "9", "z"));
        assertEquals(TOO_LONG, small.w("setrange", "a", "10", "z"));
        assertEquals(TOO_LONG, small.w("setrange", "new", "9", "zz"));
        assertEquals(integer(10), small.w("setrange", "new", "9", "z"));
        assertEquals(bulk("\u0000".repeat(9) + "z"), small.r("get", "new"));
        assertEquals(TOO_LONG, small.w("setrange", "new", Long.toString(Long.MAX_VALUE), "z"));
        assertEquals(integer(10), small.w("setrange", "new", Long.toString(Long.MAX_VALUE), ""));
        // The limit is proto-max-bulk-len, 512 MiB, by default (checked without allocating it).
        assertEquals(TOO_LONG, e.w("setrange", "big", "536870912", "x"));
        assertEquals(ZERO, e.r("exists", "big"));
        assertEquals(2, small.ks.keyCount());
    }

    @Test
    void encodingsFollowRedis() {
        e.w("set", "i", "123");
        assertEquals(bulk("int"), e.r("object", "encoding", "i"));
        e.w("set", "e", "x".repeat(44));
        assertEquals(bulk("embstr"), e.r("object", "encoding", "e"));
        e.w("set", "r", "x".repeat(45));
        assertEquals(bulk("raw"), e.r("object", "encoding", "r"));
        e.w("append", "e", "");
        assertEquals(bulk("raw"), e.r("object", "encoding", "e"));
        e.w("incr", "e2");
        assertEquals(bulk("int"), e.r("object", "encoding", "e2"));
        e.w("incrbyfloat", "f", "1");
        assertEquals(bulk("embstr"), e.r("object", "encoding", "f"));
        e.w("setrange", "s", "0", "12");
        assertEquals(bulk("raw"), e.r("object", "encoding", "s"));
        assertEquals(integer(13), e.w("incr", "s"));
        assertEquals(bulk("int"), e.r("object", "encoding", "s"));
        e.w("append", "s", "4");
        assertEquals(bulk("134"), e.r("get", "s"));
        assertEquals(integer(135), e.w("incr", "s"));
        e.w("getset", "g", "77");
        assertEquals(bulk("int"), e.r("object", "encoding", "g"));
        e.w("setnx", "n", "-5");
        assertEquals(bulk("int"), e.r("object", "encoding", "n"));
        assertEquals(integer(-10), e.w("decrby", "n", "5"));
    }

    @Test
    void intEncodedValuesReadBackAsTheirDigits() {
        e.w("set", "n", "-9223372036854775808");
        assertEquals(bulk("-9223372036854775808"), e.r("get", "n"));
        assertEquals(integer(20), e.r("strlen", "n"));
        assertEquals(bulk("922"), e.r("getrange", "n", "1", "3"));
        assertEquals(integer(21), e.w("append", "n", "0"));
        assertEquals(err("ERR value is not an integer or out of range"), e.w("incr", "n"));
        e.w("set", "m", "42");
        assertEquals("*1\r\n" + bulk("42"), e.r("mget", "m"));
        assertEquals(bulk("42"), e.w("getdel", "m"));
        assertEquals(ZERO, e.r("exists", "m"));
    }

    @Test
    void incrOnSharedSmallIntegersDoesNotAliasKeys() {
        e.w("set", "a", "5");
        e.w("set", "b", "5");
        assertEquals(integer(6), e.w("incr", "a"));
        assertEquals(bulk("5"), e.r("get", "b"));
        e.w("copy", "a", "c");
        assertEquals(integer(7), e.w("incr", "a"));
        assertEquals(bulk("6"), e.r("get", "c"));
        e.w("append", "r", "abc");
        e.w("append", "r", "d");
        e.w("copy", "r", "r2");
        e.w("append", "r", "e");
        assertEquals(bulk("abcd"), e.r("get", "r2"));
        e.w("setrange", "r2", "0", "X");
        assertEquals(bulk("abcde"), e.r("get", "r"));
    }

    @Test
    void manyAppendsGrowInPlace() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String piece = Integer.toString(i);
            expected.append(piece);
            assertEquals(integer(expected.length()), e.w("append", "log", piece));
        }
        assertEquals(bulk(expected.toString()), e.r("get", "log"));
        assertEquals(bulk("19981999"), e.r("getrange", "log", "-8", "-1"));
    }

    /** Every combination of up to two SET options against an existing and a missing key. */
    @Test
    void setOptionGrid() {
        String[][] options = {
            {}, {"NX"}, {"XX"}, {"GET"}, {"KEEPTTL"}, {"EX", "100"}, {"PX", "100000"},
            {"EXAT", "4102444800"}, {"PXAT", "4102444800000"},
        };
        for (String[] a : options) {
            for (String[] b : options) {
                for (boolean exists : new boolean[] {false, true}) {
                    Engine x = new Engine();
                    if (exists) {
                        x.w("set", "k", "old", "EX", "50");
                    }
                    String[] cmd = concat(new String[] {"set", "k", "new"}, a, b);
                    String reply = x.w(cmd);
                    String label = String.join(" ", cmd) + (exists ? " (exists)" : " (missing)");
                    boolean conflict = conflicts(a, b);
                    if (conflict) {
                        assertEquals(err("ERR syntax error"), reply, label);
                        assertEquals(exists ? bulk("old") : NIL, x.r("get", "k"), label);
                        continue;
                    }
                    boolean nx = has(a, b, "NX");
                    boolean xx = has(a, b, "XX");
                    boolean get = has(a, b, "GET");
                    boolean sets = !(nx && exists) && !(xx && !exists);
                    String expectedReply = get ? (exists ? bulk("old") : NIL) : sets ? OK : NIL;
                    assertEquals(expectedReply, reply, label);
                    assertEquals(sets ? bulk("new") : exists ? bulk("old") : NIL, x.r("get", "k"), label);
                    String ttl = x.r("ttl", "k");
                    if (!sets) {
                        assertEquals(exists ? integer(50) : integer(-2), ttl, label);
                    } else if (has(a, b, "EX") || has(a, b, "PX")) {
                        assertEquals(integer(100), ttl, label);
                    } else if (has(a, b, "EXAT") || has(a, b, "PXAT")) {
                        assertEquals(integer(4102444800L - x.nowMs / 1000), ttl, label);
                    } else if (has(a, b, "KEEPTTL") && exists) {
                        assertEquals(integer(50), ttl, label);
                    } else {
                        assertEquals(integer(-1), ttl, label);
                    }
                }
            }
        }
    }

    private static boolean conflicts(String[] a, String[] b) {
        String x = a.length == 0 ? "" : a[0];
        String y = b.length == 0 ? "" : b[0];
        boolean xExpire = x.matches("EX|PX|EXAT|PXAT");
        boolean yExpire = y.matches("EX|PX|EXAT|PXAT");
        if (xExpire && yExpire) {
            return !x.equals(y); // a repeated option is accepted, the last wins
        }
        if ((x.equals("NX") && y.equals("XX")) || (x.equals("XX") && y.equals("NX"))) {
            return true;
        }
        return (x.equals("KEEPTTL") && yExpire) || (y.equals("KEEPTTL") && xExpire);
    }

    private static boolean has(String[] a, String[] b, String opt) {
        return (a.length > 0 && a[0].equals(opt)) || (b.length > 0 && b[0].equals(opt));
    }

    private static String[] concat(String[]... parts) {
        int n = 0;
        for (String[] p : parts) {
            n += p.length;
        }
        String[] out = new String[n];
        int i = 0;
        for (String[] p : parts) {
            for (String s : p) {
                out[i++] = s;
            }
        }
        return out;
    }

    @Test
    void expireTimesAreComputedFromTheEntryTime() {
        e.nowMs = 5_000;
        assertEquals(OK, e.w("set", "k", "v", "EX", "7"));
        assertEquals(integer(12_000), e.r("pexpiretime", "k"));
        assertEquals(OK, e.w("psetex", "k", "250", "v"));
        assertEquals(integer(5_250), e.r("pexpiretime", "k"));
        assertEquals(bulk("v"), e.w("getex", "k", "PX", "10"));
        assertEquals(integer(5_010), e.r("pexpiretime", "k"));
        assertEquals(err("ERR invalid expire time in 'set' command"),
                e.w("set", "k", "v", "PX", Long.toString(Long.MAX_VALUE - 4_999)));
        assertEquals(OK, e.w("set", "k", "v", "PX", Long.toString(Long.MAX_VALUE - 5_000)));
        assertEquals(integer(Long.MAX_VALUE), e.r("pexpiretime", "k"));
    }

    @Test
    void msetnxSetsNothingWhenAnyKeyExists() {
        e.w("set", "b", "old");
        assertEquals(ZERO, e.w("msetnx", "a", "1", "b", "2", "c", "3"));
        assertEquals(ZERO, e.r("exists", "a", "c"));
        assertEquals(ONE, e.w("msetnx", "a", "1", "c", "3"));
        assertEquals("*3\r\n" + bulk("1") + bulk("old") + bulk("3"), e.r("mget", "a", "b", "c"));
    }

    @Test
    void valuesAreStoredWithoutCopyingTheArgument() {
        java.util.List<byte[]> argv = Engine.argv("set", "k", "x".repeat(100));
        e.ks.execute(argv, ExecContext.write(1, 1, 0), new io.basalt.router.reply.RespWriter());
        Entry entry = e.ks.db().findIncludingExpired(Engine.bytes("k"));
        assertTrue(entry.value == argv.get(2) && entry.key == argv.get(1), "argument arrays kept as they are");
    }
}
