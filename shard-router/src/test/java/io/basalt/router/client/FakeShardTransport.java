package io.basalt.router.client;

import io.basalt.proto.internal.Command;
import io.basalt.router.slot.ShardInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Shards that the test plays: records every run the routing client submits (which shard, log or
 * read, the commands as text) and answers either at once through {@code engine} or later, when
 * the test completes a recorded future.
 *
 * <p>Why a fake: nodes that host several shards and refuse foreign slots are being written on the
 * parallel branch {@code multi-shard-node}; until it lands no real cluster has more than one
 * shard. What this stands for is the contract in the briefing: a shard answers each command of a
 * run in order, or {@code -BASALTMOVED <slot>} for a slot it does not own.
 */
final class FakeShardTransport implements ShardTransport {

    record Run(int shard, boolean viaLog, boolean atomic, int affinity, List<String> commands,
               List<CompletableFuture<byte[]>> replies) {}

    private final List<ShardInfo> shards;
    /** (shard index, command text) -> reply, or null to leave the reply to the test. */
    private volatile BiFunction<Integer, String, byte[]> engine;
    private final List<Run> runs = new ArrayList<>();

    FakeShardTransport(List<ShardInfo> shards, BiFunction<Integer, String, byte[]> engine) {
        this.shards = shards;
        this.engine = engine;
    }

    void engine(BiFunction<Integer, String, byte[]> engine) {
        this.engine = engine;
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    /** Every run as "shard:log|read[cmd, cmd]", in submission order. */
    synchronized List<String> described() {
        List<String> out = new ArrayList<>();
        for (Run r : runs) {
            out.add(r.shard() + ":" + (r.viaLog() ? "log" : "read") + r.commands());
        }
        return out;
    }

    @Override
    public List<CompletableFuture<byte[]>> submit(ShardInfo shard, boolean viaLog, boolean atomic, int affinity,
                                                  List<Command> commands) {
        int index = shards.indexOf(shard);
        List<String> texts = new ArrayList<>();
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (Command c : commands) {
            texts.add(text(c));
            replies.add(new CompletableFuture<>());
        }
        synchronized (this) {
            runs.add(new Run(index, viaLog, atomic, affinity, texts, replies));
        }
        BiFunction<Integer, String, byte[]> e = engine;
        if (e != null) {
            for (int i = 0; i < texts.size(); i++) {
                byte[] reply = e.apply(index, texts.get(i));
                if (reply != null) {
                    replies.get(i).complete(reply);
                }
            }
        }
        return replies;
    }

    @Override
    public CompletableFuture<byte[]> readAlone(ShardInfo shard, int affinity, Command command) {
        return submit(shard, false, true, affinity, List.of(command)).get(0);
    }

    @Override
    public void close() {
    }

    static String text(Command c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.getArgsCount(); i++) {
            b.append(i == 0 ? "" : " ").append(c.getArgs(i).toString(StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
