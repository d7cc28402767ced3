package io.basalt.node.statemachine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    private final DuplicateFilter filter = new DuplicateFilter();
    private final ByteString a = ByteString.copyFromUtf8("client-a");
    private final ByteString b = ByteString.copyFromUtf8("client-b");

    @Test
    void remembersRecentCallsPerClient() {
        filter.record(a, 1, new byte[] {1}, 0);
        assertTrue(filter.check(a, 1).duplicate());
        assertArrayEquals(new byte[] {1}, filter.check(a, 1).reply());
        assertFalse(filter.check(a, 2).duplicate());
        assertFalse(filter.check(b, 1).duplicate(), "call ids are per client");
    }

    @Test
    void keepsOnlyTheLastCallsOfAClient() {
        for (long call = 1; call <= DuplicateFilter.CALLS_PER_CLIENT + 5; call++) {
            filter.record(a, call, new byte[0], 0);
        }
        assertFalse(filter.check(a, 5).duplicate(), "old calls are forgotten");
        assertTrue(filter.check(a, DuplicateFilter.CALLS_PER_CLIENT + 5).duplicate());
    }

    @Test
    void largeRepliesAreNotKeptButTheCallIsStillKnown() {
        filter.record(a, 1, new byte[DuplicateFilter.REPLY_BYTES_MAX + 1], 0);
        DuplicateFilter.Seen seen = filter.check(a, 1);
        assertTrue(seen.duplicate());
        assertNull(seen.reply());
    }

    @Test
    void idleClientsAreForgottenByLogTime() {
        filter.record(a, 1, new byte[0], 0);
        filter.record(b, 1, new byte[0], DuplicateFilter.CLIENT_IDLE_MS + 1);
        assertFalse(filter.check(a, 1).duplicate());
        assertEquals(1, filter.clientCount());
    }
}
