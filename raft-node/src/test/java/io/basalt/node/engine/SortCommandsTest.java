package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static io.basalt.node.engine.SetCommandsTest.members;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.router.ErrorReplies;
import io.basalt.router.slot.HashSlot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SORT and SORT_RO where Basalt answers differently from a standalone redis-server on purpose
 * (the cluster rule for BY/GET patterns and STORE), and what the golden script (sort.txt) cannot
 * show: reads versus writes, memory accounting, ties Redis orders its own way.
 */
class SortCommandsTest {

    private static final String BY_DENIED = err(SortCommands.BY_CROSS_SLOT);
    private static final String GET_DENIED = err(SortCommands.GET_CROSS_SLOT);

    private static Engine listWithWeights() {
        Engine e = new Engine();
        e.w("rpush", "l", "2", "1");
        e.w("mset", "w_1", "5", "w_2", "1");
        e.w("rpush", "{t}l", "2", "1");
        e.w("mset", "{t}w_1", "5", "{t}w_2", "1");
        return e;
    }

    /*
     * A standalone redis-server 7.0.15 answers, for the list l = [2, 1] with w_1 = 5, w_2 = 1:
     *   SORT l BY w_*  -> 2, 1      SORT l GET w_*  -> 5, 1      SORT l GET #  -> 1, 2
     * Redis 7.0 in cluster mode refuses every BY pattern and every GET ("ERR BY option of SORT
     * denied in Cluster mode."). Basalt refuses only patterns that may name keys in another slot.
     */
    @Test
    void patternsThatMayLeaveTheKeysSlotAreRefused() {
        Engine e = listWithWeights();
        assertEquals(BY_DENIED, e.w("sort", "l", "by", "w_*"));
        assertEquals(GET_DENIED, e.w("sort", "l", "get", "w_*"));
        assertEquals(GET_DENIED, e.w("sort", "l", "get", "#", "get", "w_*->f"));
        assertEquals(BY_DENIED, e.r("sort_ro", "l", "by", "w_*"));
        assertEquals(GET_DENIED, e.r("sort_ro", "l", "get", "w_*"));
        // A tag for another slot, an empty tag, or a wildcard before the tag: refused.
        assertEquals(BY_DENIED, e.w("sort", "{t}l", "by", "{u}w_*"));
        assertEquals(BY_DENIED, e.w("sort", "{t}l", "by", "{}w_*"));
        assertEquals(BY_DENIED, e.w("sort", "{t}l", "by", "w_*{t}"));
        assertEquals(BY_DENIED, e.w("sort", "{t}l", "by", "w_?{t}*"));
        // The first failing option is reported, before the key is looked up, as Redis does.
        assertEquals(BY_DENIED, e.w("sort", "l", "by", "w_*", "limit", "x", "1"));
        assertEquals(err(ErrorReplies.NOT_INTEGER), e.w("sort", "l", "limit", "x", "1", "by", "w_*"));
    }

    @Test
    void patternsThatStayInTheKeysSlotWork() {
        Engine e = listWithWeights();
        assertEquals(List.of("2", "1"), members(e.w("sort", "{t}l", "by", "{t}w_*")));
        assertEquals(List.of("5", "1"), members(e.w("sort", "{t}l", "get", "{t}w_*")));
        e.w("mset", "w_{t}1", "5", "w_{t}2", "1");
        assertEquals(List.of("2", "1"), members(e.r("sort_ro", "{t}l", "by", "w_{t}*")));
        // No pattern at all: GET # and BY without '*' name no other key, in any slot.
        assertEquals(List.of("1", "2"), members(e.w("sort", "l", "get", "#")));
        assertEquals(List.of("2", "1"), members(e.w("sort", "l", "by", "nosort")));
        // A constant GET pattern hashing to the key's own slot is allowed (and finds nothing).
        assertEquals("*2\r\n$-1\r\n$-1\r\n", e.w("sort", "{t}l", "get", "{t}const"));
    }

    @Test
    void storeOutsideTheKeysSlotIsCrossSlot() {
        Engine e = listWithWeights();
        assertEquals(err(ErrorReplies.CROSSSLOT), e.w("sort", "l", "store", "dst"));
        assertEquals(integer(0), e.w("exists", "dst"));
        assertEquals(integer(2), e.w("sort", "{t}l", "store", "{t}dst"));
        assertEquals(integer(2), e.w("sort", "l", "store", "l"));
        assertEquals(HashSlot.of("{t}l".getBytes()), HashSlot.of("{t}dst".getBytes()));
    }

    @Test
    void sortIsAWriteAndSortRoARead() {
        Engine e = listWithWeights();
        assertEquals(err(EngineErrors.WRITE_AS_READ), e.r("sort", "{t}l"));
        assertEquals(List.of("1", "2"), members(e.r("sort_ro", "{t}l")));
        assertEquals(err(ErrorReplies.SYNTAX), e.r("sort_ro", "{t}l", "store", "{t}dst"));
    }

    @Test
    void storeKeepsMemoryAccountingExact() {
        Engine e = listWithWeights();
        e.w("set", "{t}dst", "a-string-value");
        e.w("sort", "{t}l", "get", "#", "get", "{t}w_*", "store", "{t}dst");
        assertEquals(List.of("1", "5", "2", "1"), members(e.w("lrange", "{t}dst", "0", "-1")));
        e.w("sort", "{t}missing", "store", "{t}dst");
        assertEquals(integer(0), e.w("exists", "{t}dst"));
        e.ks.db().checkInvariants();
        assertEquals(e.ks.db().recomputedMemoryBytes(), e.ks.usedMemoryBytes());
    }

    /*
     * Redis 7.0 does not clear errno before strtod: after one score overflows, every numeric SORT
     * fails until something else resets errno (recorded at the end of sort.txt). Basalt judges
     * each parse alone.
     */
    @Test
    void anOverflowDoesNotSpoilLaterSorts() {
        Engine e = new Engine();
        e.w("rpush", "big", "1e400");
        e.w("rpush", "ok", "2", "1");
        assertEquals(err(SortCommands.NOT_DOUBLE), e.w("sort", "big"));
        assertEquals(List.of("1", "2"), members(e.w("sort", "ok")));
    }

    /* With BY and LIMIT Redis runs its own partial quicksort, which orders ties (ALPHA weights
     * equal or missing) its own way; Basalt keeps the list's order for ties in every case. */
    @Test
    void tiesKeepTheCollectionsOrder() {
        Engine e = new Engine();
        e.w("rpush", "{t}l", "c", "a", "b", "d");
        e.w("set", "{t}w_d", "0");
        assertEquals(List.of("c", "a", "b", "d"), members(e.w("sort", "{t}l", "by", "{t}w_*", "alpha")));
        assertEquals(List.of("c", "a"), members(e.w("sort", "{t}l", "by", "{t}w_*", "alpha", "limit", "0", "2")));
        assertEquals(List.of("d", "c"), members(e.w("sort", "{t}l", "by", "{t}w_*", "alpha", "desc", "limit", "0", "2")));
    }

    @Test
    void patternSlotFollowsRedisRules() {
        int s = HashSlot.of("x".getBytes());
        assertEquals(s, SortCommands.patternSlot("{x}w_*".getBytes()));
        assertEquals(s, SortCommands.patternSlot("a{x}b*".getBytes()));
        assertEquals(s, SortCommands.patternSlot("x".getBytes()));
        assertEquals(-1, SortCommands.patternSlot("w_*{x}".getBytes()));
        assertEquals(-1, SortCommands.patternSlot("w\\{x}".getBytes()));
        assertEquals(-1, SortCommands.patternSlot("[x]{x}".getBytes()));
        assertEquals(HashSlot.of("{}{x}".getBytes()), SortCommands.patternSlot("{}{x}".getBytes()));
    }
}
