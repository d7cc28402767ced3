package io.basalt.node.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.function.ToIntFunction;

/**
 * The snapshot form of one key's value and expiry time: a self-describing record, so a snapshot
 * can be read key by key (one slot's keys alone, for export) without any other state.
 *
 * <p>Format version 1: {@code [version=1][expireAt: long, -1 = none][kind: byte][payload]}, with
 * lengths and counts as ints. The kind keeps the representation, not just the Redis type: a hash
 * restored in its listpack form, a set as an intset, a string as "int" must answer OBJECT
 * ENCODING exactly as before (Redis's conversions are one way), and a hashtable-form set keeps
 * its member order because SPOP and SRANDMEMBER pick by position: a replica restored from a
 * snapshot must pick what the replicas that applied the log pick.
 *
 * <p>A new value kind gets a new kind byte; a change to an existing payload gets a new version.
 * Records of an unknown version or kind are refused (a snapshot written by a newer Basalt), never
 * guessed at.
 */
final class SnapshotCodec {

    static final byte VERSION = 1;

    private static final byte BYTES = 0;
    private static final byte RAW = 1;
    private static final byte INT = 2;
    private static final byte LIST = 3;
    private static final byte HASH_LISTPACK = 4;
    private static final byte HASH_TABLE = 5;
    private static final byte SET_INTSET = 6;
    private static final byte SET_TABLE = 7;
    private static final byte ZSET_LISTPACK = 8;
    private static final byte ZSET_SKIPLIST = 9;
    /**
     * A hash in the field-TTL form (Redis 7.4's listpackex, or a hashtable whose fields have had
     * TTLs): as HASH_LISTPACK / HASH_TABLE with each field's expiry time (Unix ms, -1 = none)
     * after its value. New kinds rather than a new payload for the old ones, so records written
     * before field TTLs still read as they were.
     */
    private static final byte HASH_LISTPACK_TTL = 10;
    private static final byte HASH_TABLE_TTL = 11;

    private SnapshotCodec() {}

    /** A decoded record: the value to store and its expiry time (-1 = none). */
    record Decoded(Object value, long expireAt) {}

    static byte[] encode(Object value, long expireAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            out.writeLong(expireAt);
            writeValue(out, value);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case byte[] b -> {
                out.writeByte(BYTES);
                writeBytes(out, b, b.length);
            }
            case RawString r -> {
                out.writeByte(RAW);
                writeBytes(out, r.buf, r.len);
            }
            case IntString i -> {
                out.writeByte(INT);
                out.writeLong(i.value);
            }
            case ListValue l -> {
                out.writeByte(LIST);
                out.writeInt(l.size());
                for (int i = 0; i < l.size(); i++) {
                    byte[] e = l.get(i);
                    writeBytes(out, e, e.length);
                }
            }
            case Hash h -> {
                boolean ttl = h.hasTtlForm();
                out.writeByte(h.isListpack() ? (ttl ? HASH_LISTPACK_TTL : HASH_LISTPACK)
                        : (ttl ? HASH_TABLE_TTL : HASH_TABLE));
                out.writeInt((int) h.size());
                IOException[] failed = {null};
                h.forEach((f, v) -> {
                    try {
                        writeBytes(out, f, f.length);
                        writeBytes(out, v, v.length);
                        if (ttl) {
                            out.writeLong(h.expireAt(f));
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
            }
            case SetValue s -> {
                out.writeByte(s.isIntset() ? SET_INTSET : SET_TABLE);
                out.writeInt(s.size());
                for (int i = 0; i < s.size(); i++) {
                    byte[] m = s.get(i);
                    writeBytes(out, m, m.length);
                }
            }
            case ZSet z -> {
                out.writeByte(z.index == null ? ZSET_LISTPACK : ZSET_SKIPLIST);
                out.writeInt(z.size);
                for (int i = 0; i < z.size; i++) {
                    writeBytes(out, z.members[i], z.members[i].length);
                    out.writeDouble(z.scores[i]);
                }
            }
            default -> throw new IllegalStateException("no snapshot form for " + value.getClass().getName());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b, int len) throws IOException {
        out.writeInt(len);
        out.write(b, 0, len);
    }

    /**
     * Decodes a record written by {@link #encode}.
     *
     * @param hasher the keyspace's field hasher, for hashes in their hashtable form
     * @param limits the keyspace's encoding thresholds, which restored collections follow from then on
     * @throws IOException when the record is truncated or of an unknown version or kind
     */
    static Decoded decode(byte[] record, ToIntFunction<byte[]> hasher, EncodingLimits limits) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("snapshot record of version " + version + "; this Basalt reads version " + VERSION);
        }
        long expireAt = in.readLong();
        byte kind = in.readByte();
        Object value = switch (kind) {
            case BYTES -> readBytes(in);
            case RAW -> {
                byte[] b = readBytes(in);
                yield new RawString(b, b.length);
            }
            case INT -> IntString.of(in.readLong());
            case LIST -> {
                ListValue l = new ListValue();
                int n = readCount(in);
                for (int i = 0; i < n; i++) {
                    l.addLast(readBytes(in));
                }
                yield l;
            }
            case HASH_LISTPACK, HASH_TABLE, HASH_LISTPACK_TTL, HASH_TABLE_TTL -> {
                Hash h = new Hash(hasher, limits);
                if (kind == HASH_TABLE || kind == HASH_TABLE_TTL) {
                    h.toHashtableForm();
                }
                boolean ttl = kind == HASH_LISTPACK_TTL || kind == HASH_TABLE_TTL;
                if (ttl) {
                    h.toTtlForm();
                }
                int n = readCount(in);
                for (int i = 0; i < n; i++) {
                    byte[] field = readBytes(in);
                    h.set(field, readBytes(in));
                    long at = ttl ? in.readLong() : -1;
                    if (at >= 0) {
                        h.setExpireAt(field, at);
                    }
                }
                yield h;
            }
            case SET_INTSET, SET_TABLE -> {
                SetValue s = new SetValue(limits);
                if (kind == SET_TABLE) {
                    s.toHashtableForm();
                }
                int n = readCount(in);
                long[] scratch = new long[1];
                for (int i = 0; i < n; i++) {
                    s.add(readBytes(in), scratch);
                }
                yield s;
            }
            case ZSET_LISTPACK, ZSET_SKIPLIST -> readZSet(in, kind == ZSET_SKIPLIST, limits);
            default -> throw new IOException("snapshot record of unknown kind " + kind);
        };
        if (in.available() != 0) {
            throw new IOException("snapshot record has " + in.available() + " bytes after its value");
        }
        return new Decoded(value, expireAt);
    }

    /** Members arrive in (score, member) order, so the arrays are filled as they are. */
    private static ZSet readZSet(DataInputStream in, boolean skiplist, EncodingLimits limits) throws IOException {
        int n = readCount(in);
        ZSet z = new ZSet(limits);
        z.members = new byte[Math.max(4, n)][];
        z.scores = new double[Math.max(4, n)];
        for (int i = 0; i < n; i++) {
            z.members[i] = readBytes(in);
            z.scores[i] = in.readDouble();
            z.memberBytes += MemoryModel.byteArray(z.members[i].length);
        }
        z.size = n;
        if (skiplist) {
            z.index = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
            for (int i = 0; i < n; i++) {
                z.index.put(new ZSet.Member(z.members[i]), z.scores[i]);
            }
        }
        return z;
    }

    private static int readCount(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) { // every element takes at least one byte
            throw new IOException("snapshot record with a count of " + n + " and " + in.available() + " bytes left");
        }
        return n;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
            throw new IOException("snapshot record with a length of " + len + " and " + in.available() + " bytes left");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
