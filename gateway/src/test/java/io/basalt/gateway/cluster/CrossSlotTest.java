package io.basalt.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.CommandResolver;
import io.basalt.router.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossSlotTest {

    private static final CommandResolver RESOLVER = new CommandResolver(CommandTable.standard());

    private static boolean violates(String line) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : line.split(" ")) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        CommandResolver.Resolved r = RESOLVER.resolve(argv);
        assertTrue(r.ok(), line + ": " + r.error());
        return CrossSlot.violates(r.spec(), argv);
    }

    @Test
    void keysOfOneSlotPassWhateverTheCommand() {
        assertFalse(violates("GET a"));
        assertFalse(violates("MSETNX {u}a 1 {u}b 2"));
        assertFalse(violates("RENAME {u}a {u}b"));
        assertFalse(violates("SINTERCARD 2 {u}a {u}b LIMIT 1"));
        assertFalse(violates("ZUNIONSTORE {u}d 2 {u}a {u}b"));
        assertFalse(violates("PING"));
    }

    @Test
    void atomicCommandsOverSlotsAreRefusedIncludingCountedKeys() {
        assertTrue(violates("MSETNX a 1 b 2"));
        assertTrue(violates("RENAME a b"));
        assertTrue(violates("SINTERCARD 2 {u}a {v}b"));
        assertTrue(violates("ZUNIONSTORE {u}d 2 {u}a {v}b"));
        assertTrue(violates("ZUNIONSTORE {v}d 2 {u}a {u}b"), "the destination counts");
        assertTrue(violates("BLPOP a b 0"));
        assertTrue(violates("LMOVE a b LEFT RIGHT"));
    }

    @Test
    void splittableCommandsAreNotRefused() {
        for (String c : List.of("MGET a b", "MSET a 1 b 2", "DEL a b", "EXISTS a b", "UNLINK a b", "TOUCH a b")) {
            assertFalse(violates(c), c);
        }
    }

    @Test
    void gatewayAddressesParseOrSayWhy() {
        assertEquals(new GatewayNode("10.0.0.1", 6379), GatewayNode.parse("10.0.0.1:6379"));
        assertEquals(new GatewayNode("::1", 7000), GatewayNode.parse("[::1]:7000"));
        assertEquals(List.of(new GatewayNode("a", 1), new GatewayNode("b", 2)), ClusterSettings.parseGateways("g1=a:1, b:2,"));
        assertThrows(IllegalArgumentException.class, () -> GatewayNode.parse("nohost"));
        assertThrows(IllegalArgumentException.class, () -> GatewayNode.parse("h:x"));
        assertThrows(IllegalArgumentException.class, () -> GatewayNode.parse("h:0"));
        assertEquals(List.of(new GatewayNode("b", 2)),
            new ClusterSettings(true, new GatewayNode("a", 1), List.of(new GatewayNode("a", 1), new GatewayNode("b", 2),
                new GatewayNode("b", 2))).others(), "self and duplicates dropped");
    }
}
