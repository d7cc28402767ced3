package io.basalt.cli.admin;

import io.basalt.router.command.specs.InternalCommandSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt admin move-slots --target HOST:PORT --from N --to M --slots A-B}: moves slots
 * from one shard to another while the cluster serves (docs/ARCHITECTURE.md, "Moving slots
 * between shards"). Per slot, every step is an entry of a shard's log:
 * <ol>
 *   <li>target {@code disown} (drops what an earlier attempt left there), source
 *       {@code migrate-start} (records changed keys from now on);</li>
 *   <li>copy: source {@code export} pages become target {@code put}s, while the slot takes writes;</li>
 *   <li>source {@code freeze}: writes to the slot get -TRYAGAIN, which gateways retry;</li>
 *   <li>source {@code export-changed} pages (deletions included) become target {@code put}s;</li>
 *   <li>source {@code disown} (deletes its copy), target {@code own}: the gateways' retries land
 *       there. The pause (writes refused) is freeze to own.</li>
 * </ol>
 * Rerunning after a failure resumes from what the shards report ({@code basalt.slots.state}): a
 * frozen slot was copied already, a slot neither owns is waiting for the target's own.
 */
@Command(name = "move-slots", mixinStandardHelpOptions = true,
    description = "Move slots from one shard to another of a running cluster, online.")
public final class MoveSlotsCommand implements Callable<Integer> {

    static final int REPLY_TIMEOUT_MS = 30_000;

    @Option(names = "--target", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
        description = "A gateway's Redis protocol address (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--from", required = true, paramLabel = "N", description = "The shard the slots leave (0-based).")
    int from;

    @Option(names = "--to", required = true, paramLabel = "M", description = "The shard that takes them.")
    int to;

    @Option(names = "--slots", required = true, paramLabel = "A-B[,C-D...]", description = "The slots to move.")
    String slots;

    @Option(names = "--page-bytes", defaultValue = "1048576", description = "Bytes of records per copy page (default ${DEFAULT-VALUE}).")
    int pageBytes;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
        description = "Slots moved together, sharing one freeze (default ${DEFAULT-VALUE}): fewer steps for many slots "
            + "(a rebalance moves thousands), a longer pause for each.")
    int batch;

    /** Print one line per batch rather than per slot (rebalance). */
    boolean quiet;

    @Option(names = "--stop-after", hidden = true, paramLabel = "STEP",
        description = "Drills and tests: stop (exit 1) right after this step (migrate-start, freeze, disown) of the first slot it runs on.")
    String stopAfter;

    private long keys;
    private long bytes;
    private long longestPauseNanos;
    private int longestPauseSlot = -1;
    private int moved;

    /** A step refused by a shard. */
    static final class StepFailed extends IOException {
        StepFailed(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        GatewayAddress address = GatewayAddress.parse("move-slots", target);
        if (address == null) {
            return 2;
        }
        BitSet set = new BitSet();
        for (String range : slots.split(",")) {
            String[] ends = range.trim().split("-");
            try {
                int a = Integer.parseInt(ends[0]);
                int b = ends.length > 1 ? Integer.parseInt(ends[1]) : a;
                if (ends.length > 2 || a < 0 || b < a || b >= 16384) {
                    throw new NumberFormatException();
                }
                set.set(a, b + 1);
            } catch (NumberFormatException e) {
                System.err.println("basalt admin move-slots: invalid slot range '" + range + "'");
                return 2;
            }
        }
        if (from == to) {
            System.err.println("basalt admin move-slots: --from and --to are the same shard");
            return 2;
        }
        long started = System.nanoTime();
        try (RespCalls resp = new RespCalls(address.host(), address.port(), REPLY_TIMEOUT_MS)) {
            List<Integer> pending = new ArrayList<>();
            for (int slot = set.nextSetBit(0); slot >= 0; slot = set.nextSetBit(slot + 1)) {
                pending.add(slot);
                if (pending.size() >= Math.max(1, batch)) {
                    moveBatch(resp, pending);
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                moveBatch(resp, pending);
            }
        } catch (IOException e) {
            System.err.println("basalt admin move-slots: " + e.getMessage()
                + " (rerun the same command to resume: every step done is in the shards' logs)");
            summary(started);
            return 1;
        }
        summary(started);
        return 0;
    }

    private void summary(long started) {
        System.out.printf("moved %d slots from shard %d to shard %d: %d keys, %d bytes in %.1f s; longest pause %.1f ms%s%n",
            moved, from, to, keys, bytes, (System.nanoTime() - started) / 1e9, longestPauseNanos / 1e6,
            longestPauseSlot < 0 ? "" : " (slot " + longestPauseSlot + ")");
    }

    /**
     * Moves slots together: one migrate-start, one freeze, one disown and one own entry for all of
     * them (their copies and changed-key passes still go slot by slot). Slots found half-moved by
     * an earlier run are resumed one by one.
     */
    private void moveBatch(RespCalls resp, List<Integer> slots) throws IOException {
        if (slots.size() == 1) {
            moveSlot(resp, slots.get(0));
            return;
        }
        List<String> asked = new ArrayList<>();
        slots.forEach(slot -> asked.add(Integer.toString(slot)));
        long[] source = states(resp, from, asked);
        long[] dest = states(resp, to, asked);
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (source[5 * i] == 1 && dest[5 * i] == 0 && source[5 * i + 1] == 0 && source[5 * i + 2] == 0) {
                clean.add(asked.get(i));
            } else {
                moveSlot(resp, slots.get(i));
            }
        }
        if (clean.isEmpty()) {
            return;
        }
        long t = System.nanoTime();
        step(resp, InternalCommandSpecs.SLOTS_DISOWN, to, clean);
        step(resp, InternalCommandSpecs.SLOTS_MIGRATE_START, from, clean);
        // keys counted after migrate-start: a slot empty then needs no copy (what is written to it
        // from now on is in its changed keys, sent after the freeze)
        long[] started = states(resp, from, clean);
        long copied = 0;
        long copiedBytes = 0;
        for (int i = 0; i < clean.size(); i++) {
            if (started[5 * i + 4] > 0) {
                long[] c = copy(resp, InternalCommandSpecs.SLOTS_EXPORT, clean.get(i));
                copied += c[0];
                copiedBytes += c[1];
            }
        }
        long frozenAt = System.nanoTime();
        long copyNanos = frozenAt - t;
        step(resp, InternalCommandSpecs.SLOTS_FREEZE, from, clean);
        long[] frozen = states(resp, from, clean); // which slots changed during the copy
        for (int i = 0; i < clean.size(); i++) {
            if (frozen[5 * i + 3] > 0) {
                long[] c = copy(resp, InternalCommandSpecs.SLOTS_EXPORT_CHANGED, clean.get(i));
                copied += c[0];
                copiedBytes += c[1];
            }
        }
        step(resp, InternalCommandSpecs.SLOTS_DISOWN, from, clean);
        step(resp, InternalCommandSpecs.SLOTS_OWN, to, clean);
        long pause = System.nanoTime() - frozenAt;
        if (pause > longestPauseNanos) {
            longestPauseNanos = pause;
            longestPauseSlot = Integer.parseInt(clean.get(0));
        }
        keys += copied;
        bytes += copiedBytes;
        moved += clean.size();
        System.out.printf("slots %s-%s (%d): %d keys, %d bytes; copy %.1f ms, pause %.1f ms%n", clean.get(0),
            clean.get(clean.size() - 1), clean.size(), copied, copiedBytes, copyNanos / 1e6, pause / 1e6);
    }

    /** {@code basalt.slots.state} of many slots in one read: five integers per slot. */
    private long[] states(RespCalls resp, int shard, List<String> slots) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(InternalCommandSpecs.SLOTS_STATE);
        argv.add(Integer.toString(shard));
        argv.addAll(slots);
        Object reply = resp.call(argv.toArray(String[]::new));
        if (!(reply instanceof List<?> list) || list.size() != 5 * slots.size()) {
            throw new StepFailed("state of " + slots.size() + " slots on shard " + shard + ": " + describe(reply));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private void moveSlot(RespCalls resp, int slot) throws IOException {
        String s = Integer.toString(slot);
        long[] source = state(resp, from, s);
        long[] dest = state(resp, to, s);
        boolean sourceOwns = source[0] == 1;
        boolean destOwns = dest[0] == 1;
        if (destOwns && !sourceOwns) {
            System.out.println("slot " + slot + ": already on shard " + to);
            return;
        }
        if (destOwns) {
            throw new StepFailed("slot " + slot + " is owned by both shards " + from + " and " + to);
        }
        long copied = 0;
        long copiedBytes = 0;
        long copyNanos = 0;
        long frozenAt = 0;
        if (sourceOwns) {
            if (source[2] == 0) {
                long t = System.nanoTime();
                step(resp, InternalCommandSpecs.SLOTS_DISOWN, to, s);
                step(resp, InternalCommandSpecs.SLOTS_MIGRATE_START, from, s);
                long[] c = copy(resp, InternalCommandSpecs.SLOTS_EXPORT, s);
                copied += c[0];
                copiedBytes += c[1];
                copyNanos = System.nanoTime() - t;
                frozenAt = System.nanoTime();
                step(resp, InternalCommandSpecs.SLOTS_FREEZE, from, s);
            } else {
                System.out.println("slot " + slot + ": resuming a frozen slot (copied before)");
                frozenAt = System.nanoTime();
            }
            long[] c = copy(resp, InternalCommandSpecs.SLOTS_EXPORT_CHANGED, s);
            copied += c[0];
            copiedBytes += c[1];
            step(resp, InternalCommandSpecs.SLOTS_DISOWN, from, s);
        } else {
            System.out.println("slot " + slot + ": resuming: shard " + from + " gave it up, shard " + to + " takes it");
            frozenAt = System.nanoTime();
        }
        step(resp, InternalCommandSpecs.SLOTS_OWN, to, s);
        long pause = System.nanoTime() - frozenAt;
        if (pause > longestPauseNanos) {
            longestPauseNanos = pause;
            longestPauseSlot = slot;
        }
        keys += copied;
        bytes += copiedBytes;
        moved++;
        if (!quiet) {
            System.out.printf("slot %d: %d keys, %d bytes; copy %.1f ms, pause %.1f ms%n",
                slot, copied, copiedBytes, copyNanos / 1e6, pause / 1e6);
        }
    }

    /** Pages of an export from the source, each put on the target; returns {keys, bytes}. */
    private long[] copy(RespCalls resp, String export, String slot) throws IOException {
        byte[] cursor = new byte[0];
        long n = 0;
        long size = 0;
        while (true) {
            Object reply = resp.call(bytes(export), bytes(Integer.toString(from)), bytes(slot), cursor,
                bytes(Integer.toString(pageBytes)));
            if (!(reply instanceof List<?> page) || page.isEmpty() || !(page.get(0) instanceof Long more)) {
                throw new StepFailed(export + " " + slot + " on shard " + from + ": " + describe(reply));
            }
            if (page.size() > 1) {
                List<byte[]> put = new ArrayList<>(page.size() + 2);
                put.add(bytes(InternalCommandSpecs.SLOTS_PUT));
                put.add(bytes(Integer.toString(to)));
                put.add(bytes(slot));
                for (int i = 1; i < page.size(); i++) {
                    byte[] b = (byte[]) page.get(i);
                    put.add(b);
                    size += b.length;
                }
                Object r = resp.call(put.toArray(byte[][]::new));
                if (!(r instanceof Long)) {
                    throw new StepFailed("put of slot " + slot + " on shard " + to + ": " + describe(r));
                }
                n += (page.size() - 1) / 2;
                byte[] last = (byte[]) page.get(page.size() - 2);
                cursor = new byte[last.length + 1];
                cursor[0] = '>';
                System.arraycopy(last, 0, cursor, 1, last.length);
            }
            if (more == 0) {
                return new long[] {n, size};
            }
        }
    }

    private long[] state(RespCalls resp, int shard, String slot) throws IOException {
        Object reply = resp.call(InternalCommandSpecs.SLOTS_STATE, Integer.toString(shard), slot);
        if (!(reply instanceof List<?> list) || list.size() != 5) {
            throw new StepFailed("state of slot " + slot + " on shard " + shard + ": " + describe(reply));
        }
        long[] out = new long[5];
        for (int i = 0; i < 5; i++) {
            out[i] = (Long) list.get(i);
        }
        return out;
    }

    private void step(RespCalls resp, String command, int shard, List<String> slots) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(command);
        argv.add(Integer.toString(shard));
        argv.addAll(slots);
        Object reply = resp.call(argv.toArray(String[]::new));
        if (reply instanceof RespCalls.Error e) {
            throw new StepFailed(command + " of " + slots.size() + " slots on shard " + shard + ": " + e.text());
        }
    }

    private void step(RespCalls resp, String command, int shard, String slot) throws IOException {
        Object reply = resp.call(command, Integer.toString(shard), slot);
        if (reply instanceof RespCalls.Error e) {
            throw new StepFailed(command + " " + slot + " on shard " + shard + ": " + e.text());
        }
        boolean drillStep = shard == from || command.equals(InternalCommandSpecs.SLOTS_OWN);
        if (stopAfter != null && drillStep && command.equals("basalt.slots." + stopAfter)) {
            throw new StepFailed("stopped after " + stopAfter + " of slot " + slot + " as asked");
        }
    }

    private static String describe(Object reply) {
        return reply instanceof RespCalls.Error e ? e.text() : String.valueOf(reply);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
