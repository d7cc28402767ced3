package io.basalt.node.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppliedIndexWaitersTest {

    @Test
    void aReadAtOrBelowTheAppliedIndexRunsAtOnce() {
        AppliedIndexWaiters w = new AppliedIndexWaiters();
        assertTrue(w.await(0).isDone());
        assertTrue(w.await(-1).isDone());
        w.advance(5);
        assertTrue(w.await(5).isDone());
        assertTrue(w.await(3).isDone());
    }

    @Test
    void readsWaitUntilTheirIndexIsAppliedAndNoLonger() {
        AppliedIndexWaiters w = new AppliedIndexWaiters();
        w.advance(2);
        CompletableFuture<Void> at4 = w.await(4);
        CompletableFuture<Void> at6 = w.await(6);
        CompletableFuture<Void> at6again = w.await(6);
        w.advance(3);
        assertFalse(at4.isDone());
        w.advance(5);
        assertTrue(at4.isDone());
        assertFalse(at6.isDone());
        assertEquals(1, w.waitingCount());
        w.advance(9);
        assertTrue(at6.isDone() && at6again.isDone());
        assertEquals(0, w.waitingCount());
    }

    @Test
    void theAppliedIndexNeverGoesBack() {
        AppliedIndexWaiters w = new AppliedIndexWaiters();
        w.advance(10);
        w.advance(4); // a late or repeated notification
        assertTrue(w.await(10).isDone());
    }
}
