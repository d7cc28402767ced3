package io.basalt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.router.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors answered before anything executes, with Redis 7.0.15's texts. */
class CommandResolverTest {

    private final CommandResolver resolver = new CommandResolver(CommandTable.standard());

    private CommandResolver.Resolved resolve(String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return resolver.resolve(argv);
    }

    @Test
    void unknownCommandEchoesItsArguments() {
        assertEquals("ERR unknown command 'foo', with args beginning with: 'bar' 'baz' ", resolve("foo", "bar", "baz").error());
        assertEquals("ERR unknown command 'foo', with args beginning with: ", resolve("foo").error());
    }

    @Test
    void internalCommandsAreUnknownToClients() {
        assertEquals("ERR unknown command 'basalt.stats', with args beginning with: ", resolve("basalt.stats").error());
    }

    @Test
    void arityAndSubcommands() {
        assertEquals("ERR wrong number of arguments for 'get' command", resolve("GET").error());
        assertEquals("ERR wrong number of arguments for 'client|setname' command", resolve("client", "setname").error());
        assertEquals("ERR unknown subcommand 'foo'. Try CLIENT HELP.", resolve("client", "foo").error());
        assertEquals("client|setname", resolve("CLIENT", "SETNAME", "x").spec().name());
    }

    @Test
    void containerAllowedAloneRunsAsItself() {
        CommandResolver.Resolved bare = resolve("COMMAND");
        assertNull(bare.error());
        assertEquals("command", bare.spec().name());
        assertEquals("ERR wrong number of arguments for 'client' command", resolve("CLIENT").error());
    }
}
