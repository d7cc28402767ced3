package io.basalt.node.statemachine;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Ratis whether this division holds a valid leader lease right now
 * ({@code raft.server.read.leader.lease.enabled}). Ratis 3.3.0 keeps that answer package-private
 * ({@code RaftServerImpl.getRole().getLeaderState().hasLease()}), so it is reached by reflection,
 * resolved once per JVM. Whenever the chain is missing (another Ratis version) or a call throws,
 * the answer is "no lease" and the caller runs its confirmation round: the probe can only make
 * reads cheaper, never answer one that the round would refuse. The failure is logged once.
 *
 * <p>{@code hasLease()} also extends the lease from the followers' latest acknowledged
 * appendEntries, as Ratis's own ReadIndex does; it checks the leader is running and ready (the
 * first entry of its term applied). Why a lease is not provably safe in Ratis 3.3.0, and so why
 * this path is off by default: docs/consistency.md.
 */
final class RatisLeaseProbe {

    private static final Logger LOG = LoggerFactory.getLogger(RatisLeaseProbe.class);

    /** The three steps, or null when they could not be resolved. */
    private static final Method[] CHAIN = resolve();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private RatisLeaseProbe() {
    }

    private static Method[] resolve() {
        try {
            Class<?> serverImpl = Class.forName("org.apache.ratis.server.impl.RaftServerImpl");
            Method getRole = serverImpl.getDeclaredMethod("getRole");
            Method getLeaderState = getRole.getReturnType().getDeclaredMethod("getLeaderState");
            Class<?> leaderState = Class.forName("org.apache.ratis.server.impl.LeaderStateImpl");
            Method hasLease = leaderState.getDeclaredMethod("hasLease");
            if (getLeaderState.getReturnType() != Optional.class || hasLease.getReturnType() != boolean.class) {
                throw new NoSuchMethodException("unexpected signatures: " + getLeaderState + ", " + hasLease);
            }
            getRole.setAccessible(true);
            getLeaderState.setAccessible(true);
            hasLease.setAccessible(true);
            return new Method[] {getRole, getLeaderState, hasLease};
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Ratis leader lease not reachable ({}); every linearizable read batch runs a confirmation round", e.toString());
            return null;
        }
    }

    /** Whether the lease machinery was found in this Ratis. */
    static boolean available() {
        return CHAIN != null;
    }

    /** True only when Ratis says, now, that {@code division} leads with a valid lease. */
    static boolean hasLease(RaftServer.Division division) {
        if (CHAIN == null || division == null) {
            return false;
        }
        try {
            Object role = CHAIN[0].invoke(division);
            Optional<?> leader = (Optional<?>) CHAIN[1].invoke(role);
            return leader.isPresent() && (Boolean) CHAIN[2].invoke(leader.get());
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("asking Ratis for its leader lease failed; falling back to confirmation rounds", e);
            }
            return false;
        }
    }
}
