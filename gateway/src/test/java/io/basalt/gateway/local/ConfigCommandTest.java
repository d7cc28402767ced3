package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.session.ClientSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected texts are redis-server 7.0.15's replies to the same commands. */
class ConfigCommandTest {

    private final LocalTestSupport t = new LocalTestSupport();
    private final ClientSession s = t.connect(50000);

    private String get(String name) {
        return t.info.config().get(name);
    }

    private String set(String... nameValues) {
        List<String> line = new ArrayList<>(List.of("CONFIG", "SET"));
        line.addAll(List.of(nameValues));
        return t.runText(s, line.toArray(String[]::new));
    }

    private static String failed(String name, String reason) {
        return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n";
    }

    @Test
    void getIsAMapOfMatches() {
        assertEquals("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", t.runText(s, "CONFIG", "GET", "maxmemory"));
        assertEquals("%1\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n", t.runText(s, "CONFIG", "GET", "MAXMEMORY", "maxmemory"));
        assertEquals("%1\r\n$2\r\nHZ\r\n$2\r\n10\r\n", t.runText(s, "CONFIG", "GET", "HZ", "Hz"));
        assertEquals("%0\r\n", t.runText(s, "CONFIG", "GET", "nosuch"));
        assertEquals("%2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$7\r\ntimeout\r\n$1\r\n0\r\n",
                t.runText(s, "CONFIG", "GET", "maxmemory", "nosuch", "timeout"));
        assertEquals(new Resp.RMap(List.of("maxmemory", "0", "maxmemory-eviction-tenacity", "10",
                        "maxmemory-policy", "noeviction", "maxmemory-samples", "5")),
                Resp.decode(t.run(s, "CONFIG", "GET", "maxmemory*")));
        assertEquals(new Resp.RMap(List.of("hash-max-listpack-entries", "512", "hash-max-ziplist-entries", "512",
                        "set-max-intset-entries", "512", "stream-node-max-entries", "100",
                        "zset-max-listpack-entries", "128", "zset-max-ziplist-entries", "128")),
                Resp.decode(t.run(s, "CONFIG", "GET", "*MAX*entries")));
        // In the order found, each name once.
        assertEquals(new Resp.RMap(List.of("maxmemory-policy", "noeviction", "maxmemory", "0")),
                Resp.decode(t.run(s, "CONFIG", "GET", "maxmemory-polic?", "maxmemory", "maxmemory-policy")));
        assertEquals(new Resp.RMap(List.of("maxclients", "10000", "maxmemory", "0", "maxmemory-eviction-tenacity", "10",
                        "maxmemory-policy", "noeviction", "maxmemory-samples", "5")),
                Resp.decode(t.run(s, "CONFIG", "GET", "max*", "maxmemory", "m[a-b]x*")));
        assertEquals(new Resp.RMap(List.of("save", "3600 1 300 100 60 10000", "set-max-intset-entries", "512",
                        "slowlog-log-slower-than", "10000",
                        "slowlog-max-len", "128")),
                Resp.decode(t.run(s, "CONFIG", "GET", "s[^t]*")));
        assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", t.runText(s, "CONFIG", "GET"));
    }

    @Test
    void everyParameterHasRedisDefault() {
        Resp.RMap all = (Resp.RMap) Resp.decode(t.run(s, "CONFIG", "GET", "*"));
        List<Object> expected = List.of(
                "appendfsync", "everysec",
                "appendonly", "no",
                "bind", "127.0.0.1",
                "busy-reply-threshold", "5000",
                "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                "client-query-buffer-limit", "1073741824",
                "cluster-enabled", "no",
                "databases", "1",
                "hash-max-listpack-entries", "512",
                "hash-max-listpack-value", "64",
                "hash-max-ziplist-entries", "512",
                "hash-max-ziplist-value", "64",
                "hll-sparse-max-bytes", "3000",
                "hz", "10",
                "latency-monitor-threshold", "0",
                "lfu-decay-time", "1",
                "lfu-log-factor", "10",
                "list-compress-depth", "0",
                "list-max-listpack-size", "-2",
                "list-max-ziplist-size", "-2",
                "loglevel", "notice",
                "lua-time-limit", "5000",
                "maxclients", "10000",
                "maxmemory", "0",
                "maxmemory-eviction-tenacity", "10",
                "maxmemory-policy", "noeviction",
                "maxmemory-samples", "5",
                "notify-keyspace-events", "",
                "port", "6379",
                "proto-max-bulk-len", "536870912",
                "replica-reads", "linearizable", // Basalt's own: READONLY reads on followers
                "save", "3600 1 300 100 60 10000",
                "set-max-intset-entries", "512",
                "slowlog-log-slower-than", "10000",
                "slowlog-max-len", "128",
                "stream-node-max-bytes", "4096",
                "stream-node-max-entries", "100",
                "tcp-keepalive", "300",
                "timeout", "0",
                "zset-max-listpack-entries", "128",
                "zset-max-listpack-value", "64",
                "zset-max-ziplist-entries", "128",
                "zset-max-ziplist-value", "64");
        assertEquals(expected, all.flat());
    }

    @Test
    void setIsAllOrNothing() {
        assertEquals("+OK\r\n", set("maxmemory", "100mb", "timeout", "30"));
        assertEquals("104857600", get("maxmemory"));
        assertEquals("30", get("timeout"));
        assertEquals(failed("timeout", "argument couldn't be parsed into an integer"), set("maxmemory", "5", "timeout", "x"));
        assertEquals("104857600", get("maxmemory"));
        assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n", set("maxmemory", "x", "foo", "bar"));
        assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n", set("foo", "bar", "maxmemory", "x"));
        assertEquals(failed("databases", "can't set immutable config"), set("databases", "1", "foo", "bar"));
        assertEquals(failed("maxmemory", "duplicate parameter"), set("maxmemory", "1", "maxmemory", "2"));
        assertEquals(failed("maxmemory-policy", "duplicate parameter"),
                set("maxmemory-policy", "allkeys-lru", "maxmemory-policy", "noeviction"));
        assertEquals("-ERR syntax error\r\n", set("maxmemory", "1", "timeout"));
        assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n", set("port"));
        assertEquals("104857600", get("maxmemory"));
        assertEquals("noeviction", get("maxmemory-policy"));
        // Names are case-insensitive; value errors name the parameter in lowercase.
        assertEquals("+OK\r\n", set("HZ", "20"));
        assertEquals("20", get("hz"));
        assertEquals(failed("hz", "argument couldn't be parsed into an integer"), set("HZ", "x"));
    }

    @Test
    void integers() {
        assertEquals(failed("timeout", "argument couldn't be parsed into an integer"), set("timeout", "abc"));
        assertEquals(failed("timeout", "argument couldn't be parsed into an integer"), set("timeout", "007"));
        assertEquals(failed("timeout", "argument couldn't be parsed into an integer"), set("timeout", "+7"));
        assertEquals(failed("timeout", "argument couldn't be parsed into an integer"), set("timeout", ""));
        assertEquals(failed("timeout", "argument must be between 0 and 2147483647 inclusive"), set("timeout", "-1"));
        assertEquals(failed("maxclients", "argument must be between 1 and 4294967295 inclusive"), set("maxclients", "0"));
        assertEquals(failed("maxclients", "argument must be between 1 and 4294967295 inclusive"), set("maxclients", "99999999999"));
        assertEquals(failed("maxmemory-samples", "argument must be between 1 and 2147483647 inclusive"), set("maxmemory-samples", "0"));
        assertEquals(failed("maxmemory-eviction-tenacity", "argument must be between 0 and 100 inclusive"),
                set("maxmemory-eviction-tenacity", "101"));
        assertEquals(failed("slowlog-log-slower-than", "argument must be between -1 and 9223372036854775807 inclusive"),
                set("slowlog-log-slower-than", "-2"));
        assertEquals(failed("list-max-listpack-size", "argument must be between -2147483648 and 2147483647 inclusive"),
                set("list-max-listpack-size", "-99999999999"));
        assertEquals(failed("hash-max-listpack-entries", "argument must be between 0 and 9223372036854775807 inclusive"),
                set("hash-max-listpack-entries", "-1"));
        assertEquals(failed("hash-max-listpack-entries", "argument couldn't be parsed into an integer"),
                set("hash-max-listpack-entries", "99999999999999999999"));
        assertEquals("+OK\r\n", set("slowlog-log-slower-than", "-1"));
        assertEquals("-1", get("slowlog-log-slower-than"));
    }

    @Test
    void hzIsClampedAsRedisDoes() {
        assertEquals("+OK\r\n", set("hz", "1000"));
        assertEquals("500", get("hz"));
        assertEquals("+OK\r\n", set("hz", "0"));
        assertEquals("1", get("hz"));
        assertEquals(failed("hz", "argument must be between 0 and 2147483647 inclusive"), set("hz", "-1"));
    }

    @Test
    void memorySizes() {
        assertEquals("+OK\r\n", set("maxmemory", "1GB"));
        assertEquals("1073741824", get("maxmemory"));
        assertEquals("+OK\r\n", set("maxmemory", "2k"));
        assertEquals("2000", get("maxmemory"));
        assertEquals("+OK\r\n", set("maxmemory", "3M"));
        assertEquals("3000000", get("maxmemory"));
        assertEquals("+OK\r\n", set("maxmemory", "64kb"));
        assertEquals("65536", get("maxmemory"));
        assertEquals("+OK\r\n", set("maxmemory", ""));
        assertEquals("0", get("maxmemory"));
        assertEquals("+OK\r\n", set("maxmemory", "mb"));
        assertEquals("0", get("maxmemory"));
        for (String bad : List.of("10xb", "-1", "1.5mb", " 5", "+5")) {
            assertEquals(failed("maxmemory", "argument must be a memory value"), set("maxmemory", bad), bad);
        }
        // Redis does not notice strtoull's overflow: maxmemory (unsigned) saturates, signed ones go out of range.
        assertEquals("+OK\r\n", set("maxmemory", "99999999999999999999"));
        assertEquals("18446744073709551615", get("maxmemory"));
        assertEquals(failed("client-query-buffer-limit", "argument must be between 1048576 and 9223372036854775807 inclusive"),
                set("client-query-buffer-limit", "99999999999999999999"));
        assertEquals(failed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive"),
                set("proto-max-bulk-len", "1"));
        assertEquals("+OK\r\n", set("proto-max-bulk-len", "2gb"));
        assertEquals("2147483648", get("proto-max-bulk-len"));
        assertEquals(2147483648L, t.info.config().getLong("proto-max-bulk-len"));
        assertEquals("+OK\r\n", set("hash-max-listpack-value", "1kb"));
        assertEquals("%1\r\n$22\r\nhash-max-ziplist-value\r\n$4\r\n1024\r\n", t.runText(s, "CONFIG", "GET", "hash-max-ziplist-value"));
        assertEquals(failed("hash-max-listpack-value", "argument must be a memory value"), set("hash-max-listpack-value", "-1"));
    }

    @Test
    void enumsAndBooleans() {
        assertEquals(failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
                + "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"), set("maxmemory-policy", "foo"));
        assertEquals("+OK\r\n", set("maxmemory-policy", "ALLKEYS-LRU"));
        assertEquals("allkeys-lru", get("maxmemory-policy"));
        assertEquals(failed("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning"),
                set("loglevel", "foo"));
        assertEquals("+OK\r\n", set("appendfsync", "ALWAYS"));
        assertEquals("always", get("appendfsync"));
        assertEquals(failed("appendonly", "argument must be 'yes' or 'no'"), set("appendonly", "maybe"));
        assertEquals("+OK\r\n", set("appendonly", "YES"));
        assertEquals("yes", get("appendonly"));
    }

    @Test
    void immutableParameters() {
        for (String name : List.of("databases", "cluster-enabled", "port", "bind")) {
            assertEquals(failed(name, "can't set immutable config"), set(name, "1"), name);
        }
        assertEquals(failed("Port", "can't set immutable config"), set("Port", "1"));
        assertEquals("1", get("databases"));
        assertEquals("6379", get("port"));
    }

    @Test
    void keyspaceEventsAreNormalizedLikeRedis() {
        String[][] cases = {
            {"KEA", "AKE"}, {"gx", "gx"}, {"Egx", "gxE"}, {"g$lshzxetd", "A"}, {"nmKA", "AKm"},
            {"ndtezxhsl$gmEK", "AKEm"}, {"Kx", "xK"}, {"AE", "AE"}, {"mE", "Em"}, {"n", "n"}, {"gn", "gn"},
            {"Ag$lshzxeKEtmdn", "AKEm"}, {"", ""},
        };
        for (String[] c : cases) {
            assertEquals("+OK\r\n", set("notify-keyspace-events", c[0]), c[0]);
            assertEquals(c[1], get("notify-keyspace-events"), c[0]);
        }
        assertEquals(failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
                set("notify-keyspace-events", "Q"));
    }

    @Test
    void save() {
        assertEquals(failed("save", "Invalid save parameters"), set("save", "10 20 30"));
        assertEquals(failed("save", "Invalid save parameters"), set("save", "abc"));
        assertEquals(failed("save", "Invalid save parameters"), set("save", "0 1"));
        assertEquals(failed("save", "Invalid save parameters"), set("save", "10 -1"));
        assertEquals(failed("save", "Invalid save parameters"), set("save", "10  1"));
        assertEquals("+OK\r\n", set("save", "900 1 +60 10000"));
        assertEquals("900 1 60 10000", get("save"));
        assertEquals("+OK\r\n", set("save", ""));
        assertEquals("", get("save"));
    }

    @Test
    void clientOutputBufferLimit() {
        String param = "client-output-buffer-limit";
        assertEquals(failed(param, "Wrong number of arguments in buffer limit configuration."), set(param, "normal 1 2"));
        assertEquals(failed(param, "Invalid client class specified in buffer limit configuration."), set(param, "foo 1 2 3"));
        assertEquals(failed(param, "Invalid client class specified in buffer limit configuration."), set(param, "master 1 2 3"));
        for (String bad : List.of("normal x 2 3", "normal -1 2 3", "normal 1 2 -3", "normal 1 2 3x")) {
            assertEquals(failed(param, "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
                    set(param, bad), bad);
        }
        assertEquals("+OK\r\n", set(param, "normal 1mb 2kb 3"));
        assertEquals("normal 1048576 2048 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60", get(param));
        assertEquals("+OK\r\n", set(param, "replica 1 2 3 pubsub 4 5 6 normal 0 0 0"));
        assertEquals("normal 0 0 0 slave 1 2 3 pubsub 4 5 6", get(param));
        assertEquals("+OK\r\n", set(param, ""));
        assertEquals("normal 0 0 0 slave 1 2 3 pubsub 4 5 6", get(param));
    }

    @Test
    void aliasesShareTheirParameter() {
        assertEquals("+OK\r\n", set("lua-time-limit", "100"));
        assertEquals("100", get("busy-reply-threshold"));
        assertEquals(failed("hash-max-ziplist-entries", "argument couldn't be parsed into an integer"),
                set("hash-max-ziplist-entries", "x"));
        // Redis keeps aliases as separate entries: naming both in one SET is not a duplicate, the last wins.
        assertEquals("+OK\r\n", set("list-max-ziplist-size", "5", "list-max-listpack-size", "7"));
        assertEquals("7", get("list-max-ziplist-size"));
    }

    @Test
    void helpWithoutRewrite() {
        assertEquals("*9\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                + "+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n"
                + "+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n"
                + "+HELP\r\n+    Prints this help.\r\n", t.runText(s, "CONFIG", "HELP"));
        assertTrue(t.info.config().names().contains("lua-time-limit"));
    }
}
