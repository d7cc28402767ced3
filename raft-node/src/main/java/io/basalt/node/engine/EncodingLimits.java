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
 * validated by the gateway (Redis's ranges and error texts); here they only need to be numbers.
 */
public final class EncodingLimits {

    long hashListpackEntries = Hash.LISTPACK_ENTRIES_MAX;
    long hashListpackValue = Hash.LISTPACK_VALUE_BYTES_MAX;
    long zsetListpackEntries = ZSet.LISTPACK_ENTRIES_MAX;
    long zsetListpackValue = ZSet.LISTPACK_VALUE_BYTES_MAX;
    long setIntsetEntries = SetValue.INTSET_ENTRIES_MAX;

    /** Sets one parameter by its Redis name; false when it is not one of these. */
    boolean set(String name, long value) {
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

    /** Current values by name, in a fixed order. */
    Map<String, Long> values() {
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("hash-max-listpack-entries", hashListpackEntries);
        v.put("hash-max-listpack-value", hashListpackValue);
        v.put("zset-max-listpack-entries", zsetListpackEntries);
        v.put("zset-max-listpack-value", zsetListpackValue);
        v.put("set-max-intset-entries", setIntsetEntries);
        return v;
    }

    void writeTo(DataOutput out) throws IOException {
        Map<String, Long> v = values();
        out.writeInt(v.size());
        for (Map.Entry<String, Long> e : v.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    /** Reads what {@link #writeTo} wrote; names this version does not know are ignored. */
    void readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1000) {
            throw new IOException("encoding limits with " + n + " entries");
        }
        for (int i = 0; i < n; i++) {
            set(in.readUTF(), in.readLong());
        }
    }
}
