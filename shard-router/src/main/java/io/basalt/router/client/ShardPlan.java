package io.basalt.router.client;

import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.specs.InternalCommandSpecs;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.slot.HashSlot;
import io.basalt.router.slot.SlotMap;
import io.basalt.router.text.RedisIntegers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where one command goes when the slots are spread over several shards, and how the answers come
 * back together: one part for a command whose keys live on one shard (the usual case), one part
 * per shard for a splittable multi-key command (MGET, MSET, DEL, EXISTS, UNLINK, TOUCH) or a
 * keyless command about the whole keyspace (DBSIZE, KEYS, FLUSHALL, SAVE...), and none for a
 * command answered here (a SCAN cursor naming no shard, CROSSSLOT).
 *
 * <p>MSET split over shards is not atomic: each shard sets its keys atomically, but a reader may
 * see one shard's keys set and another's not yet, and if one part fails the others stay applied.
 * Redis Cluster proxies (and cluster clients, which split by slot) behave the same; MSETNX, which
 * must be all-or-nothing, is never split (CROSSSLOT).
 *
 * @param parts what to send, each to one shard (by position in the map's shard list)
 * @param merge the client's reply from the parts' replies, in part order; null when the single
 *     part's reply is the command's
 * @param fixed the reply when there are no parts
 */
record ShardPlan(List<Part> parts, Function<List<byte[]>, byte[]> merge, byte[] fixed) {

    /** One command for one shard; {@code spec} governs it (keys, write or read), {@code argv} is sent. */
    record Part(int shard, CommandSpec spec, List<byte[]> argv) {}

    private static final byte[] DBSIZE = "DBSIZE".getBytes(StandardCharsets.US_ASCII);

    static ShardPlan of(SlotMap map, CommandSpec spec, List<byte[]> argv) {
        int shards = map.shards().size();
        int[] keys = spec.keyPositions(argv);
        if (keys.length == 0) {
            return keyless(map, shards, spec, argv);
        }
        int first = map.shardIndexOfSlot(HashSlot.of(argv.get(keys[0])));
        boolean spans = false;
        for (int i = 1; i < keys.length && !spans; i++) {
            spans = map.shardIndexOfSlot(HashSlot.of(argv.get(keys[i]))) != first;
        }
        if (!spans) {
            return single(first, spec, argv);
        }
        return switch (spec.name()) {
            case "mget" -> split(map, spec, argv, keys, 1, true, null);
            // an odd count is MSET's arity error: the shard answers it
            case "mset" -> (argv.size() - 1) % 2 != 0 ? single(first, spec, argv) : split(map, spec, argv, keys, 2, false, Merges::allOk);
            case "del", "exists", "unlink", "touch" -> split(map, spec, argv, keys, 1, false, Merges::sum);
            // atomic on one shard only: refused before anything is sent, as Redis Cluster does
            default -> answered(new RespWriter(64).error(ErrorReplies.CROSSSLOT).toByteArray());
        };
    }

    private static ShardPlan keyless(SlotMap map, int shards, CommandSpec spec, List<byte[]> argv) {
        return switch (spec.name()) {
            case "dbsize" -> everyShard(shards, spec, argv, Merges::sum);
            case "keys" -> everyShard(shards, spec, argv, Merges::concat);
            case "flushall", "flushdb", "save", "bgsave" -> everyShard(shards, spec, argv, Merges::allOk);
            case "lastsave" -> everyShard(shards, spec, argv, Merges::min);
            case "randomkey" -> randomKey(shards, spec, argv);
            case "scan" -> scan(shards, spec, argv);
            case "cluster|countkeysinslot", "cluster|getkeysinslot" -> single(slotArgument(map, argv), spec, argv);
            case InternalCommandSpecs.BACKUP_OPEN, InternalCommandSpecs.BACKUP_READ, InternalCommandSpecs.BACKUP_CLOSE ->
                BackupRouting.plan(map, spec, argv);
            // the admin tool's slot commands name their shard first; the shard's command lacks it
            default -> spec.name().startsWith(InternalCommandSpecs.SLOTS) ? namedShard(shards, spec, argv)
                // other keyless commands (internal ones, OBJECT HELP) are the same on every shard
                : single(0, spec, argv);
        };
    }

    /** {@code basalt.slots* <shard> args...} goes to that shard as {@code basalt.slots* args...}. */
    private static ShardPlan namedShard(int shards, CommandSpec spec, List<byte[]> argv) {
        Long shard = argv.size() < 2 ? null : RedisIntegers.parse(argv.get(1));
        if (shard == null || shard < 0 || shard >= shards) {
            return answered(new RespWriter(32).error(BackupRouting.NO_SUCH_SHARD).toByteArray());
        }
        List<byte[]> sent = new ArrayList<>(argv.size() - 1);
        sent.add(argv.get(0));
        sent.addAll(argv.subList(2, argv.size()));
        return single((int) (long) shard, spec, sent);
    }

    static ShardPlan single(int shard, CommandSpec spec, List<byte[]> argv) {
        return new ShardPlan(List.of(new Part(shard, spec, argv)), null, null);
    }

    static ShardPlan answered(byte[] reply) {
        return new ShardPlan(List.of(), null, reply);
    }

    private static ShardPlan everyShard(int shards, CommandSpec spec, List<byte[]> argv, Function<List<byte[]>, byte[]> merge) {
        List<Part> parts = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            parts.add(new Part(s, spec, argv));
        }
        return new ShardPlan(parts, merge, null);
    }

    /** Each shard's RANDOMKEY and DBSIZE, in one go, so the draw needs no second round. */
    private static ShardPlan randomKey(int shards, CommandSpec spec, List<byte[]> argv) {
        List<Part> parts = new ArrayList<>(2 * shards);
        for (int s = 0; s < shards; s++) {
            parts.add(new Part(s, spec, argv));
            parts.add(new Part(s, spec, List.of(DBSIZE)));
        }
        return new ShardPlan(parts, Merges::randomKey, null);
    }

    /** The cursor names the shard (see {@link ScanCursor}); that shard alone is scanned. */
    private static ShardPlan scan(int shards, CommandSpec spec, List<byte[]> argv) {
        Long cursor = ScanCursor.parse(argv.get(1));
        if (cursor == null || ScanCursor.shard(cursor) >= shards) {
            return answered(new RespWriter(32).error(ErrorReplies.INVALID_CURSOR).toByteArray());
        }
        int shard = ScanCursor.shard(cursor);
        List<byte[]> sent = new ArrayList<>(argv);
        sent.set(1, Long.toUnsignedString(ScanCursor.shardCursor(cursor)).getBytes(StandardCharsets.US_ASCII));
        return new ShardPlan(List.of(new Part(shard, spec, sent)), replies -> Merges.scan(replies.get(0), shard, shards), null);
    }

    /**
     * Splits the keys by shard, each shard's keys in the client's order: {@code stride} arguments
     * per key (MSET's key and value). For MGET the reply puts each value back at its key's place.
     */
    private static ShardPlan split(SlotMap map, CommandSpec spec, List<byte[]> argv, int[] keys, int stride,
                                   boolean reorder, Function<List<byte[]>, byte[]> merge) {
        int shards = map.shards().size();
        int[] partOfShard = new int[shards];
        java.util.Arrays.fill(partOfShard, -1);
        List<Part> parts = new ArrayList<>();
        int[] part = new int[keys.length];
        int[] element = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            int shard = map.shardIndexOfSlot(HashSlot.of(argv.get(keys[k])));
            if (partOfShard[shard] < 0) {
                partOfShard[shard] = parts.size();
                List<byte[]> partArgv = new ArrayList<>();
                partArgv.add(argv.get(0));
                parts.add(new Part(shard, spec, partArgv));
            }
            List<byte[]> partArgv = parts.get(partOfShard[shard]).argv();
            part[k] = partOfShard[shard];
            element[k] = (partArgv.size() - 1) / stride;
            for (int j = 0; j < stride; j++) {
                partArgv.add(argv.get(keys[k] + j));
            }
        }
        return new ShardPlan(parts, reorder ? replies -> Merges.reorder(replies, part, element) : merge, null);
    }

    /**
     * CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT name a slot instead of a key: the shard owning it;
     * a bad slot goes to the first shard, which refuses it with Redis's error.
     */
    private static int slotArgument(SlotMap map, List<byte[]> argv) {
        Long slot = RedisIntegers.parse(argv.get(2));
        return slot == null || slot < 0 || slot >= HashSlot.SLOT_COUNT ? 0 : map.shardIndexOfSlot((int) (long) slot);
    }
}
