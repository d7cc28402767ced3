package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CONFIG GET / SET / RESETSTAT / HELP over the gateway's {@link ConfigStore}. */
final class ConfigCommand {

    private static final List<String> HELP = List.of(
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.");

    private final GatewayInfo info;

    ConfigCommand(GatewayInfo info) {
        this.info = info;
    }

    /** CONFIG GET parameter [parameter ...]: a map (RESP2: flat name/value array) of the matches. */
    CompletableFuture<byte[]> get(ClientSession session, List<byte[]> argv) {
        List<String> patterns = new ArrayList<>(argv.size() - 2);
        for (int i = 2; i < argv.size(); i++) {
            patterns.add(RedisText.text(argv.get(i)));
        }
        if (!info.config().matchesReplicated(patterns)) {
            return Replies.done(answer(patterns));
        }
        // the shards hold the cluster's values; when they cannot answer in time, this gateway's
        CompletableFuture<Map<String, String>> fromShards = new CompletableFuture<>();
        try {
            info.shardStats().replicatedConfig().whenComplete((v, e) -> fromShards.complete(e == null ? v : Map.of()));
        } catch (RuntimeException e) {
            fromShards.complete(Map.of());
        }
        return fromShards.completeOnTimeout(Map.of(), info.statsTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .thenApply(values -> {
                info.config().adopt(values);
                return answer(patterns).toByteArray();
            });
    }

    private RespWriter answer(List<String> patterns) {
        List<Map.Entry<String, String>> found = info.config().matching(patterns);
        RespWriter w = new RespWriter(64 + found.size() * 48);
        w.map(found.size());
        for (Map.Entry<String, String> e : found) {
            w.bulk(e.getKey()).bulk(e.getValue());
        }
        return w;
    }

    /** CONFIG SET parameter value [parameter value ...]: all or nothing. */
    CompletableFuture<byte[]> set(ClientSession session, List<byte[]> argv) {
        if (argv.size() % 2 != 0) {
            return Replies.error(ErrorReplies.SYNTAX);
        }
        List<String[]> pairs = new ArrayList<>(argv.size() / 2);
        for (int i = 2; i < argv.size(); i += 2) {
            pairs.add(new String[] {RedisText.text(argv.get(i)), RedisText.text(argv.get(i + 1))});
        }
        List<String[]> replicated = info.config().replicatedChanges(pairs);
        if (replicated == null || replicated.isEmpty()) {
            String error = info.config().set(pairs);
            return error == null ? Replies.ok() : Replies.error(error);
        }
        // every shard first, through its log; then this gateway, so CONFIG GET never shows a value
        // the shards do not follow
        return info.shardStats().setReplicatedConfig(replicated).thenCompose(shardError -> {
            if (shardError != null) {
                return Replies.error(shardError);
            }
            String error = info.config().set(pairs);
            return error == null ? Replies.ok() : Replies.error(error);
        });
    }

    /** CONFIG RESETSTAT: zeroes the gateway's INFO stats counters. */
    CompletableFuture<byte[]> resetstat(ClientSession session, List<byte[]> argv) {
        info.stats().reset(info.clients());
        return Replies.ok();
    }

    /** CONFIG HELP (without REWRITE: there is no config file to rewrite). */
    CompletableFuture<byte[]> help(ClientSession session, List<byte[]> argv) {
        return Replies.help("CONFIG", HELP);
    }
}
