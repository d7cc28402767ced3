package io.basalt.node.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoding thresholds CONFIG SET can change (Redis's hash-max-listpack-entries and friends):
 * replicated state of a shard, set by the internal {@code basalt.config.set} write so every replica
 * converts a collection at the same command, and kept in snapshots.
 *
 * <p>One mutable instance per keyspace, referenced by the collections, so a change applies to
 * each collection at its next write, as in Redis (a collection never converts back). Values are
 * validated by the gateway (Redis's ranges and error texts); here thresholds only need to be
 * numbers. It also keeps, without using them, the cluster-wide settings the gateways act on
 * ({@link #KEPT_FOR_GATEWAYS}: maxmemory and friends), so every gateway reads the same values.
 */
public final class EncodingLimits {

    /** Replicated for the gateways' sake; the engine does not read them. */
    static final java.util.Set<String> KEPT_FOR_GATEWAYS = java.util.Set.of("maxmemory", "maxmemory-policy",
        "notify-keyspace-events");

    private final java.util.TreeMap<String, String> kept = new java.util.TreeMap<>();

    long hashListpackEntries = Hash.LISTPACK_ENTRIES_MAX;
    long hashListpackValue = Hash.LISTPACK_VALUE_BYTES_MAX;
    long zsetListpackEntries = ZSet.LISTPACK_ENTRIES_MAX;
    long zsetListpackValue = ZSet.LISTPACK_VALUE_BYTES_MAX;
    long setIntsetEntries = SetValue.INTSET_ENTRIES_MAX;

    /** Sets one parameter by its Redis name; false when it is not one of these or not a number where one is needed. */
    boolean set(String name, String value) {
        if (KEPT_FOR_GATEWAYS.contains(name)) {
            kept.put(name, value);
            return true;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return false;
        }
        return setThreshold(name, n);
    }

    private boolean setThreshold(String name, long value) {
        switch (name) {
            case "hash-max-listpack-entries" -> hashListpackEntries = value;
            case "hash-max-listpack-value" -> hashListpackValue = value;
            case "zset-max-listpack-entries" -> zsetListpackEntries = value;
            case "zset-max-listpack-value" -> zsetListpackValue = value;
            case "set-max-intset-entries" -> setIntsetEntries = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Current values by name, thresholds first, in a fixed order. */
    Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("hash-max-listpack-entries", Long.toString(hashListpackEntries));
        v.put("hash-max-listpack-value", Long.toString(hashListpackValue));
        v.put("zset-max-listpack-entries", Long.toString(zsetListpackEntries));
        v.put("zset-max-listpack-value", Long.toString(zsetListpackValue));
        v.put("set-max-intset-entries", Long.toString(setIntsetEntries));
        v.putAll(kept);
        return v;
    }

    void writeTo(DataOutput out) throws IOException {
        Map<String, String> v = values();
        out.writeInt(v.size());
        for (Map.Entry<String, String> e : v.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    /** Reads what {@link #writeTo} wrote; names this version does not know are ignored. */
    void readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1000) {
            throw new IOException("encoding limits with " + n + " entries");
        }
        for (int i = 0; i < n; i++) {
            set(in.readUTF(), in.readUTF());
        }
    }
}
