package io.basalt.node.statemachine;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/**
 * Confirms, for a batch of linearizable reads, that this leader still leads: a majority of the
 * voting members (of both configurations during a membership change) report, after the batch
 * arrived, that their current term is the leader's term. Ratis's ReadIndex skips its heartbeat
 * round when the commit index has not moved since the last one (notes/ratis-3.3-facts.md G),
 * so a leader cut off from its majority would answer reads from its own, stale state until it
 * steps down; this closes that hole. Why a matching term suffices: docs/consistency.md.
 *
 * <p>Rounds are coalesced: at most one is in flight; reads that arrive while it runs wait for the
 * next one, because a round only vouches for reads that arrived before it started. A round fails
 * at once when this node is not a ready leader, when a member reports a higher term, or when every
 * member answered and no majority matched; otherwise after the timeout. A failed read has no
 * effect, so the client may retry it (through Ratis, at the new leader).
 */
final class LeadershipConfirmation {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeadershipConfirmation.class);

    /** What one member says about itself: its current term and the leader it knows (null: none). */
    record PeerView(long term, String leaderId) {}

    /**
     * What this replica knows of itself when a round starts.
     *
     * @param readyLeader leader of {@code term} with the term's first entry applied
     * @param current voting members; {@code previous} too during a membership change, else empty
     */
    record Membership(String name, long term, boolean readyLeader, RaftPeerId self, java.util.Collection<RaftPeer> current,
                      java.util.Collection<RaftPeer> previous) {

        static Membership of(RaftServer.Division d) {
            DivisionInfo info = d.getInfo();
            long term = info.getCurrentTerm();
            // Ready = the first entry of this term is applied, so the state holds every entry
            // committed in earlier terms (docs/consistency.md).
            boolean ready = info.isLeader() && info.isLeaderReady();
            RaftConfiguration conf = d.getRaftConf();
            return new Membership(d.getMemberId().toString(), term, ready, d.getId(), conf.getCurrentPeers(),
                conf.getPreviousPeers());
        }
    }

    /** Asks one member for its view. */
    interface Probe {
        CompletableFuture<PeerView> ask(RaftPeer peer);
    }

    private final Supplier<Membership> membership;
    private final Probe probe;
    private final long timeoutMs;
    private final AtomicLong rounds = new AtomicLong();

    /** The round in flight, or null; guarded by this. */
    private CompletableFuture<Void> running;
    /** Reads waiting for the round after the running one, or null; guarded by this. */
    private CompletableFuture<Void> next;

    LeadershipConfirmation(Supplier<Membership> membership, Probe probe, long timeoutMs) {
        this.membership = membership;
        this.probe = probe;
        this.timeoutMs = timeoutMs;
    }

    /** Completes when a round that started after this call confirmed leadership; fails otherwise. */
    CompletableFuture<Void> confirm() {
        CompletableFuture<Void> mine;
        boolean start = false;
        synchronized (this) {
            if (running == null) {
                running = new CompletableFuture<>();
                mine = running;
                start = true;
            } else {
                if (next == null) {
                    next = new CompletableFuture<>();
                }
                mine = next;
            }
        }
        if (start) {
            startRound(mine);
        }
        return mine;
    }

    /** Rounds started so far (for tests and measurements). */
    long rounds() {
        return rounds.get();
    }

    private void startRound(CompletableFuture<Void> round) {
        rounds.incrementAndGet();
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            runRound(outcome);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
        outcome.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((v, error) -> finish(round, error));
    }

    private void finish(CompletableFuture<Void> round, Throwable error) {
        CompletableFuture<Void> following;
        synchronized (this) {
            running = next;
            next = null;
            following = running;
        }
        if (error == null) {
            round.complete(null);
        } else {
            round.completeExceptionally(readFailure(error));
        }
        if (following != null) {
            startRound(following);
        }
    }

    private Throwable readFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ReadIndexException) {
            return cause;
        }
        if (cause instanceof TimeoutException) {
            return new ReadIndexException("leadership not confirmed by a majority within " + timeoutMs + " ms");
        }
        return new ReadIndexException("leadership not confirmed: " + cause, cause);
    }

    private void runRound(CompletableFuture<Void> outcome) {
        Membership m = membership.get();
        long term = m.term();
        if (!m.readyLeader()) {
            outcome.completeExceptionally(new ReadIndexException(m.name() + " is not a ready leader"));
            return;
        }
        RaftPeerId self = m.self();
        Set<RaftPeerId> current = ids(m.current());
        Set<RaftPeerId> previous = ids(m.previous());
        Set<RaftPeerId> confirmed = ConcurrentHashMap.newKeySet();
        confirmed.add(self);
        if (majorities(current, previous, confirmed)) {
            outcome.complete(null);
            return;
        }
        Set<RaftPeer> others = new HashSet<>(m.current());
        others.addAll(m.previous());
        others.removeIf(p -> p.getId().equals(self));
        AtomicInteger pending = new AtomicInteger(others.size());
        for (RaftPeer peer : others) {
            CompletableFuture<PeerView> answer;
            try {
                answer = probe.ask(peer);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((view, error) -> {
                if (error != null) {
                    LOG.debug("{} did not answer for term {}: {}", peer.getId(), term, error.toString());
                }
                if (error == null && view.term() > term) {
                    outcome.completeExceptionally(new ReadIndexException(peer.getId() + " is in term " + view.term()
                        + ", after this leader's term " + term));
                } else if (error == null && view.term() == term
                        && (view.leaderId() == null || view.leaderId().equals(self.toString()))) {
                    confirmed.add(peer.getId());
                    if (majorities(current, previous, confirmed)) {
                        outcome.complete(null);
                    }
                }
                if (pending.decrementAndGet() == 0 && !outcome.isDone()) {
                    outcome.completeExceptionally(new ReadIndexException("only " + confirmed.size() + " of "
                        + (others.size() + 1) + " members confirmed term " + term));
                }
            });
        }
    }

    /** A majority of the current voters and, during a membership change, of the previous ones. */
    private static boolean majorities(Set<RaftPeerId> current, Set<RaftPeerId> previous, Set<RaftPeerId> confirmed) {
        return majority(current, confirmed) && (previous.isEmpty() || majority(previous, confirmed));
    }

    private static boolean majority(Set<RaftPeerId> voters, Set<RaftPeerId> confirmed) {
        int yes = 0;
        for (RaftPeerId id : voters) {
            if (confirmed.contains(id)) {
                yes++;
            }
        }
        return yes > voters.size() / 2;
    }

    private static Set<RaftPeerId> ids(java.util.Collection<RaftPeer> peers) {
        Set<RaftPeerId> out = new HashSet<>();
        peers.forEach(p -> out.add(p.getId()));
        return out;
    }
}
