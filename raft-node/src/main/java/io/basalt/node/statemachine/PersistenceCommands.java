package io.basalt.node.statemachine;

import io.basalt.node.snapshot.SnapshotJob;
import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.router.reply.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * SAVE, BGSAVE, LASTSAVE and {@code basalt.persistence} (INFO persistence's fields): commands
 * about this replica's snapshots rather than the keyspace, answered by the state machine.
 *
 * <p>They arrive as reads, so the leader that serves the read answers, about itself, as a Redis
 * server answers about itself. Every replica snapshots on its own schedule anyway; BGSAVE asks
 * the leader for one now. SAVE waits for the snapshot to be published, as Redis's SAVE waits
 * for the RDB file (other reads in the same batch wait with it; it stays far cheaper than
 * Redis's SAVE, which blocks the whole server).
 */
final class PersistenceCommands {

    private final ShardStateMachine sm;

    PersistenceCommands(ShardStateMachine sm) {
        this.sm = sm;
    }

    /** The commands answered here; the spec table names them with site REPLICA. */
    static final List<String> NAMES = List.of("save", "bgsave", "lastsave", "basalt.persistence");

    /** In memory mode there is nothing to save to; Redis has no such mode, so the text is ours. */
    static final String SNAPSHOTS_DISABLED = "ERR snapshots are disabled: this node runs with --durability memory";

    /** Whether the state machine answers it here: these and the backup commands. */
    static boolean handles(Command c) {
        if (c.getArgsCount() == 0) {
            return false;
        }
        String name = c.getArgs(0).toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return NAMES.contains(name) || BackupCommands.NAMES.contains(name);
    }

    CompletableFuture<Message> query(CommandBatch batch) {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(batch.getCommandsCount());
        synchronized (sm.engineLock()) {
            long index = sm.appliedIndex();
            long now = sm.readNowMs();
            for (Command c : batch.getCommandsList()) {
                replies.add(handles(c) ? persistence(c, index, now) : CompletableFuture.completedFuture(read(c, index, now)));
            }
        }
        return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            BatchReply.Builder b = BatchReply.newBuilder();
            replies.forEach(r -> b.addReplies(com.google.protobuf.ByteString.copyFrom(r.join())));
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(b.build().toByteArray()));
        });
    }

    private byte[] read(Command c, long index, long now) {
        List<byte[]> argv = new ArrayList<>(c.getArgsCount());
        c.getArgsList().forEach(a -> argv.add(a.toByteArray()));
        RespWriter out = new RespWriter(64);
        sm.executeRead(argv, index, now, out);
        return java.util.Arrays.copyOf(out.buffer(), out.size());
    }

    /** Caller holds the engine lock. */
    private CompletableFuture<byte[]> persistence(Command c, long index, long now) {
        String name = c.getArgs(0).toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        ShardSnapshots snapshots = sm.snapshots();
        RespWriter out = new RespWriter(64);
        long term = sm.getLastAppliedTermIndex() == null ? 0 : sm.getLastAppliedTermIndex().getTerm();
        if (name.equals(io.basalt.router.command.specs.InternalCommandSpecs.BACKUP_OPEN)) {
            return sm.backups().open(term, index, now);
        }
        if (BackupCommands.NAMES.contains(name)) {
            List<byte[]> argv = new ArrayList<>(c.getArgsCount());
            c.getArgsList().forEach(a -> argv.add(a.toByteArray()));
            return CompletableFuture.completedFuture(sm.backups().query(argv));
        }
        switch (name) {
            case "lastsave" -> out.integer(snapshots.lastSaveSeconds());
            case "basalt.persistence" -> out.bulk(snapshots.persistenceInfo(index, now).getBytes(StandardCharsets.US_ASCII));
            case "bgsave" -> {
                boolean schedule = c.getArgsCount() == 2
                    && c.getArgs(1).toString(StandardCharsets.ISO_8859_1).equalsIgnoreCase("schedule");
                if (c.getArgsCount() > 2 || (c.getArgsCount() == 2 && !schedule)) {
                    out.error("ERR syntax error");
                } else if (!snapshots.enabled()) {
                    out.error(SNAPSHOTS_DISABLED);
                } else if (snapshots.inProgress() && !schedule) {
                    out.error("ERR Background save already in progress");
                } else if (snapshots.inProgress()) {
                    snapshots.requestNow(term, index, now);
                    out.simple("Background saving scheduled");
                } else {
                    snapshots.requestNow(term, index, now);
                    out.simple("Background saving started");
                }
            }
            case "save" -> {
                if (c.getArgsCount() != 1) {
                    out.error("ERR wrong number of arguments for 'save' command");
                } else if (!snapshots.enabled()) {
                    out.error(SNAPSHOTS_DISABLED);
                } else if (snapshots.inProgress()) {
                    out.error("ERR Background save already in progress");
                } else {
                    CompletableFuture<SnapshotJob.Result> saved = snapshots.requestNow(term, index, now);
                    return saved.handle((r, e) -> e == null ? "+OK\r\n".getBytes(StandardCharsets.US_ASCII)
                        : ("-ERR snapshot failed: " + rootMessage(e) + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            default -> throw new IllegalStateException("not a persistence command: " + name);
        }
        return CompletableFuture.completedFuture(java.util.Arrays.copyOf(out.buffer(), out.size()));
    }

    static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage()).replace('\r', ' ').replace('\n', ' ');
    }
}
