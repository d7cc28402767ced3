package io.basalt.cli.admin;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Writes the chunks of an RDB file to Basalt through a {@link RespPipeline}, key by key:
 * <ol>
 *   <li>a key already expired (by {@code clock}) is skipped, as Redis skips it when it loads;
 *   <li>without {@code replace}, a key that exists in Basalt is skipped and counted: its
 *       existence is asked (EXISTS) for a group of keys at once, one round trip per group;
 *       with {@code replace}, DEL goes first;
 *   <li>the content ({@link CommandBuilder}), then PEXPIREAT with the RDB's absolute expiry.
 * </ol>
 * Every reply is checked; an error reply stops the import with the key's name
 * ({@link ImportFailed}) unless {@code continueOnError}, where the key counts as an error and
 * its commands not yet sent when the error arrives are dropped (those already in the pipeline
 * still run). Not atomic per key: a reader may see a big key half
 * written while it is imported, and a key created between EXISTS and our write is overwritten.
 */
final class RdbImporter {

    /** Whole keys held before their EXISTS round trip: bounds memory and the wait per group. */
    static final int GROUP_KEYS_MAX = 1024;
    static final long GROUP_BYTES_MAX = 4L * 1024 * 1024;

    /** Thrown (unchecked, through the parser) when a write fails and the import must stop. */
    static final class ImportFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ImportFailed(String message) {
            super(message);
        }
    }

    /** One key's progress: the decision taken on its first chunk and its unanswered commands. */
    private static final class KeyState {
        final byte[] key;
        final KeyType type;
        boolean skip;
        boolean failed;
        boolean allSent;
        boolean counted;
        long unanswered;

        KeyState(byte[] key, KeyType type) {
            this.key = key;
            this.type = type;
        }
    }

    private record Pending(KeyState state, RdbChunk chunk) {
    }

    private static final byte[] EXISTS = CommandBuilder.bytes("EXISTS");
    private static final byte[] DEL = CommandBuilder.bytes("DEL");
    private static final byte[] PEXPIREAT = CommandBuilder.bytes("PEXPIREAT");

    private final RespPipeline resp;
    private final CommandBuilder builder;
    private final boolean replace;
    private final boolean continueOnError;
    private final long db;
    private final LongSupplier clockMs;
    private final ImportSummary summary;
    private final List<Pending> group = new ArrayList<>();
    private long groupBytes;
    private KeyState current;

    RdbImporter(RespPipeline resp, CommandBuilder builder, boolean replace, boolean continueOnError, long db,
                LongSupplier clockMs, ImportSummary summary) {
        this.resp = resp;
        this.builder = builder;
        this.replace = replace;
        this.continueOnError = continueOnError;
        this.db = db;
        this.clockMs = clockMs;
        this.summary = summary;
    }

    /** Takes the next chunk of the file. */
    void accept(RdbChunk chunk) {
        if (chunk.index() == 0) {
            summary.keysRead++;
            current = start(chunk);
        }
        if (current == null || current.skip) {
            return;
        }
        group.add(new Pending(current, chunk));
        groupBytes += chunk.itemBytes() + chunk.key().length;
        // a key that continues in later chunks is decided and written now, so they can follow it
        if (!chunk.last() || group.size() >= GROUP_KEYS_MAX || groupBytes >= GROUP_BYTES_MAX) {
            flush();
        }
    }

    /** Writes what is held and waits for every reply. */
    void finish() {
        flush();
        io(resp::drain);
    }

    /** The state of a key on its first chunk, or null when it is not written at all. */
    private KeyState start(RdbChunk chunk) {
        if (chunk.db() != db) {
            summary.skippedOtherDb++;
            return null;
        }
        if (chunk.type() == KeyType.UNSUPPORTED) {
            summary.unsupported(chunk.typeName(), chunk.key());
            return null;
        }
        if (chunk.expireAtMs() != RdbChunk.NO_EXPIRY && chunk.expireAtMs() <= clockMs.getAsLong()) {
            summary.skippedExpired++;
            return null;
        }
        return new KeyState(chunk.key(), chunk.type());
    }

    private void flush() {
        if (group.isEmpty()) {
            return;
        }
        if (!replace) {
            for (Pending p : group) {
                if (p.chunk().index() == 0) {
                    io(() -> resp.send(reply -> {
                        check(p.state(), reply);
                        if (!reply.isError() && reply.number() > 0) {
                            p.state().skip = true;
                            summary.skippedExisting++;
                        }
                    }, EXISTS, p.state().key));
                }
            }
            io(resp::drain);
        }
        for (Pending p : group) {
            write(p.state(), p.chunk());
        }
        group.clear();
        groupBytes = 0;
    }

    private void write(KeyState state, RdbChunk chunk) {
        if (state.skip || state.failed) {
            return;
        }
        if (replace && chunk.index() == 0) {
            send(state, DEL, state.key);
        }
        for (byte[][] argv : builder.commands(chunk)) {
            if (state.failed) {
                return;
            }
            send(state, argv);
        }
        if (chunk.last()) {
            if (chunk.expireAtMs() != RdbChunk.NO_EXPIRY) {
                send(state, PEXPIREAT, state.key, CommandBuilder.bytes(Long.toString(chunk.expireAtMs())));
            }
            state.allSent = true;
            completeIfDone(state);
        }
    }

    private void send(KeyState state, byte[]... argv) {
        state.unanswered++;
        io(() -> resp.send(reply -> {
            state.unanswered--;
            check(state, reply);
            completeIfDone(state);
        }, argv));
    }

    private void completeIfDone(KeyState state) {
        if (state.allSent && state.unanswered == 0 && !state.failed && !state.counted) {
            state.counted = true;
            summary.imported(state.type);
        }
    }

    private void check(KeyState state, RespPipeline.Reply reply) {
        if (!reply.isError() || state.failed) {
            return;
        }
        state.failed = true;
        summary.error(state.key, reply.text());
        if (!continueOnError) {
            throw new ImportFailed("key " + ImportSummary.printable(state.key) + ": " + reply.text());
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
