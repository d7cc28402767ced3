package io.basalt.router.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandSpecTest {

    private final CommandTable table = CommandTable.standard();

    @Test
    void lookupIsCaseInsensitive() {
        assertEquals("get", table.lookup("GeT".getBytes(StandardCharsets.UTF_8)).name());
        assertNull(table.lookup("nosuch".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keyPositionsFollowFirstLastStep() {
        assertArrayEquals(new int[] {1}, table.lookup("get").keyPositions(2));
        assertArrayEquals(new int[] {1, 2, 3}, table.lookup("mget").keyPositions(4));
        assertArrayEquals(new int[] {1, 3, 5}, table.lookup("mset").keyPositions(7));
        assertArrayEquals(new int[] {1, 2}, table.lookup("rename").keyPositions(3));
        assertArrayEquals(new int[0], table.lookup("ping").keyPositions(1));
        CommandSpec encoding = CommandTable.subcommand(table.lookup("object"), "ENCODING".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {2}, encoding.keyPositions(3));
    }

    @Test
    void keysNamedByACountFollowIt() {
        CommandSpec sintercard = table.lookup("sintercard");
        assertArrayEquals(new int[] {2, 3}, sintercard.keyPositions(argv("sintercard", "2", "a", "b", "LIMIT", "1")));
        assertArrayEquals(new int[] {2}, sintercard.keyPositions(argv("sintercard", "1", "a")));
        for (String bad : new String[] {"0", "-1", "x", "", "3", "99999999999"}) {
            assertArrayEquals(new int[0], sintercard.keyPositions(argv("sintercard", bad, "a", "b")), bad);
        }
        // commands without a count keep first/last/step
        assertArrayEquals(new int[] {1, 2, 3}, table.lookup("sunion").keyPositions(argv("sunion", "a", "b", "c")));
        assertArrayEquals(new int[] {1, 2}, table.lookup("smove").keyPositions(argv("smove", "a", "b", "m")));
    }

    private static java.util.List<byte[]> argv(String... args) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void fixedKeysComeBeforeTheCountedOnes() {
        CommandSpec zunionstore = table.lookup("zunionstore");
        assertArrayEquals(new int[] {1, 3, 4},
            zunionstore.keyPositions(argv("zunionstore", "dst", "2", "a", "b", "WEIGHTS", "1", "2")));
        assertArrayEquals(new int[] {1, 3}, table.lookup("zdiffstore").keyPositions(argv("zdiffstore", "d", "1", "a")));
        assertArrayEquals(new int[] {1}, zunionstore.keyPositions(argv("zunionstore", "dst", "x", "a")));
        assertArrayEquals(new int[] {1}, zunionstore.keyPositions(argv("zunionstore", "dst", "3", "a")));
        assertArrayEquals(new int[] {2, 3}, table.lookup("zunion").keyPositions(argv("zunion", "2", "a", "b")));
        assertArrayEquals(new int[] {2, 3}, table.lookup("zmpop").keyPositions(argv("zmpop", "2", "a", "b", "MIN")));
        assertArrayEquals(new int[] {2}, table.lookup("zintercard").keyPositions(argv("zintercard", "1", "a")));
        assertArrayEquals(new int[] {1, 2}, table.lookup("zrangestore").keyPositions(5));
    }

    @Test
    void arityAsRedis() {
        CommandSpec get = table.lookup("get");
        assertTrue(get.arityAccepts(2));
        assertFalse(get.arityAccepts(3));
        CommandSpec set = table.lookup("set");
        assertFalse(set.arityAccepts(2));
        assertTrue(set.arityAccepts(3));
        assertTrue(set.arityAccepts(9));
    }

    @Test
    void everyKeyedShardCommandIsReadOrWrite() {
        // the router sends writes through the log and everything else as a read
        for (CommandSpec spec : table.allWithSubcommands()) {
            if (spec.site() == CommandSpec.Site.SHARD && spec.firstKey() > 0) {
                assertTrue(spec.isWrite() ^ spec.has(CommandSpec.Flag.READONLY),
                    spec.name() + " has keys but is not exactly one of write and readonly");
            }
        }
        assertNotNull(table.lookup("client"));
    }
}
