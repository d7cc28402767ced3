package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.OK;
import static io.basalt.node.engine.Engine.bulk;
import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandTable;
import io.basalt.router.reply.RespWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchTest {

    private final Engine e = new Engine();

    @Test
    void everyShardSpecHasAHandlerAndEveryHandlerASpec() {
        CommandRegistry registry = e.ks.registry();
        assertEquals(List.of(), registry.specsWithoutHandler());
        List<String> handlers = registry.handlerNames();
        assertTrue(handlers.size() >= 45, "handlers: " + handlers);
        CommandTable table = CommandTable.standard();
        List<String> shardSpecs = new ArrayList<>();
        for (CommandSpec spec : table.allWithSubcommands()) {
            if (spec.site() == CommandSpec.Site.SHARD && !spec.isContainer()) {
                shardSpecs.add(spec.name());
            }
        }
        shardSpecs.sort(null);
        assertEquals(shardSpecs, handlers);
    }

    @Test
    void registeringAHandlerWithoutAShardSpecFails() {
        CommandRegistry registry = new CommandRegistry(CommandTable.standard());
        Handler h = (argv, ctx, out) -> out.simple("OK");
        assertThrows(IllegalStateException.class, () -> registry.register("nosuchcommand", h));
        assertThrows(IllegalStateException.class, () -> registry.register("ping", h)); // a gateway command
        assertThrows(IllegalStateException.class, () -> registry.register("object", h)); // a container
        assertThrows(IllegalStateException.class, () -> registry.register("object|nosuch", h));
        registry.register("get", h);
        assertThrows(IllegalStateException.class, () -> registry.register("get", h));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals(OK, e.w("SeT", "k", "v"));
        assertEquals(bulk("v"), e.r("gET", "k"));
        assertEquals(bulk("embstr"), e.r("OBJECT", "EnCoDiNg", "k"));
    }

    @Test
    void unknownAndGatewayCommandsGetRedisUnknownCommandError() {
        assertEquals(err("ERR unknown command 'nosuch', with args beginning with: 'a' "), e.w("nosuch", "a"));
        assertEquals(err("ERR unknown command 'PING', with args beginning with: "), e.w("PING"));
        assertEquals(err("ERR unknown command 'get1', with args beginning with: "), e.w("get1"));
    }

    @Test
    void arityIsCheckedAgainstTheSpec() {
        assertEquals(err("ERR wrong number of arguments for 'get' command"), e.w("GET"));
        assertEquals(err("ERR wrong number of arguments for 'get' command"), e.w("get", "a", "b"));
        assertEquals(err("ERR wrong number of arguments for 'set' command"), e.w("set", "a"));
        assertEquals(err("ERR wrong number of arguments for 'object' command"), e.w("object"));
        assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"), e.w("object", "encoding"));
        assertEquals(err("ERR unknown subcommand 'freq'. Try OBJECT HELP."), e.w("object", "freq", "k"));
        assertEquals(err("ERR wrong number of arguments for 'basalt.stats' command"), e.r("basalt.stats", "x"));
        assertEquals(0, e.ks.keyCount());
    }

    @Test
    void emptyCommandIsAnError() {
        assertEquals(err("ERR empty command"), e.exec(ExecContext.write(1, 1, 0), new ArrayList<>()));
    }

    @Test
    void writeCommandsAreRefusedAsReadsAndChangeNothing() {
        e.w("set", "k", "v");
        String readonly = err("READONLY You can't write against a read only replica.");
        for (String[] cmd : new String[][] {
            {"set", "k", "x"}, {"del", "k"}, {"incr", "n"}, {"expire", "k", "10"}, {"getex", "k"},
            {"getdel", "k"}, {"flushall"}, {"rename", "k", "k2"}, {"append", "k", "x"}, {"persist", "k"},
        }) {
            assertEquals(readonly, e.r(cmd), String.join(" ", cmd));
        }
        assertEquals(bulk("v"), e.r("get", "k"));
        assertEquals(1, e.ks.keyCount());
        // Read commands run as reads.
        assertEquals(integer(1), e.r("exists", "k"));
        assertEquals(bulk("v"), e.r("getrange", "k", "0", "-1"));
        assertEquals(integer(-1), e.r("ttl", "k"));
    }

    @Test
    void repliesAreByteExact() {
        assertEquals("$-1\r\n", e.r("get", "missing"));
        assertEquals(":-2\r\n", e.r("ttl", "missing"));
        assertEquals(":-2\r\n", e.r("pttl", "missing"));
        assertEquals("+OK\r\n", e.w("set", "k", "hello"));
        assertEquals("$5\r\nhello\r\n", e.r("get", "k"));
        assertEquals(":-1\r\n", e.r("ttl", "k"));
        assertEquals("*3\r\n$5\r\nhello\r\n$-1\r\n$5\r\nhello\r\n", e.r("mget", "k", "nope", "k"));
        assertEquals("+string\r\n", e.r("type", "k"));
        assertEquals("+none\r\n", e.r("type", "nope"));
        assertEquals("$0\r\n\r\n", e.r("getrange", "nope", "0", "-1"));
        assertEquals(":1\r\n", e.w("incr", "n"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", e.r("scan", "0", "match", "zzz*"));
        e.w("mset", "a", "ohmytext", "b", "mynewtext");
        // LCS IDX is a map in RESP3 (%2), an array of 4 for RESP2 clients after the gateway's rewrite.
        assertEquals("%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n", e.r("lcs", "a", "b", "idx"));
        assertEquals("*1\r\n$1\r\nk\r\n", e.r("keys", "k"));
    }

    @Test
    void repliesAppendToTheWritersEarlierContent() {
        RespWriter out = new RespWriter();
        e.ks.execute(Engine.argv("set", "k", "v"), ExecContext.write(1, 1, 0), out);
        e.ks.execute(Engine.argv("get", "k"), ExecContext.write(1, 1, 1), out);
        e.ks.execute(Engine.argv("get"), ExecContext.write(1, 1, 2), out);
        assertEquals("+OK\r\n$1\r\nv\r\n-ERR wrong number of arguments for 'get' command\r\n",
                Engine.latin1(out.toByteArray()));
    }

    @Test
    void aFailingHandlerGivesInternalErrorWithoutItsPartialReply() {
        CommandRegistry.Command get = e.ks.registry().lookup("get".getBytes());
        assertNotNull(get);
        get.handler = (argv, ctx, out) -> {
            out.array(3).bulk("partial");
            throw new IllegalStateException("bug");
        };
        RespWriter out = new RespWriter(16);
        out.simple("EARLIER");
        e.ks.execute(Engine.argv("get", "k"), ExecContext.read(1, 0), out);
        assertEquals("+EARLIER\r\n-ERR internal error\r\n", Engine.latin1(out.toByteArray()));
        assertEquals(integer(0), e.r("strlen", "k")); // the engine still answers
    }
}
