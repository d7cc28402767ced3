package io.basalt.node.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.statemachine.LeadershipConfirmation.Membership;
import io.basalt.node.statemachine.LeadershipConfirmation.PeerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.junit.jupiter.api.Test;

/**
 * Rounds of leadership confirmation against members whose answers the test gives by hand: what
 * counts as a confirmation, what fails a round, and how reads share rounds.
 */
class LeadershipConfirmationTest {

    private static final RaftPeer A = peer("a");
    private static final RaftPeer B = peer("b");
    private static final RaftPeer C = peer("c");
    private static final RaftPeer D = peer("d");

    /** Questions asked, per peer id, in order; the test answers them. */
    private final Map<String, List<CompletableFuture<PeerView>>> asked = new ConcurrentHashMap<>();
    private Membership membership = new Membership("a@g", 5, true, A.getId(), List.of(A, B, C), List.of());
    private final LeadershipConfirmation confirmation = new LeadershipConfirmation(() -> membership, this::ask, 60_000);

    private static RaftPeer peer(String id) {
        return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:1").build();
    }

    private CompletableFuture<PeerView> ask(RaftPeer peer) {
        CompletableFuture<PeerView> f = new CompletableFuture<>();
        asked.computeIfAbsent(peer.getId().toString(), k -> new ArrayList<>()).add(f);
        return f;
    }

    private CompletableFuture<PeerView> question(String peer, int round) {
        return asked.get(peer).get(round);
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void oneFollowerOfTheSameTermMakesAMajorityOfThree() throws Exception {
        CompletableFuture<Void> read = confirmation.confirm();
        assertFalse(read.isDone(), "not before anyone answered");
        question("b", 0).complete(new PeerView(5, "a"));
        read.get(10, TimeUnit.SECONDS);
        assertEquals(1, confirmation.rounds());
    }

    @Test
    void aFollowerThatKnowsNoLeaderYetStillConfirmsTheTerm() throws Exception {
        CompletableFuture<Void> read = confirmation.confirm();
        question("c", 0).complete(new PeerView(5, null));
        read.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHigherTermFailsTheRoundAtOnce() {
        CompletableFuture<Void> read = confirmation.confirm();
        question("b", 0).complete(new PeerView(6, "b"));
        assertInstanceOf(ReadIndexException.class, failure(read));
    }

    @Test
    void noMajorityOnceEveryoneAnsweredFailsWithoutWaitingForTheTimeout() {
        CompletableFuture<Void> read = confirmation.confirm();
        question("b", 0).completeExceptionally(new java.io.IOException("connection refused"));
        assertFalse(read.isDone(), "c may still confirm");
        question("c", 0).complete(new PeerView(4, "x"));
        Throwable t = failure(read);
        assertInstanceOf(ReadIndexException.class, t);
        assertTrue(t.getMessage().contains("only 1 of 3"), t.getMessage());
    }

    @Test
    void aFollowerFollowingAnotherLeaderDoesNotConfirm() {
        CompletableFuture<Void> read = confirmation.confirm();
        question("b", 0).complete(new PeerView(5, "z"));
        question("c", 0).complete(new PeerView(5, "z"));
        assertInstanceOf(ReadIndexException.class, failure(read));
    }

    @Test
    void aReplicaThatIsNotAReadyLeaderAsksNobody() {
        membership = new Membership("a@g", 5, false, A.getId(), List.of(A, B, C), List.of());
        assertInstanceOf(ReadIndexException.class, failure(confirmation.confirm()));
        assertTrue(asked.isEmpty());
    }

    @Test
    void silenceFailsTheRoundAtTheTimeout() {
        LeadershipConfirmation shortWait = new LeadershipConfirmation(() -> membership, this::ask, 50);
        Throwable t = failure(shortWait.confirm());
        assertInstanceOf(ReadIndexException.class, t);
        assertTrue(t.getMessage().contains("within 50 ms"), t.getMessage());
    }

    @Test
    void duringAMembershipChangeBothConfigurationsNeedAMajority() throws Exception {
        // old {a, b, c}, new {a, b, d}: b alone is a majority of both; c and d together are not
        membership = new Membership("a@g", 5, true, A.getId(), List.of(A, B, D), List.of(A, B, C));
        CompletableFuture<Void> read = confirmation.confirm();
        question("d", 0).complete(new PeerView(5, "a"));
        assertFalse(read.isDone(), "a and d are 2 of the new 3 but 1 of the old 3");
        question("c", 0).complete(new PeerView(5, "a"));
        read.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSingleVoterConfirmsItself() throws Exception {
        membership = new Membership("a@g", 5, true, A.getId(), List.of(A), List.of());
        confirmation.confirm().get(10, TimeUnit.SECONDS);
        assertTrue(asked.isEmpty());
    }

    /**
     * Reads arriving while a round runs wait for the next round, never the running one (it may
     * have asked the members before those reads arrived), and share that next round.
     */
    @Test
    void readsArrivingDuringARoundShareTheNextRound() throws Exception {
        CompletableFuture<Void> first = confirmation.confirm();
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(confirmation.confirm());
        }
        assertEquals(1, confirmation.rounds(), "one round in flight at a time");
        question("b", 0).complete(new PeerView(5, "a"));
        first.get(10, TimeUnit.SECONDS);
        assertEquals(2, confirmation.rounds(), "the waiting reads started the next round");
        for (CompletableFuture<Void> f : later) {
            assertFalse(f.isDone(), "the first round does not vouch for reads that arrived during it");
        }
        question("c", 1).complete(new PeerView(5, "a"));
        for (CompletableFuture<Void> f : later) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, confirmation.rounds(), "six reads, two rounds");
        // the late answer of round 1 changes nothing
        question("c", 0).complete(new PeerView(5, "a"));
        CompletableFuture<Void> after = confirmation.confirm();
        assertEquals(3, confirmation.rounds(), "a read after the rounds ended starts a new one");
        assertFalse(after.isDone());
    }

    @Test
    void aFailedRoundFailsOnlyItsOwnReads() throws Exception {
        CompletableFuture<Void> first = confirmation.confirm();
        CompletableFuture<Void> second = confirmation.confirm();
        question("b", 0).complete(new PeerView(7, "b"));
        assertInstanceOf(ReadIndexException.class, failure(first));
        assertFalse(second.isDone(), "the next round asks again");
        question("b", 1).complete(new PeerView(5, "a"));
        second.get(10, TimeUnit.SECONDS);
    }
}
