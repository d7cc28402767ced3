package io.basalt.node.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads waiting until this replica has applied a log index. A follower read carries the index
 * its state must include (the gateway's read index or the last write it saw); Ratis lets it in
 * once the follower's commit index reached it, and applying follows shortly after, so the read
 * waits here rather than bouncing back to the gateway.
 *
 * <p>Thread-safe. {@link #advance} is called after each applied entry (or snapshot load) with
 * the new applied index; the futures complete on that thread, so callers chain async work.
 */
final class AppliedIndexWaiters {

    private final TreeMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
    private long applied;

    /** Completes once the applied index is at least {@code index} (at once if it already is). */
    synchronized CompletableFuture<Void> await(long index) {
        if (index <= applied) {
            return CompletableFuture.completedFuture(null);
        }
        return waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
    }

    /** Records a new applied index and releases every read waiting for it or less. */
    void advance(long index) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            if (index <= applied) {
                return;
            }
            applied = index;
            Map<Long, CompletableFuture<Void>> head = waiting.headMap(index, true);
            ready.addAll(head.values());
            head.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    synchronized int waitingCount() {
        return waiting.size();
    }
}
