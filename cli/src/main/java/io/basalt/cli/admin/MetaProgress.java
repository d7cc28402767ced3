package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaShard;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Waits for the metadata controller to carry out a change, printing each shard's membership as it
 * moves (one line per change, not per poll), until a condition holds or the deadline passes.
 */
final class MetaProgress {

    private final MetaAdmin admin;
    private final PrintStream out;
    private final Map<Integer, String> shown = new HashMap<>();

    MetaProgress(MetaAdmin admin, PrintStream out) {
        this.admin = admin;
        this.out = out;
    }

    /** Polls until {@code done} holds; returns the last status. */
    MetaReply await(String what, Predicate<MetaReply> done, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long started = System.nanoTime();
        while (true) {
            MetaReply status = admin.status();
            for (MetaShard s : status.getState().getShardsList()) {
                String leader = StatusCommand.leaderOf(status, s.getGroupId());
                String line = "members " + String.join(",", s.getMembersList())
                    + (new java.util.HashSet<>(s.getMembersList()).equals(new java.util.HashSet<>(s.getDesiredList()))
                        ? "" : " -> " + String.join(",", s.getDesiredList()))
                    + ", leader " + (leader == null ? "-" : leader) + (s.getCreated() ? "" : " (starting)");
                if (!line.equals(shown.put(s.getIndex(), line))) {
                    out.printf("[%5.1fs] shard %d: %s%n", (System.nanoTime() - started) / 1e9, s.getIndex(), line);
                }
            }
            if (done.test(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " did not complete within " + timeoutMs / 1000 + " s (it goes on in the "
                    + "background; see basalt admin status)");
            }
            Thread.sleep(250); // polling interval of a progress display, not synchronization
        }
    }
}
