package io.basalt.router.client;

import io.basalt.proto.internal.BatchReply;
import io.basalt.proto.internal.Command;
import io.basalt.proto.internal.CommandBatch;
import io.basalt.proto.internal.LogEntry;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The gateway's connection to one shard: a pool of Ratis clients, each with a write batcher and
 * a read batcher.
 *
 * <p>Why a pool: one Ratis client orders all its writes through one sliding window and caps near
 * 2.5k entries/s (notes/ratis-3.3-facts.md); several clients in parallel roughly double that.
 * Why affinity: a connection always uses the same pool member, so its writes stay in order
 * (Ratis orders the requests of one client), while different connections spread over the pool.
 *
 * <p>Writes go through the log; reads use Ratis's linearizable read (ReadIndex on the leader,
 * then the state machine's query), one read round for a whole batch. Each Ratis client follows
 * leader changes itself: a NotLeaderException names the new leader and the request is resent
 * there at once; see {@link RetryPolicy} for what is retried and for how long.
 */
final class ShardClient implements Closeable {

    private final List<RaftClient> clients = new ArrayList<>();
    /** Where batch completions run: off Ratis's threads (see CommandBatcher). One per shard keeps order cheap. */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shard-replies");
        t.setDaemon(true);
        return t;
    });
    private final List<CommandBatcher> writers = new ArrayList<>();
    private final List<CommandBatcher> readers = new ArrayList<>();

    ShardClient(RaftGroup group, RaftProperties properties, RoutingConfig config) {
        for (int i = 0; i < config.clientsPerShard(); i++) {
            RaftClient client = RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicy.forGateway(config))
                .build();
            clients.add(client);
            writers.add(new CommandBatcher(batch -> write(client, batch), completions,
                config.inFlightBatchesMax(), config.batchCommandsMax(), config.batchBytesMax()));
            readers.add(new CommandBatcher(batch -> read(client, batch), completions,
                config.inFlightBatchesMax(), config.batchCommandsMax(), config.batchBytesMax()));
        }
    }

    /** Commands of one connection, in order, as one unsplit group (see CommandBatcher#submitGroup). */
    List<CompletableFuture<byte[]>> submit(boolean write, int affinity, List<Command> commands) {
        List<CommandBatcher> pool = write ? writers : readers;
        return pool.get(Math.floorMod(affinity, pool.size())).submitGroup(commands);
    }

    private static CompletableFuture<List<byte[]>> write(RaftClient client, CommandBatch batch) {
        // The client message is a LogEntry without the leader's time; the leader appends it.
        byte[] message = LogEntry.newBuilder().setBatch(batch).build().toByteArray();
        return client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)))
            .thenApply(ShardClient::replies);
    }

    private static CompletableFuture<List<byte[]>> read(RaftClient client, CommandBatch batch) {
        return client.async().sendReadOnlyUnordered(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray())))
            .thenApply(ShardClient::replies);
    }

    private static List<byte[]> replies(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new ShardException(reply.getException());
        }
        try {
            BatchReply batch = BatchReply.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
            List<byte[]> out = new ArrayList<>(batch.getRepliesCount());
            batch.getRepliesList().forEach(r -> out.add(r.toByteArray()));
            return out;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ShardException(e);
        }
    }

    /** Batches and commands sent so far, summed over the pool: the average batch size. */
    long[] batchStats() {
        long batches = 0;
        long commands = 0;
        for (CommandBatcher b : writers) {
            batches += b.batchesSent();
            commands += b.commandsSent();
        }
        for (CommandBatcher b : readers) {
            batches += b.batchesSent();
            commands += b.commandsSent();
        }
        return new long[] {batches, commands};
    }

    @Override
    public void close() throws IOException {
        for (RaftClient c : clients) {
            c.close();
        }
        completions.shutdown();
    }

    /** A shard answered with an exception, or with bytes that are not a BatchReply. */
    static final class ShardException extends RuntimeException {
        ShardException(Throwable cause) {
            super(cause == null ? "shard request failed" : cause.toString(), cause);
        }
    }
}
