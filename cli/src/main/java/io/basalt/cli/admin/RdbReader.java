package io.basalt.cli.admin;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.event.Event;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.datatype.ExpiredType;
import com.moilioncircle.redis.replicator.rdb.datatype.ZSetEntry;
import com.moilioncircle.redis.replicator.rdb.iterable.ValueIterableEventListener;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyStringValueHash;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyStringValueList;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyStringValueSet;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyStringValueString;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyStringValueZSet;
import com.moilioncircle.redis.replicator.rdb.iterable.datatype.BatchedKeyValuePair;
import io.basalt.cli.admin.RdbChunk.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an RDB file into {@link RdbChunk}s, in file order. The parsing (opcodes, length and
 * string encodings, LZF, listpack, ziplist, intset, quicklist, RDB versions up to Redis 7.2's)
 * is redis-replicator's; this class is the one place that knows its types, so that the rest of
 * the import does not. Why a library and not our own parser: docs/migration.md.
 */
final class RdbReader {

    /**
     * Elements per chunk of a collection: bounds what is held in memory at once, together with
     * the elements' own size (a Redis element is at most 512 MiB; Basalt takes 16 MiB commands).
     */
    static final int ELEMENTS_PER_CHUNK = 512;

    private RdbReader() {
    }

    /**
     * Parses {@code in} to its end, giving each chunk to {@code sink}. An exception from the
     * sink stops the parse and is rethrown here; a file that ends before its EOF opcode or does
     * not parse is an {@link IOException}.
     */
    static void read(InputStream in, Consumer<RdbChunk> sink) throws IOException {
        Replicator replicator = new RedisReplicator(in, FileType.RDB, Configuration.defaultSetting());
        replicator.setRdbVisitor(new UnsupportedRdbVisitor(replicator));
        Throwable[] failure = new Throwable[1];
        boolean[] complete = new boolean[1];
        replicator.addExceptionListener((r, t, event) -> {
            if (failure[0] == null) {
                failure[0] = t;
            }
        });
        replicator.addEventListener(new ValueIterableEventListener(ELEMENTS_PER_CHUNK, (r, event) -> {
            if (failure[0] != null) {
                return;
            }
            if (event instanceof PostRdbSyncEvent) {
                complete[0] = true;
                return;
            }
            try {
                RdbChunk chunk = toChunk(event);
                if (chunk != null) {
                    sink.accept(chunk);
                }
            } catch (Throwable t) {
                failure[0] = t;
                closeQuietly(r); // stops the parse
            }
        }));
        try {
            replicator.open();
        } catch (RuntimeException e) {
            // the library lets some parse errors out of open() (after its exception listener saw them)
            if (failure[0] == null) {
                failure[0] = e;
            }
        } finally {
            closeQuietly(replicator);
        }
        if (failure[0] instanceof RdbImporter.ImportFailed || failure[0] instanceof java.io.UncheckedIOException) {
            throw (RuntimeException) failure[0];
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IOException("cannot read the RDB file: " + failure[0].getMessage(), failure[0]);
        }
        if (!complete[0]) {
            throw new IOException("the RDB file is truncated or not an RDB file (no end marker reached)");
        }
    }

    /** Our chunk for one of the library's events, or null for events that carry no key (aux fields, functions). */
    static RdbChunk toChunk(Event event) {
        if (event instanceof UnsupportedRdbVisitor.UnsupportedKey u) {
            return new RdbChunk(u.db, u.key, KeyType.UNSUPPORTED, RdbChunk.NO_EXPIRY, 0, true, List.of(), u.typeName);
        }
        if (!(event instanceof BatchedKeyValuePair<?, ?> kv)) {
            return null;
        }
        KeyType type;
        List<byte[]> items;
        if (kv instanceof BatchedKeyStringValueString s) {
            type = KeyType.STRING;
            items = List.of(s.getValue());
        } else if (kv instanceof BatchedKeyStringValueList l) {
            type = KeyType.LIST;
            items = new ArrayList<>(l.getValue());
        } else if (kv instanceof BatchedKeyStringValueSet s) {
            type = KeyType.SET;
            items = new ArrayList<>(s.getValue());
        } else if (kv instanceof BatchedKeyStringValueHash h) {
            type = KeyType.HASH;
            items = new ArrayList<>(h.getValue().size() * 2);
            for (Map.Entry<byte[], byte[]> e : h.getValue().entrySet()) {
                items.add(e.getKey());
                items.add(e.getValue());
            }
        } else if (kv instanceof BatchedKeyStringValueZSet z) {
            type = KeyType.ZSET;
            items = new ArrayList<>(z.getValue().size() * 2);
            for (ZSetEntry e : z.getValue()) {
                items.add(ScoreFormat.format(e.getScore()).getBytes(StandardCharsets.US_ASCII));
                items.add(e.getElement());
            }
        } else {
            // a batched stream or module: our visitor never produces them, but do not drop a key silently
            return new RdbChunk(dbOf(kv), (byte[]) kv.getKey(), KeyType.UNSUPPORTED, RdbChunk.NO_EXPIRY, 0, true,
                List.of(), kv.getClass().getSimpleName());
        }
        long expireAtMs = kv.getExpiredType() == null || kv.getExpiredType() == ExpiredType.NONE
            ? RdbChunk.NO_EXPIRY : kv.getExpiredMs();
        return new RdbChunk(dbOf(kv), (byte[]) kv.getKey(), type, expireAtMs, kv.getBatch(), kv.isLast(), items, null);
    }

    private static long dbOf(BatchedKeyValuePair<?, ?> kv) {
        return kv.getDb() == null ? 0 : kv.getDb().getDbNumber();
    }

    private static void closeQuietly(Replicator r) {
        try {
            r.close();
        } catch (IOException | RuntimeException e) {
            // closing only stops the parse; the cause is reported by read()
        }
    }
}
