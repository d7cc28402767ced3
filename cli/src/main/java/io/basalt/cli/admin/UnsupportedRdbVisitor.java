package io.basalt.cli.admin;

import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.event.AbstractEvent;
import com.moilioncircle.redis.replicator.event.Event;
import com.moilioncircle.redis.replicator.io.RedisInputStream;
import com.moilioncircle.redis.replicator.rdb.BaseRdbParser;
import com.moilioncircle.redis.replicator.rdb.datatype.ContextKeyValuePair;
import com.moilioncircle.redis.replicator.rdb.iterable.ValueIterableRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.skip.SkipRdbParser;
import com.moilioncircle.redis.replicator.rdb.skip.SkipRdbValueVisitor;
import java.io.IOException;

/**
 * The library's streaming visitor (collections come as iterators, so a big one is never held
 * whole), with exact small sorted sets ({@link ExactScoreValueVisitor}), and changed for the
 * types Basalt does not have: a stream or a module value is skipped
 * over without being built (the library would build a whole stream in memory, and stops at a
 * module it has no parser for) and reported as an {@link UnsupportedKey} with its key name.
 */
final class UnsupportedRdbVisitor extends ValueIterableRdbVisitor {

    /** A key of a type Basalt cannot hold; the import counts it and names it in its summary. */
    static final class UnsupportedKey extends AbstractEvent {
        private static final long serialVersionUID = 1L;
        final long db;
        final byte[] key;
        final String typeName;

        UnsupportedKey(long db, byte[] key, String typeName) {
            this.db = db;
            this.key = key;
            this.typeName = typeName;
        }
    }

    /** Redis's alphabet for the 9-character module type names packed in a module id. */
    private static final String MODULE_NAME_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final SkipRdbValueVisitor skip;

    UnsupportedRdbVisitor(Replicator replicator) {
        super(replicator, new ExactScoreValueVisitor(replicator));
        this.skip = new SkipRdbValueVisitor(replicator);
    }

    @Override
    public Event applyModule2(RedisInputStream in, int version, ContextKeyValuePair context) throws IOException {
        byte[] key = new BaseRdbParser(in).rdbLoadEncodedStringObject().first();
        SkipRdbParser skipper = new SkipRdbParser(in);
        long moduleId = skipper.rdbLoadLen().len;
        // module values of RDB type 7 are self-describing (opcode, value ... EOF), so they can be skipped
        skipper.rdbLoadCheckModuleValue();
        return unsupported(context, key, "module " + moduleTypeName(moduleId));
    }

    @Override
    public Event applyStreamListPacks(RedisInputStream in, int version, ContextKeyValuePair context) throws IOException {
        byte[] key = new BaseRdbParser(in).rdbLoadEncodedStringObject().first();
        skip.applyStreamListPacks(in, version);
        return unsupported(context, key, "stream");
    }

    @Override
    public Event applyStreamListPacks2(RedisInputStream in, int version, ContextKeyValuePair context) throws IOException {
        byte[] key = new BaseRdbParser(in).rdbLoadEncodedStringObject().first();
        skip.applyStreamListPacks2(in, version);
        return unsupported(context, key, "stream");
    }

    @Override
    public Event applyStreamListPacks3(RedisInputStream in, int version, ContextKeyValuePair context) throws IOException {
        byte[] key = new BaseRdbParser(in).rdbLoadEncodedStringObject().first();
        skip.applyStreamListPacks3(in, version);
        return unsupported(context, key, "stream");
    }

    private static Event unsupported(ContextKeyValuePair context, byte[] key, String typeName) {
        return new UnsupportedKey(context.getDb() == null ? 0 : context.getDb().getDbNumber(), key, typeName);
    }

    /** A module id is 54 bits of name (9 characters of 6 bits, first character highest) and 10 of version. */
    static String moduleTypeName(long moduleId) {
        char[] name = new char[9];
        long bits = moduleId >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = MODULE_NAME_CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }
}
