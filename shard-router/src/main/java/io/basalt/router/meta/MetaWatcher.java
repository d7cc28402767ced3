package io.basalt.router.meta;

import io.basalt.proto.internal.MetaState;
import java.io.Closeable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a gateway's view of the metadata state fresh: reads it every period and hands each new
 * epoch to a listener. Reads, not a push: the metadata leader keeps no per-gateway state, and a
 * missed read is made up by the next.
 */
public final class MetaWatcher implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MetaWatcher.class);

    private final MetaClient client;
    private final Consumer<MetaState> listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meta-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile MetaState latest;
    private volatile io.basalt.proto.internal.MetaReply latestReply;

    public MetaWatcher(MetaClient client, Consumer<MetaState> listener) {
        this.client = client;
        this.listener = listener;
    }

    public void start(long periodMs) {
        timer.scheduleWithFixedDelay(this::poll, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The newest reply read (state and the leader's view of node health), or null before the first. */
    public io.basalt.proto.internal.MetaReply latestReply() {
        return latestReply;
    }

    /** The newest state read, or null before the first answer. */
    public MetaState latest() {
        return latest;
    }

    private void poll() {
        try {
            io.basalt.proto.internal.MetaReply reply = client.status().get(5, TimeUnit.SECONDS);
            latestReply = reply; // node health and leaderships change without a new epoch
            MetaState state = reply.getState();
            MetaState before = latest;
            if (before == null || state.getEpoch() > before.getEpoch()) {
                latest = state;
                LOG.info("metadata epoch {}: {} node(s), {} shard(s)", state.getEpoch(), state.getNodesCount(),
                    state.getShardsCount());
                listener.accept(state);
            }
        } catch (Exception e) {
            LOG.debug("metadata read failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
