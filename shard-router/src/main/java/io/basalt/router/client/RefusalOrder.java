package io.basalt.router.client;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.slot.HashSlot;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps a connection's commands in order when a shard refused one of them unexecuted (a frozen
 * slot's TRYAGAIN, or BASALTMOVED) and it must be retried: without this, the retry would go out
 * after the connection's later commands, so a pipelined {@code SET k v2; GET k} could read the
 * old value after OK, and two pipelined writes of one key could land in the wrong order.
 *
 * <p>Per connection (affinity), from the first refusal until every refused command settled:
 * <ul>
 *   <li>refused commands are retried one after another, in the order they were refused (their
 *       replies arrive in submission order: one shard's replies complete in order, and every
 *       command of a refused slot is on that shard);</li>
 *   <li>a read the connection sent after a refused command, on one of the refused slots, whose
 *       answer came back anyway (reads still run on a frozen slot) is run again behind the
 *       retries: its first answer may predate the write the connection sent before it;</li>
 *   <li>groups the connection submits meanwhile wait until the retries settled, then go in order.</li>
 * </ul>
 * Writes of a refused slot sent after the refused one were refused too (the freeze or the lost
 * ownership refuses them all), so they are retried in order, never applied twice. Writes to other
 * slots are not held: Redis Cluster orders nothing across slots during a move either.
 *
 * <p>Cost when nothing is refused: an emptiness check of a map per group and per read reply;
 * commands carry a sequence number. A connection's refusals are forgotten a minute after they
 * settled.
 */
final class RefusalOrder {

    /**
     * How long a connection's refusals are remembered after they settled: a read the connection
     * sent before a refusal was known may be answered that much later, and must still be checked.
     */
    private static final long FORGET_AFTER_SECONDS = 60;

    /** One episode of refusals of one connection. Guarded by itself. */
    private static final class Hold {
        long firstSeq = Long.MAX_VALUE;
        /** The last sequence number issued when a refusal was registered: later commands were held back. */
        long lastSeq = -1;
        final BitSet slots = new BitSet(HashSlot.SLOT_COUNT);
        int pending;
        int episode;
        CompletableFuture<Void> quiet = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> retries = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> deferred = CompletableFuture.completedFuture(null);

        boolean holding() {
            return pending > 0 || !deferred.isDone();
        }
    }

    private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();

    /** Sequence numbers for a group of {@code n} commands, in the connection's order: the first. */
    long nextSeqs(int n) {
        return seqs.getAndAdd(n);
    }

    /** Whether the connection has refused commands being retried (or groups waiting for them). */
    boolean held(int affinity) {
        if (holds.isEmpty()) {
            return false;
        }
        Hold h = holds.get(affinity);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            return h.holding();
        }
    }

    /**
     * Runs {@code group} after the connection's pending retries (behind the groups already
     * waiting) and returns true, or returns false when nothing is pending: then the caller runs it.
     */
    boolean deferred(int affinity, Runnable group) {
        Hold h = holds.get(affinity);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            if (!h.holding()) {
                return false;
            }
            CompletableFuture<Void> quiet = h.quiet;
            // handle(): one group that failed must not stop the ones queued behind it
            h.deferred = h.deferred.handle((x, e) -> null).thenCompose(x -> quiet).thenRun(group);
        }
        return true;
    }

    /**
     * The first refusal of the command {@code seq} on {@code slot} (-1: a read run again, no new
     * slot): {@code retry} (its whole retry loop) runs after the connection's earlier refusals
     * settled. Returns the command's final reply.
     */
    CompletableFuture<byte[]> refused(int affinity, long seq, int slot, Supplier<CompletableFuture<byte[]>> retry) {
        Hold h = holds.computeIfAbsent(affinity, a -> new Hold());
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        synchronized (h) {
            if (holds.get(affinity) != h) {
                return refused(affinity, seq, slot, retry); // forgotten meanwhile: a fresh hold
            }
            if (h.pending++ == 0) {
                // a new episode: what earlier ones recorded is settled (groups still waiting for
                // the old one's quiet go first; later ones wait for this one)
                h.episode++;
                h.firstSeq = Long.MAX_VALUE;
                h.lastSeq = -1;
                h.slots.clear();
                h.quiet = new CompletableFuture<>();
            }
            if (slot >= 0) { // a refused command (a read run again adds nothing to check)
                h.firstSeq = Math.min(h.firstSeq, seq);
                h.lastSeq = Math.max(h.lastSeq, seqs.get() - 1);
                h.slots.set(slot);
            }
            h.retries = h.retries.handle((x, e) -> null).thenCompose(x -> {
                CompletableFuture<byte[]> attempt;
                try {
                    attempt = retry.get();
                } catch (RuntimeException e) {
                    attempt = CompletableFuture.failedFuture(e); // settles the command, frees the ones behind it
                }
                return attempt.handle((reply, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(reply);
                    }
                    return null;
                });
            });
        }
        result.whenComplete((r, e) -> settled(affinity, h));
        return result;
    }

    /**
     * Whether the answer of read {@code seq} must be thrown away and the read run again behind the
     * connection's retries: it was sent after a refused command, on one of the refused slots,
     * before the refusal was known (commands sent later were held back).
     */
    boolean mustRerun(int affinity, long seq, CommandSpec spec, List<byte[]> argv) {
        if (holds.isEmpty()) {
            return false;
        }
        Hold h = holds.get(affinity);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            if (seq <= h.firstSeq || seq > h.lastSeq) {
                return false;
            }
            for (int k : spec.keyPositions(argv)) {
                if (h.slots.get(HashSlot.of(argv.get(k)))) {
                    return true;
                }
            }
            return false;
        }
    }

    private void settled(int affinity, Hold h) {
        int episode;
        synchronized (h) {
            if (--h.pending > 0) {
                return;
            }
            h.quiet.complete(null);
            episode = h.episode;
        }
        CompletableFuture.delayedExecutor(FORGET_AFTER_SECONDS, TimeUnit.SECONDS).execute(() -> {
            synchronized (h) {
                if (h.episode == episode && !h.holding()) {
                    holds.remove(affinity, h);
                }
            }
        });
    }
}
