package io.basalt.cli.admin;

import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.io.RedisInputStream;
import com.moilioncircle.redis.replicator.rdb.BaseRdbParser;
import com.moilioncircle.redis.replicator.rdb.datatype.ZSetEntry;
import com.moilioncircle.redis.replicator.rdb.iterable.ValueIterableRdbValueVisitor;
import com.moilioncircle.redis.replicator.util.ByteArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The library's streaming value decoder, with small sorted sets (listpack, and ziplist before
 * Redis 7) decoded here: in those encodings a non-integer score is text written by Redis's
 * {@code d2string} ("1.5", "inf", "-inf"), and redis-replicator 3.8.1 reads it with
 * {@code Double.valueOf}, which fails on "inf" and stops the whole import.
 */
final class ExactScoreValueVisitor extends ValueIterableRdbValueVisitor {

    private interface EntryReader {
        byte[] next(RedisInputStream in) throws IOException;
    }

    ExactScoreValueVisitor(Replicator replicator) {
        super(replicator);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T applyZSetListPack(RedisInputStream in, int version) throws IOException {
        // listpack: total bytes (4), element count (2), entries, 0xFF
        return (T) zsetEntries(in, 6, BaseRdbParser.StringHelper::listPackEntry);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T applyZSetZipList(RedisInputStream in, int version) throws IOException {
        // ziplist: total bytes (4), offset of the last entry (4), entry count (2), entries, 0xFF
        return (T) zsetEntries(in, 10, BaseRdbParser.StringHelper::zipListEntry);
    }

    /**
     * Member, score, member, score..., as many as the header's element count says (the library
     * reads every listpack and ziplist that way); the blob is in memory already.
     */
    private static Iterator<ZSetEntry> zsetEntries(RedisInputStream in, int headerBytes, EntryReader reader) throws IOException {
        byte[] blob = new BaseRdbParser(in).rdbLoadPlainStringObject().first();
        if (blob.length < headerBytes + 1) {
            throw new IOException("sorted-set blob of " + blob.length + " bytes is too short");
        }
        int count = (blob[headerBytes - 2] & 0xff) | (blob[headerBytes - 1] & 0xff) << 8;
        if (count == 0xFFFF || count % 2 != 0) {
            // 0xFFFF means "too many to count": a sorted set in this encoding never gets that big
            // unless zset-max-listpack-entries was raised far above its default of 128
            throw new IOException("unsupported small sorted set with element count " + count);
        }
        RedisInputStream entries = new RedisInputStream(new ByteArray(blob));
        entries.skip(headerBytes);
        List<ZSetEntry> out = new ArrayList<>(count / 2);
        for (int i = 0; i < count; i += 2) {
            byte[] member = reader.next(entries);
            byte[] score = reader.next(entries);
            out.add(new ZSetEntry(member, parseScore(score)));
        }
        if (entries.read() != 0xFF) {
            throw new IOException("sorted-set blob does not end after its " + count + " elements");
        }
        return out.iterator();
    }

    /** A score as d2string or ll2string wrote it. */
    static double parseScore(byte[] text) throws IOException {
        String s = new String(text, StandardCharsets.US_ASCII);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    double d = Double.parseDouble(s);
                    if (Double.isNaN(d) || s.isEmpty() || !Character.isDigit(s.charAt(s.length() - 1))) {
                        throw new NumberFormatException(s); // Java also takes "NaN", "1d", "0x1p3"...
                    }
                    return d;
                } catch (NumberFormatException e) {
                    throw new IOException("not a sorted-set score: " + s);
                }
            }
        }
    }
}
