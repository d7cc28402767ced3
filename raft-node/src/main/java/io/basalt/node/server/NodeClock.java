package io.basalt.node.server;

/**
 * The node's wall clock, the only source of time outside the log. Leaders stamp entries with it
 * and linearizable reads judge expiry by it. An offset can be set so chaos tests skew one node's
 * clock without touching the machine's (libfaketime is unreliable with the JVM).
 */
public final class NodeClock {

    private volatile long offsetMs;

    public long nowMs() {
        return System.currentTimeMillis() + offsetMs;
    }

    public void setOffsetMs(long offsetMs) {
        this.offsetMs = offsetMs;
    }

    public long offsetMs() {
        return offsetMs;
    }
}
