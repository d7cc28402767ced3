package io.basalt.router.client;

import io.basalt.router.reply.RespWriter;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the replies of a command's parts (one per shard) become the client's one reply, as Redis
 * Cluster proxies merge them. Every merge answers the first part's error, if any part failed: the
 * client sees one of the errors its command met, as it would from a proxy.
 */
final class Merges {

    private Merges() {}

    /** The first error among the parts, or null when none failed. */
    static byte[] firstError(List<byte[]> parts) {
        for (byte[] p : parts) {
            if (EncodedReply.isError(p)) {
                return p;
            }
        }
        return null;
    }

    /** DEL, EXISTS, UNLINK, TOUCH, DBSIZE: the sum of the integers. */
    static byte[] sum(List<byte[]> parts) {
        byte[] error = firstError(parts);
        if (error != null) {
            return error;
        }
        long total = 0;
        for (byte[] p : parts) {
            total += EncodedReply.integer(p);
        }
        return new RespWriter(24).integer(total).toByteArray();
    }

    /** LASTSAVE: the oldest shard's, the time by which every shard had saved. */
    static byte[] min(List<byte[]> parts) {
        byte[] error = firstError(parts);
        if (error != null) {
            return error;
        }
        long min = Long.MAX_VALUE;
        for (byte[] p : parts) {
            min = Math.min(min, EncodedReply.integer(p));
        }
        return new RespWriter(24).integer(min).toByteArray();
    }

    /** MSET, FLUSHALL, SAVE, BGSAVE: the first part's reply once every part succeeded. */
    static byte[] allOk(List<byte[]> parts) {
        byte[] error = firstError(parts);
        return error != null ? error : parts.get(0);
    }

    /** KEYS: the parts' arrays one after another. */
    static byte[] concat(List<byte[]> parts) {
        byte[] error = firstError(parts);
        if (error != null) {
            return error;
        }
        int count = 0;
        int bytes = 0;
        int[][] offsets = new int[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            offsets[i] = EncodedReply.elements(parts.get(i), 0);
            count += offsets[i].length - 1;
            bytes += offsets[i][offsets[i].length - 1] - offsets[i][0];
        }
        RespWriter out = new RespWriter(bytes + 16).array(count);
        for (int i = 0; i < parts.size(); i++) {
            int[] o = offsets[i];
            out.raw(java.util.Arrays.copyOfRange(parts.get(i), o[0], o[o.length - 1]));
        }
        return out.toByteArray();
    }

    /**
     * MGET: the values in the order the client named the keys. {@code part[k]} and
     * {@code element[k]} say where the k-th key's value is.
     */
    static byte[] reorder(List<byte[]> parts, int[] part, int[] element) {
        byte[] error = firstError(parts);
        if (error != null) {
            return error;
        }
        int[][] offsets = new int[parts.size()][];
        int bytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            offsets[i] = EncodedReply.elements(parts.get(i), 0);
            bytes += offsets[i][offsets[i].length - 1];
        }
        RespWriter out = new RespWriter(bytes + 16).array(part.length);
        for (int k = 0; k < part.length; k++) {
            int[] o = offsets[part[k]];
            out.raw(java.util.Arrays.copyOfRange(parts.get(part[k]), o[element[k]], o[element[k] + 1]));
        }
        return out.toByteArray();
    }

    /**
     * RANDOMKEY over shards sent [RANDOMKEY, DBSIZE] each: a shard drawn with probability
     * proportional to its key count, then its key. A shard that answered no key (emptied between
     * its two commands) is dropped and another drawn; no key anywhere is a null.
     */
    static byte[] randomKey(List<byte[]> parts) {
        return randomKey(parts, ThreadLocalRandom.current());
    }

    static byte[] randomKey(List<byte[]> parts, Random random) {
        byte[] error = firstError(parts);
        if (error != null) {
            return error;
        }
        int shards = parts.size() / 2;
        long[] weight = new long[shards];
        long total = 0;
        for (int s = 0; s < shards; s++) {
            weight[s] = Math.max(0, EncodedReply.integer(parts.get(2 * s + 1)));
            total += weight[s];
        }
        while (total > 0) {
            long draw = random.nextLong(total);
            int s = 0;
            while (draw >= weight[s]) {
                draw -= weight[s++];
            }
            byte[] key = parts.get(2 * s);
            if (EncodedReply.bulk(key, 0) != null) {
                return key;
            }
            total -= weight[s];
            weight[s] = 0;
        }
        return new RespWriter(8).nullBulk().toByteArray();
    }

    /**
     * SCAN on shard {@code shard} of {@code shards}: the shard's reply with its cursor encoded; a
     * finished shard hands on to the next one's start, the last one ends the scan (0).
     */
    static byte[] scan(byte[] reply, int shard, int shards) {
        if (EncodedReply.isError(reply)) {
            return reply;
        }
        int[] o = EncodedReply.elements(reply, 0);
        byte[] cursorText = EncodedReply.bulk(reply, o[0]);
        long shardCursor = Long.parseUnsignedLong(new String(cursorText, java.nio.charset.StandardCharsets.US_ASCII));
        long next = shardCursor != 0 ? ScanCursor.encode(shard, shardCursor)
            : shard + 1 < shards ? ScanCursor.encode(shard + 1, 0) : 0;
        return new RespWriter(reply.length + 24).array(2).bulk(Long.toUnsignedString(next))
            .raw(java.util.Arrays.copyOfRange(reply, o[1], o[2])).toByteArray();
    }
}
