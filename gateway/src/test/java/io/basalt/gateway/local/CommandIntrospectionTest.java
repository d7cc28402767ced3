package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandIntrospectionTest {

    private final LocalTestSupport t = new LocalTestSupport();
    private final ClientSession s = t.connect(50000);

    /** redis-server 7.0.15's RESP3 reply to COMMAND INFO client|id. */
    private static final String REDIS_INFO_CLIENT_ID = "*1\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n~3\r\n+noscript\r\n+loading\r\n"
            + "+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n";

    /** redis-server 7.0.15's RESP3 reply to COMMAND INFO get. */
    private static final String REDIS_INFO_GET = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
            + "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

    /** redis-server 7.0.15's RESP3 reply to COMMAND DOCS client|id. */
    private static final String REDIS_DOCS_CLIENT_ID = "%1\r\n$9\r\nclient|id\r\n%4\r\n$7\r\nsummary\r\n$48\r\n"
            + "Returns the client ID for the current connection\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n"
            + "$10\r\nconnection\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n";

    @Test
    void infoMatchesRedisForACommandWithoutKeys() {
        assertEquals(REDIS_INFO_CLIENT_ID, t.runText(s, "COMMAND", "INFO", "client|id"));
        assertEquals(REDIS_INFO_CLIENT_ID, t.runText(s, "COMMAND", "INFO", "CLIENT|ID"));
    }

    @Test
    void infoKeySpecIsDerivedFromKeyPositionsWithoutFlags() {
        // The spec table has no key-spec flags (RO, access): the only difference from Redis.
        String expected = REDIS_INFO_GET.replace("~2\r\n+RO\r\n+access\r\n", "~0\r\n");
        assertEquals(expected, t.runText(s, "COMMAND", "INFO", "get"));
        // MSET: first 1, last -1, step 2 -> lastkey -1 (counted from the end), keystep 2.
        assertEquals(rangeKeySpec(1, -1, 2), keySpecsOf("mset"));
        // RENAME: keys 1..2 -> lastkey 1, relative to the first key.
        assertEquals(rangeKeySpec(1, 1, 1), keySpecsOf("rename"));
        assertEquals(new Resp.RSet(List.of()), keySpecsOf("ping"));
    }

    private Object keySpecsOf(String command) {
        List<?> entry = (List<?>) ((List<?>) Resp.decode(t.run(s, "COMMAND", "INFO", command))).get(0);
        return entry.get(8);
    }

    private static Resp.RSet rangeKeySpec(long index, long lastkey, long keystep) {
        return new Resp.RSet(List.of(new Resp.RMap(List.of(
                "flags", new Resp.RSet(List.of()),
                "begin_search", new Resp.RMap(List.of("type", "index", "spec", new Resp.RMap(List.of("index", index)))),
                "find_keys", new Resp.RMap(List.of("type", "range", "spec",
                        new Resp.RMap(List.of("lastkey", lastkey, "keystep", keystep, "limit", 0L))))))));
    }

    @Test
    void infoOfSeveralNamesKeepsPositionsAndNullsUnknownOnes() {
        List<?> reply = (List<?>) Resp.decode(t.run(s, "COMMAND", "INFO", "nosuch", "Get", "get|x", "client|nosuch", "a|b|c", "basalt.stats"));
        assertEquals(6, reply.size());
        assertNull(reply.get(0));
        assertEquals("get", ((List<?>) reply.get(1)).get(0));
        for (int i = 2; i < 6; i++) {
            assertNull(reply.get(i), "position " + i);
        }
        assertEquals("*1\r\n$-1\r\n", t.runText(s, "COMMAND", "INFO", "nosuch"));
    }

    @Test
    void infoOfAContainerListsItsSubcommands() {
        List<?> client = (List<?>) ((List<?>) Resp.decode(t.run(s, "COMMAND", "INFO", "client"))).get(0);
        assertEquals("client", client.get(0));
        assertEquals(-2L, client.get(1));
        assertEquals(new Resp.RSet(List.of()), client.get(2), "CLIENT itself has no flags");
        assertEquals(new Resp.RSet(List.of(new Resp.Status("@slow"))), client.get(6));
        List<String> subNames = new ArrayList<>();
        for (Object sub : (List<?>) client.get(9)) {
            subNames.add((String) ((List<?>) sub).get(0));
        }
        assertEquals(List.of("client|id", "client|setname", "client|getname", "client|info", "client|list", "client|help", "client|setinfo"), subNames);
    }

    @Test
    void commandListsEveryVisibleSpecAndCountAgrees() {
        CommandTable table = CommandTable.standard();
        List<?> all = (List<?>) Resp.decode(t.run(s, "COMMAND"));
        long internal = table.all().stream().filter(c -> c.has(io.basalt.router.command.CommandSpec.Flag.INTERNAL)).count();
        assertEquals(28, internal, "basalt.stats, basalt.persistence, basalt.config.set/get, the four blocking-command helpers, backup open/read/close, restore, the five node-local commands, the three slot-ownership commands and the six slot-migration steps, the two metadata commands");
        assertEquals(table.all().size() - internal, all.size(), "everything but the internal commands");
        assertEquals(":" + all.size() + "\r\n", t.runText(s, "COMMAND", "COUNT"));
        List<String> names = new ArrayList<>();
        for (Object entry : all) {
            assertEquals(10, ((List<?>) entry).size());
            names.add((String) ((List<?>) entry).get(0));
        }
        assertFalse(names.contains("basalt.stats"));
        assertEquals(table.visible().stream().map(CommandSpec::name).toList(), names);
        assertEquals(t.runText(s, "COMMAND"), t.runText(s, "COMMAND", "INFO"));
    }

    @Test
    void docsMatchRedisWithoutArgumentsAndHistory() {
        assertEquals(REDIS_DOCS_CLIENT_ID, t.runText(s, "COMMAND", "DOCS", "client|id"));
        assertEquals("%1\r\n$3\r\nget\r\n%4\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n"
                + "$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n", t.runText(s, "COMMAND", "DOCS", "get"));
        assertEquals("%0\r\n", t.runText(s, "COMMAND", "DOCS", "nosuch", "basalt.stats"));
        Resp.RMap twice = (Resp.RMap) Resp.decode(t.run(s, "COMMAND", "DOCS", "get", "GET"));
        assertEquals(4, twice.flat().size(), "Redis repeats a name given twice");
    }

    @Test
    void docsOfAContainerNestSubcommandsAndAllDocsCoverEveryVisibleSpec() {
        Resp.RMap config = (Resp.RMap) Resp.decode(t.run(s, "COMMAND", "DOCS", "config"));
        Resp.RMap doc = (Resp.RMap) config.flat().get(1);
        assertEquals(List.of("summary", "since", "group", "complexity", "subcommands"),
                List.of(doc.flat().get(0), doc.flat().get(2), doc.flat().get(4), doc.flat().get(6), doc.flat().get(8)));
        Resp.RMap subs = (Resp.RMap) doc.flat().get(9);
        assertEquals(List.of("config|get", "config|set", "config|resetstat", "config|help"),
                List.of(subs.flat().get(0), subs.flat().get(2), subs.flat().get(4), subs.flat().get(6)));
        Resp.RMap all = (Resp.RMap) Resp.decode(t.run(s, "COMMAND", "DOCS"));
        assertEquals(2 * CommandTable.standard().visible().size(), all.flat().size());
    }

    @Test
    void listWithAndWithoutFilters() {
        List<?> all = (List<?>) Resp.decode(t.run(s, "COMMAND", "LIST"));
        int subcommands = CommandTable.standard().visible().stream().mapToInt(c -> c.subcommands().size()).sum();
        assertEquals(CommandTable.standard().visible().size() + subcommands, all.size());
        assertFalse(all.contains("basalt.stats"));
        assertEquals("*2\r\n$9\r\nclient|id\r\n$11\r\nclient|info\r\n",
                t.runText(s, "COMMAND", "LIST", "FILTERBY", "PATTERN", "CLIENT|I*"));
        assertEquals(List.of("client", "client|id", "client|setname", "client|getname", "client|info", "client|list", "client|help", "client|setinfo"),
                Resp.decode(t.run(s, "COMMAND", "LIST", "filterby", "pattern", "cli*")));
        List<?> connection = (List<?>) Resp.decode(t.run(s, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "CONNECTION"));
        assertEquals(List.of("asking", "client|id", "client|setname", "client|getname", "client|info", "client|list", "client|help",
                "client|setinfo", "command", "command|count", "command|info", "command|docs", "command|list", "command|getkeys", "command|help",
                "echo", "hello", "ping", "quit", "readonly", "readwrite", "reset", "select"), connection);
        assertEquals("*0\r\n", t.runText(s, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "@connection"));
        assertEquals("*0\r\n", t.runText(s, "COMMAND", "LIST", "FILTERBY", "MODULE", "json"));
        for (String[] bad : List.of(new String[] {"FILTERBY"}, new String[] {"FOO"}, new String[] {"FILTERBY", "FOO", "x"},
                new String[] {"FILTERBY", "PATTERN", "a", "b"}, new String[] {"FILTERBY", "PATTERN"})) {
            List<String> line = new ArrayList<>(List.of("COMMAND", "LIST"));
            line.addAll(List.of(bad));
            assertEquals("-ERR syntax error\r\n", t.runText(s, line.toArray(String[]::new)), String.join(" ", bad));
        }
    }

    @Test
    void getkeysLikeRedis() {
        assertEquals("*1\r\n$1\r\na\r\n", t.runText(s, "COMMAND", "GETKEYS", "get", "a"));
        // keys named by a count argument (redis-server 7.0.15)
        assertEquals("*3\r\n$3\r\ndst\r\n$1\r\na\r\n$1\r\nb\r\n", t.runText(s, "COMMAND", "GETKEYS", "ZUNIONSTORE", "dst", "2", "a", "b"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", t.runText(s, "COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nc\r\n", t.runText(s, "COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nc\r\n", t.runText(s, "COMMAND", "GETKEYS", "mset", "a", "b", "c"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", t.runText(s, "COMMAND", "GETKEYS", "mget", "a", "b", "c"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", t.runText(s, "COMMAND", "GETKEYS", "rename", "a", "b"));
        assertEquals("*1\r\n$1\r\nk\r\n", t.runText(s, "COMMAND", "GETKEYS", "object", "encoding", "k"));
        assertEquals("-ERR Invalid command specified\r\n", t.runText(s, "COMMAND", "GETKEYS", "nosuch", "a"));
        assertEquals("-ERR Invalid command specified\r\n", t.runText(s, "COMMAND", "GETKEYS", "client", "a", "b"));
        assertEquals("-ERR Invalid command specified\r\n", t.runText(s, "COMMAND", "GETKEYS", "object", "nosuch", "k"));
        assertEquals("-ERR Invalid command specified\r\n", t.runText(s, "COMMAND", "GETKEYS", "basalt.stats", "x"));
        assertEquals("-ERR The command has no key arguments\r\n", t.runText(s, "COMMAND", "GETKEYS", "ping", "a"));
        assertEquals("-ERR The command has no key arguments\r\n", t.runText(s, "COMMAND", "GETKEYS", "client", "list"));
        assertEquals("-ERR The command has no key arguments\r\n", t.runText(s, "COMMAND", "GETKEYS", "config", "get"));
        assertEquals("-ERR Invalid number of arguments specified for command\r\n", t.runText(s, "COMMAND", "GETKEYS", "set", "a"));
        assertEquals("-ERR Invalid number of arguments specified for command\r\n", t.runText(s, "COMMAND", "GETKEYS", "GET", "a", "b"));
        assertEquals("-ERR Invalid number of arguments specified for command\r\n", t.runText(s, "COMMAND", "GETKEYS", "MSET", "a"));
        assertEquals("-ERR Invalid number of arguments specified for command\r\n", t.runText(s, "COMMAND", "GETKEYS", "object", "encoding"));
        assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n", t.runText(s, "COMMAND", "GETKEYS", "get"));
    }

    @Test
    void getkeysWithoutKeysFoundFollowsNoMandatoryKeys() {
        // A spec whose key range lies beyond the arguments given: Redis's "Invalid arguments" path.
        List<CommandSpec> specs = new ArrayList<>(CommandTable.standard().all());
        specs.add(CommandSpec.builder("zkeys", -2, CommandSpec.Site.SHARD).keys(3, 3, 1).build());
        specs.add(CommandSpec.builder("okeys", -2, CommandSpec.Site.SHARD)
                .flags(CommandSpec.Flag.NO_MANDATORY_KEYS).keys(3, 3, 1).build());
        LocalTestSupport custom = new LocalTestSupport(b -> b.commands(new CommandTable(specs)));
        ClientSession c = custom.connect(50001);
        assertEquals("-ERR Invalid arguments specified for command\r\n", custom.runText(c, "COMMAND", "GETKEYS", "zkeys", "a"));
        assertEquals("*0\r\n", custom.runText(c, "COMMAND", "GETKEYS", "okeys", "a"));
    }

    @Test
    void help() {
        assertEquals("*19\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+(no subcommand)\r\n+    Return details about all Redis commands.\r\n"
                + "+COUNT\r\n+    Return the total number of commands in this Redis server.\r\n"
                + "+LIST\r\n+    Return a list of all commands in this Redis server.\r\n"
                + "+INFO [<command-name> ...]\r\n+    Return details about multiple Redis commands.\r\n"
                + "+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n"
                + "+DOCS [<command-name> ...]\r\n+    Return documentation details about multiple Redis commands.\r\n"
                + "+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n"
                + "+GETKEYS <full-command>\r\n+    Return the keys from a full Redis command.\r\n"
                + "+HELP\r\n+    Prints this help.\r\n", t.runText(s, "COMMAND", "HELP"));
        assertInstanceOf(List.class, Resp.decode(t.run(s, "COMMAND", "HELP")));
    }
}
