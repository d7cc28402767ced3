package io.basalt.cli.admin;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keys and bytes moved by a backup or a restore, printed as a progress line (done of expected,
 * rates) at most every {@code intervalNanos}.
 */
final class TransferProgress {

    private final String what;
    private final PrintStream out;
    private final long intervalNanos;
    private final long startNanos;
    private long lastPrintNanos;
    private final Map<Integer, long[]> perShard = new HashMap<>();
    long expectedKeys;
    long keys;
    long bytes;

    TransferProgress(String what, PrintStream out, long intervalNanos) {
        this.what = what;
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.startNanos = System.nanoTime();
        this.lastPrintNanos = startNanos;
    }

    /** A shard's key count is known (its snapshot is open). */
    void expect(int shard, long shardKeys) {
        long[] s = perShard.computeIfAbsent(shard, k -> new long[3]);
        expectedKeys += shardKeys - s[0];
        s[0] = shardKeys;
    }

    void add(int shard, long addedKeys, long addedBytes) {
        long[] s = perShard.computeIfAbsent(shard, k -> new long[3]);
        s[1] += addedKeys;
        s[2] += addedBytes;
        keys += addedKeys;
        bytes += addedBytes;
    }

    void add(long addedKeys, long addedBytes) {
        add(0, addedKeys, addedBytes);
    }

    /** Forgets what a shard's abandoned attempt counted. */
    void restart(int shard) {
        long[] s = perShard.remove(shard);
        if (s != null) {
            expectedKeys -= s[0];
            keys -= s[1];
            bytes -= s[2];
        }
    }

    /** A shard waits for its snapshot: said once per interval at most. */
    void waiting(int shard) {
        long now = System.nanoTime();
        if (now - lastPrintNanos >= intervalNanos) {
            lastPrintNanos = now;
            out.println(what + ": shard " + shard + ": waiting for its snapshot to be written");
        }
    }

    void tick() {
        long now = System.nanoTime();
        if (now - lastPrintNanos >= intervalNanos) {
            lastPrintNanos = now;
            out.println(line(now));
        }
    }

    String line(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        double percent = expectedKeys > 0 ? 100.0 * keys / expectedKeys : 100.0;
        return String.format(Locale.ROOT, "%s: %d of %d keys (%.1f%%), %s, %.0f keys/s, %s/s", what, keys, expectedKeys,
            percent, size(bytes), keys / seconds, size((long) (bytes / seconds)));
    }

    static String size(long n) {
        return ImportProgress.size(n);
    }
}
