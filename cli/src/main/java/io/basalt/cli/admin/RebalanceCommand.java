package io.basalt.cli.admin;

import io.basalt.proto.internal.MetaReply;
import io.basalt.proto.internal.MetaRequest;
import io.basalt.proto.internal.MetaShard;
import io.basalt.proto.internal.MetaState;
import io.basalt.proto.internal.SetDesired;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin rebalance}: evens out the cluster in three phases, each shown as it goes:
 * <ol>
 *   <li>replicas: moves replicas from the most to the least loaded nodes (zones kept distinct),
 *       through the metadata group's desired replicas, which its controller carries out one
 *       add-then-remove at a time;</li>
 *   <li>leaders: sets each shard's preferred leader so nodes lead about equally many shards; the
 *       controller transfers leadership;</li>
 *   <li>slots ({@code --slots even}): moves slots between shards with the online migration of
 *       {@code basalt admin move-slots} until every shard owns 16384/N slots, give or take one.</li>
 * </ol>
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = "Even out replicas and leaders over nodes, and slots over shards, online.")
public final class RebalanceCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--slots", defaultValue = "even", paramLabel = "even|keys|none",
        description = "even: every shard gets 16384/N slots; keys: shards get about equally many keys (slots "
            + "weighed by their key counts); none: leave slots (default ${DEFAULT-VALUE}).")
    String slots;

    @Option(names = "--timeout-ms", defaultValue = "300000", description = "How long to wait for each phase.")
    long timeoutMs;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N",
        description = "Slots moved together under one freeze (default ${DEFAULT-VALUE}); see move-slots --batch.")
    int batch = 128;

    @Override
    public Integer call() throws Exception {
        GatewayAddress address = GatewayAddress.parse("rebalance", target);
        if (address == null) {
            return 2;
        }
        if (!slots.equals("even") && !slots.equals("keys") && !slots.equals("none")) {
            System.err.println("basalt admin rebalance: --slots must be even, keys or none");
            return 2;
        }
        try (MetaAdmin admin = new MetaAdmin(address, 30_000)) {
            MetaProgress progress = new MetaProgress(admin, System.out);
            MetaState state = admin.status().getState();
            List<ReplicaBalance.Move> moves = ReplicaBalance.plan(state);
            System.out.println("replicas: " + (moves.isEmpty() ? "balanced" : moves.size() + " move(s)"));
            for (ReplicaBalance.Move m : moves) {
                System.out.println("  shard " + m.shard() + ": replica " + m.from() + " -> " + m.to());
            }
            state = apply(admin, state, ReplicaBalance.desiredAfter(state, moves));
            progress.await("moving replicas", MetaAdmin::converged, timeoutMs);
            state = admin.status().getState();
            List<String> leaders = ReplicaBalance.preferredLeaders(state);
            int changed = 0;
            for (MetaShard s : state.getShardsList()) {
                if (!s.getPreferredLeader().equals(leaders.get(s.getIndex()))) {
                    changed++;
                }
            }
            System.out.println("leaders: " + (changed == 0 ? "balanced" : changed + " shard(s) get a new preferred leader"));
            if (changed > 0) {
                List<List<String>> same = new ArrayList<>();
                state.getShardsList().forEach(s -> same.add(s.getDesiredList()));
                applyLeaders(admin, state, same, leaders);
                progress.await("moving leaders", s -> leadersAre(s, leaders), timeoutMs);
            }
            if (!slots.equals("none")) {
                return moveSlots(admin);
            }
            return 0;
        } catch (IOException e) {
            System.err.println("basalt admin rebalance: " + e.getMessage() + " (rerun to resume)");
            return 1;
        }
    }

    private static MetaState apply(MetaAdmin admin, MetaState state, List<List<String>> desired) throws IOException {
        for (MetaShard s : state.getShardsList()) {
            List<String> next = desired.get(s.getIndex());
            if (next.equals(s.getDesiredList())) {
                continue;
            }
            String leader = next.contains(s.getPreferredLeader()) ? s.getPreferredLeader() : next.get(0);
            state = admin.write(MetaRequest.newBuilder().setSetDesired(SetDesired.newBuilder().setShard(s.getIndex())
                .addAllDesired(next).setPreferredLeader(leader)).build()).getState();
        }
        return state;
    }

    private static void applyLeaders(MetaAdmin admin, MetaState state, List<List<String>> desired, List<String> leaders)
            throws IOException {
        for (MetaShard s : state.getShardsList()) {
            if (!s.getPreferredLeader().equals(leaders.get(s.getIndex()))) {
                admin.write(MetaRequest.newBuilder().setSetDesired(SetDesired.newBuilder().setShard(s.getIndex())
                    .addAllDesired(desired.get(s.getIndex())).setPreferredLeader(leaders.get(s.getIndex()))).build());
            }
        }
    }

    private static boolean leadersAre(MetaReply status, List<String> leaders) {
        for (MetaShard s : status.getState().getShardsList()) {
            if (!leaders.get(s.getIndex()).equals(StatusCommand.leaderOf(status, s.getGroupId()))) {
                return false;
            }
        }
        return true;
    }

    /** Keys in each slot, asked of the shard owning it, 1024 slots per read. */
    private static long[] keysOfSlots(MetaAdmin admin, List<BitSet> owned) throws IOException {
        long[] keys = new long[io.basalt.router.slot.HashSlot.SLOT_COUNT];
        for (int shard = 0; shard < owned.size(); shard++) {
            List<String> batch = new ArrayList<>();
            BitSet b = owned.get(shard);
            for (int s = b.nextSetBit(0); s >= 0; s = b.nextSetBit(s + 1)) {
                batch.add(Integer.toString(s));
                if (batch.size() == 1024 || b.nextSetBit(s + 1) < 0) {
                    List<String> argv = new ArrayList<>();
                    argv.add(io.basalt.router.command.specs.InternalCommandSpecs.SLOTS_STATE);
                    argv.add(Integer.toString(shard));
                    argv.addAll(batch);
                    Object reply = admin.resp().call(argv.toArray(String[]::new));
                    if (!(reply instanceof List<?> list) || list.size() != 5 * batch.size()) {
                        throw new IOException("key counts of shard " + shard + ": " + reply);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        keys[Integer.parseInt(batch.get(i))] = (Long) list.get(5 * i + 4);
                    }
                    batch.clear();
                }
            }
        }
        return keys;
    }

    private int moveSlots(MetaAdmin admin) throws IOException, InterruptedException {
        int shards = admin.status().getState().getShardsCount();
        List<BitSet> owned = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            BitSet b = new BitSet();
            List<Long> r = admin.slotRangesWhenKnown(i, timeoutMs);
            for (int k = 0; k + 1 < r.size(); k += 2) {
                b.set(r.get(k).intValue(), r.get(k + 1).intValue() + 1);
            }
            owned.add(b);
        }
        List<SlotBalance.Move> moves = slots.equals("keys") ? SlotBalance.byKeys(owned, keysOfSlots(admin, owned))
            : SlotBalance.even(owned);
        System.out.println("slots: " + (moves.isEmpty() ? "balanced" : moves.size() + " move(s)"));
        for (SlotBalance.Move m : moves) {
            System.out.println("  " + m.slots().cardinality() + " slot(s) from shard " + m.from() + " to shard " + m.to()
                + ": " + SlotBalance.ranges(m.slots()));
            MoveSlotsCommand move = new MoveSlotsCommand();
            move.target = target;
            move.from = m.from();
            move.to = m.to();
            move.slots = SlotBalance.ranges(m.slots());
            move.pageBytes = 1 << 20;
            move.batch = batch;
            move.quiet = true;
            int rc = move.call();
            if (rc != 0) {
                return rc;
            }
        }
        return 0;
    }
}
