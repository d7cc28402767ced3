package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandSpec.Site;
import io.basalt.router.command.CommandTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LocalCommandsTest {

    /** Full names of every GATEWAY spec that is ever executed itself (see LocalCommands.needsHandler). */
    private static Set<String> gatewaySpecNames(CommandTable table) {
        Set<String> names = new TreeSet<>();
        for (CommandSpec spec : table.all()) {
            if (spec.site() == Site.GATEWAY && LocalCommands.needsHandler(spec)) {
                names.add(spec.name());
            }
            for (CommandSpec sub : spec.subcommands()) {
                if (sub.site() == Site.GATEWAY) {
                    names.add(sub.name());
                }
            }
        }
        return names;
    }

    @Test
    void everyGatewaySpecHasALocalCommandAndEveryLocalCommandASpec() {
        LocalTestSupport t = new LocalTestSupport();
        CommandTable table = CommandTable.standard();
        Set<String> expected = gatewaySpecNames(table);
        assertEquals(expected, t.commands.names());
        for (String name : t.commands.names()) {
            CommandSpec spec = name.contains("|")
                    ? CommandTable.subcommand(table.lookup(name.substring(0, name.indexOf('|'))),
                            name.substring(name.indexOf('|') + 1).getBytes())
                    : table.lookup(name);
            assertNotNull(spec, name);
            assertEquals(Site.GATEWAY, spec.site(), name);
            assertNotNull(t.commands.get(spec), name);
        }
        // The containers that need a subcommand have no handler of their own; every one of their subcommands does.
        for (String container : List.of("client", "config")) {
            CommandSpec spec = table.lookup(container);
            assertNull(t.commands.get(spec));
            for (CommandSpec sub : spec.subcommands()) {
                assertNotNull(t.commands.get(sub), sub.name());
            }
        }
        assertNotNull(t.commands.get("command"), "COMMAND without a subcommand is executable");
        // Sanity: the table really has GATEWAY specs of every family this package covers.
        assertTrue(expected.containsAll(List.of("ping", "hello", "client|list", "command|getkeys", "info", "time", "config|set")));
    }

    @Test
    void aGatewaySpecWithoutHandlerIsRefusedAtConstruction() {
        List<CommandSpec> specs = new ArrayList<>(CommandTable.standard().all());
        specs.add(CommandSpec.builder("debug", 1, Site.GATEWAY).flags(Flag.FAST).build());
        CommandTable table = new CommandTable(specs);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LocalTestSupport(b -> b.commands(table)));
        assertEquals("GATEWAY spec without a local command: debug", e.getMessage());
    }

    @Test
    void aHandlerWhoseSpecRunsOnTheShardsIsRefused() {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec s : CommandTable.standard().all()) {
            specs.add(s.name().equals("time") ? CommandSpec.builder("time", 1, Site.SHARD).build() : s);
        }
        CommandTable table = new CommandTable(specs);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LocalTestSupport(b -> b.commands(table)));
        assertEquals("local command whose spec runs on the shards: time", e.getMessage());
    }

    @Test
    void aMissingSpecForAHandlerIsRefused() {
        List<CommandSpec> specs = new ArrayList<>(CommandTable.standard().all());
        specs.removeIf(s -> s.name().equals("echo"));
        CommandTable table = new CommandTable(specs);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LocalTestSupport(b -> b.commands(table)));
        assertEquals("local command without a spec: echo", e.getMessage());
    }

    @Test
    void clientSetinfoSetsLibraryNameAndVersion() {
        LocalTestSupport t = new LocalTestSupport();
        assertNotNull(t.commands.get("client|setinfo"));
        ClientSession s = t.connect(50000);
        assertEquals("+OK\r\n", t.runText(s, "CLIENT", "SETINFO", "LIB-NAME", "jedis"));
        assertEquals("+OK\r\n", t.runText(s, "client", "setinfo", "lib-ver", "5.1.0"));
        assertEquals("jedis", s.libName());
        assertEquals("5.1.0", s.libVersion());
        assertEquals("-ERR Unrecognized option 'LIB-FOO'\r\n", t.runText(s, "CLIENT", "SETINFO", "LIB-FOO", "x"));
        assertEquals("-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
                t.runText(s, "CLIENT", "SETINFO", "LIB-NAME", "my lib"));
        assertEquals("jedis", s.libName());
        assertEquals("+OK\r\n", t.runText(s, "CLIENT", "SETINFO", "lib-name", ""));
        assertEquals("", s.libName());
        assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\r\n",
                t.runText(s, "CLIENT", "SETINFO", "lib-name"));
        // CLIENT HELP now documents it too.
        assertTrue(t.runText(s, "CLIENT", "HELP").contains("+SETINFO <option> <value>\r\n"));
    }

    @Test
    void unknownSubcommandIsRedisText() {
        CommandSpec client = CommandTable.standard().lookup("client");
        assertEquals("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n",
                LocalTestSupport.text(LocalCommands.unknownSubcommand("FOO".getBytes(), client)));
        String longName = "x".repeat(200);
        assertEquals("-ERR unknown subcommand '" + "x".repeat(128) + "'. Try CONFIG HELP.\r\n",
                LocalTestSupport.text(LocalCommands.unknownSubcommand(longName.getBytes(),
                        CommandTable.standard().lookup("config"))));
        // Through the miniature handler, as a client would see it.
        LocalTestSupport t = new LocalTestSupport();
        assertEquals("-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n",
                t.runText(t.connect(50001), "CLIENT", "NOPE", "LIB-NAME", "x"));
    }
}
