package io.basalt.chaos.nemesis;

import io.basalt.chaos.cluster.ClusterBackend;
import java.util.Optional;
import java.util.Random;

/**
 * A kind of fault. The runner starts one fault at a time, keeps it for a while, then heals it;
 * every random choice comes from the {@link Random} it is given, which is drawn from the run's
 * seed, so a run can be replayed.
 */
public interface Nemesis {

    /** e.g. "kill-leader", "partition-leader", "pause-random". */
    String name();

    /** Why this nemesis cannot run on this backend, or empty when it can. */
    default Optional<String> unsupported(ClusterBackend cluster) {
        return Optional.empty();
    }

    /** Injects one fault and says what it did. */
    Fault start(ClusterBackend cluster, Random random) throws Exception;
}
