package io.basalt.node.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated state of blocking commands: clients waiting on keys (Redis's
 * {@code db->blocking_keys}) and the replies of waiters that were served but not yet claimed by
 * their gateway. Part of the engine's state: every replica holds the same table, and it belongs
 * in snapshots ({@link #writeTo}, {@link #readFrom}).
 *
 * <p><b>Order.</b> A waiter's token grows with its place in the log, so token order is arrival
 * order; each key's queue is FIFO in that order, and is rebuilt from the token order on load.
 * Nothing here lets HashMap iteration order reach a reply: maps keyed by key bytes are only
 * looked up, and whatever is walked is a TreeMap or a queue.
 *
 * <p><b>Leases.</b> A waiter lives until its gateway unblocks it, its deadline passes, or its
 * lease (renewed by its gateway) runs out: a gateway that died leaves no waiter that would swallow
 * elements forever. Expired waiters and served replies are swept by engine time, so the sweep is
 * deterministic; before it runs, an expired waiter is already treated as absent.
 *
 * <p>Not thread-safe: the engine's single applier thread owns it.
 */
public final class WaitTable {

    private static final int FORMAT_VERSION = 1;
    /** Bounds a corrupt or hostile snapshot: more than this many waiters is refused on load. */
    private static final int ENTRIES_MAX = 1 << 24;
    /** How often expired entries are swept, engine milliseconds. */
    static final long SWEEP_INTERVAL_MS = 1_000;

    /** What a waiter pops from: decides which value type can serve it. */
    enum Kind { LIST, ZSET }

    /** One blocked command. {@code deadlineMs} is 0 for "forever" (timeout 0). */
    static final class Waiter {
        final long token;
        final Kind kind;
        final List<byte[]> argv;
        final List<byte[]> keys;
        final long deadlineMs;
        long leaseMs;

        Waiter(long token, Kind kind, List<byte[]> argv, List<byte[]> keys, long deadlineMs, long leaseMs) {
            this.token = token;
            this.kind = kind;
            this.argv = argv;
            this.keys = keys;
            this.deadlineMs = deadlineMs;
            this.leaseMs = leaseMs;
        }

        boolean expired(long nowMs) {
            return nowMs > leaseMs || (deadlineMs > 0 && nowMs > deadlineMs);
        }
    }

    /** A served waiter's reply, kept until claimed or {@code expiresMs}. */
    record Served(byte[] reply, long expiresMs) {}

    /** Key bytes with content equality, for lookups only. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final TreeMap<Long, Waiter> waiters = new TreeMap<>();
    private final Map<Key, ArrayDeque<Waiter>> byKey = new HashMap<>();
    private final TreeMap<Long, Served> served = new TreeMap<>();
    /** Keys that got a value while waited on, in the order they did; empty between commands. */
    private final LinkedHashSet<Key> ready = new LinkedHashSet<>();
    private long nextSweepMs;
    /** Bumped whenever a waiter is served or removed: lets pollers skip unchanged states. Not replicated. */
    private long version;

    // ---- waiters ---------------------------------------------------------------------------

    void add(Waiter w) {
        if (waiters.putIfAbsent(w.token, w) != null) {
            throw new IllegalStateException("token " + w.token + " is already waiting");
        }
        for (byte[] k : w.keys) {
            ArrayDeque<Waiter> q = byKey.computeIfAbsent(new Key(k), x -> new ArrayDeque<>());
            if (!q.contains(w)) { // BLPOP k k waits once on k, as Redis does
                q.addLast(w);
            }
        }
    }

    Waiter waiter(long token) {
        return waiters.get(token);
    }

    void remove(Waiter w) {
        if (waiters.remove(w.token) == null) {
            return;
        }
        version++;
        for (byte[] k : w.keys) {
            Key key = new Key(k);
            ArrayDeque<Waiter> q = byKey.get(key);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    byKey.remove(key);
                }
            }
        }
    }

    boolean isEmpty() {
        return waiters.isEmpty() && served.isEmpty();
    }

    int waiterCount() {
        return waiters.size();
    }

    /** The waiters on a key, oldest first (a copy: serving changes the queue). */
    List<Waiter> waitersOn(byte[] key) {
        ArrayDeque<Waiter> q = byKey.get(new Key(key));
        return q == null ? List.of() : new ArrayList<>(q);
    }

    // ---- ready keys (Redis's signalKeyAsReady) ---------------------------------------------

    /** Called by Db whenever a key gets a new value: marks it ready if someone waits on it. */
    void keyChanged(byte[] key) {
        if (!byKey.isEmpty()) {
            Key k = new Key(key);
            if (byKey.containsKey(k)) {
                ready.add(k);
            }
        }
    }

    /** The oldest ready key, removed from the ready set; null when none. */
    byte[] pollReady() {
        Iterator<Key> it = ready.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Key k = it.next();
        it.remove();
        return k.bytes;
    }

    void clearReady() {
        ready.clear();
    }

    /** Takes over another table's content (loading a snapshot); the version moves on. */
    void replaceWith(WaitTable o) {
        waiters.clear();
        byKey.clear();
        served.clear();
        ready.clear();
        o.waiters.values().forEach(this::add);
        served.putAll(o.served);
        nextSweepMs = o.nextSweepMs;
        version++;
    }

    // ---- served replies --------------------------------------------------------------------

    void served(Waiter w, byte[] reply, long expiresMs) {
        remove(w);
        served.put(w.token, new Served(reply, expiresMs));
    }

    Served servedReply(long token) {
        return served.get(token);
    }

    boolean claim(long token) {
        boolean had = served.remove(token) != null;
        if (had) {
            version++;
        }
        return had;
    }

    long version() {
        return version;
    }

    // ---- expiry ----------------------------------------------------------------------------

    /** Drops expired waiters and served replies, at most once per {@link #SWEEP_INTERVAL_MS}. */
    void sweep(long nowMs) {
        if (nowMs < nextSweepMs || isEmpty()) {
            return;
        }
        nextSweepMs = nowMs + SWEEP_INTERVAL_MS;
        List<Waiter> dead = new ArrayList<>();
        for (Waiter w : waiters.values()) {
            if (w.expired(nowMs)) {
                dead.add(w);
            }
        }
        dead.forEach(this::remove);
        if (served.values().removeIf(s -> nowMs > s.expiresMs())) {
            version++;
        }
    }

    // ---- snapshots -------------------------------------------------------------------------

    /** Writes the whole table (versioned format); the ready set is always empty between commands. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(FORMAT_VERSION);
        out.writeLong(nextSweepMs);
        out.writeInt(waiters.size());
        for (Waiter w : waiters.values()) {
            out.writeLong(w.token);
            out.writeByte(w.kind.ordinal());
            out.writeLong(w.deadlineMs);
            out.writeLong(w.leaseMs);
            writeList(out, w.argv);
            writeList(out, w.keys);
        }
        out.writeInt(served.size());
        for (Map.Entry<Long, Served> e : served.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue().expiresMs());
            writeBytes(out, e.getValue().reply());
        }
    }

    public static WaitTable readFrom(DataInput in) throws IOException {
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown WaitTable format " + version);
        }
        WaitTable t = new WaitTable();
        t.nextSweepMs = in.readLong();
        int n = count(in.readInt());
        for (int i = 0; i < n; i++) {
            long token = in.readLong();
            int kind = in.readUnsignedByte();
            if (kind >= Kind.values().length) {
                throw new IOException("unknown waiter kind " + kind);
            }
            long deadline = in.readLong();
            long lease = in.readLong();
            List<byte[]> argv = readList(in);
            List<byte[]> keys = readList(in);
            t.add(new Waiter(token, Kind.values()[kind], argv, keys, deadline, lease));
        }
        int s = count(in.readInt());
        for (int i = 0; i < s; i++) {
            long token = in.readLong();
            long expires = in.readLong();
            t.served.put(token, new Served(readBytes(in), expires));
        }
        return t;
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > ENTRIES_MAX) {
            throw new IOException("bad WaitTable count " + n);
        }
        return n;
    }

    private static void writeList(DataOutput out, List<byte[]> list) throws IOException {
        out.writeInt(list.size());
        for (byte[] b : list) {
            writeBytes(out, b);
        }
    }

    private static List<byte[]> readList(DataInput in) throws IOException {
        int n = count(in.readInt());
        List<byte[]> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            list.add(readBytes(in));
        }
        return list;
    }

    private static void writeBytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > Keyspace.PROTO_MAX_BULK_BYTES) {
            throw new IOException("bad WaitTable length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** For tests: same waiters (tokens, kinds, times, arguments), queues and served replies. */
    boolean sameAs(WaitTable o) {
        if (nextSweepMs != o.nextSweepMs || !waiters.keySet().equals(o.waiters.keySet())
                || !served.keySet().equals(o.served.keySet())) {
            return false;
        }
        for (Waiter w : waiters.values()) {
            Waiter v = o.waiters.get(w.token);
            if (w.kind != v.kind || w.deadlineMs != v.deadlineMs || w.leaseMs != v.leaseMs
                    || !sameBytes(w.argv, v.argv) || !sameBytes(w.keys, v.keys)) {
                return false;
            }
        }
        for (Map.Entry<Key, ArrayDeque<Waiter>> e : byKey.entrySet()) {
            ArrayDeque<Waiter> q = o.byKey.get(e.getKey());
            if (q == null || !e.getValue().stream().map(w -> w.token).toList().equals(q.stream().map(w -> w.token).toList())) {
                return false;
            }
        }
        for (Map.Entry<Long, Served> e : served.entrySet()) {
            Served v = o.served.get(e.getKey());
            if (v.expiresMs() != e.getValue().expiresMs() || !Arrays.equals(v.reply(), e.getValue().reply())) {
                return false;
            }
        }
        return byKey.size() == o.byKey.size();
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
