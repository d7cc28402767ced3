package io.basalt.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the INFO persistence lines of several shards into the one section a client reads, as if
 * the cluster were one server: counts add up, "in progress" and durations take the largest, the
 * last save time is the oldest shard's (the time by which everything was saved), and a status is
 * "err" when any shard's is.
 */
final class PersistenceLines {

    private static final Set<String> SUMS = Set.of("rdb_changes_since_last_save", "rdb_saves",
        "basalt_snapshot_keys", "basalt_snapshot_keys_written");
    private static final Set<String> MINS = Set.of("rdb_last_save_time", "basalt_snapshot_index");

    private PersistenceLines() {}

    static String merge(List<String> perShard) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String text : perShard) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon);
                String value = line.substring(colon + 1);
                merged.merge(name, value, (a, b) -> combine(name, a, b));
            }
        }
        StringBuilder b = new StringBuilder();
        merged.forEach((k, v) -> b.append(k).append(':').append(v).append("\r\n"));
        return b.toString();
    }

    private static String combine(String name, String a, String b) {
        if (a.equals("ok") || a.equals("err")) {
            return a.equals("err") || b.equals("err") ? "err" : "ok";
        }
        try {
            double x = Double.parseDouble(a);
            double y = Double.parseDouble(b);
            double r = SUMS.contains(name) ? x + y : MINS.contains(name) ? Math.min(x, y) : Math.max(x, y);
            return a.contains(".") || b.contains(".") ? String.format(java.util.Locale.ROOT, "%.3f", r)
                : Long.toString((long) r);
        } catch (NumberFormatException e) {
            return a;
        }
    }
}
