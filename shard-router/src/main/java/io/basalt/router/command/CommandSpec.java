package io.basalt.router.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What Basalt knows about one command before executing it: the single source that routing
 * (key positions), dispatch (site, name), arity checking, {@code COMMAND}/{@code COMMAND DOCS}
 * and ACLs all read. Values come from Redis's own command reference (see
 * scripts/gen-command-specs.py), so clients that introspect with COMMAND see what Redis says.
 *
 * <p>Arity follows Redis: a positive N means exactly N arguments including the command name, a
 * negative -N means at least N. A container command (CLIENT, CONFIG, ...) lists its
 * subcommands, whose names are {@code "container|sub"} as Redis prints them.
 */
public final class CommandSpec {

    /** Redis command flags, printed lowercase by COMMAND. */
    public enum Flag {
        WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE,
        SKIP_MONITOR, SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL,
        NO_MANDATORY_KEYS, PROTECTED, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY,
        /** Basalt-only: never listed by COMMAND; used between gateway and shard. */
        INTERNAL;

        public String redisName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a command executes. */
    public enum Site {
        /** Answered by the gateway itself (connection state, introspection, gateway config). */
        GATEWAY,
        /** Executed by the keyspace engine of the shard that owns the keys. */
        SHARD,
        /**
         * Sent to a shard like SHARD commands, but answered by the state machine of the replica that
         * serves it, about itself (SAVE, BGSAVE, LASTSAVE: its snapshots), not by the keyspace engine.
         */
        REPLICA
    }

    private final String name;
    private final int arity;
    private final Site site;
    private final Set<Flag> flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    /** For a numkeys command (Redis's "keynum" key spec): where the count is, 0 when none. */
    private final int numKeysIndex;
    private final int numKeysFirst;
    private final int numKeysStep;
    private final List<String> aclCategories;
    private final Docs docs;
    private final List<CommandSpec> subcommands;

    /** COMMAND DOCS fields. */
    public record Docs(String summary, String since, String group, String complexity) {}

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.site = b.site;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.numKeysIndex = b.numKeysIndex;
        this.numKeysFirst = b.numKeysFirst;
        this.numKeysStep = b.numKeysStep;
        this.aclCategories = List.copyOf(b.acl);
        this.docs = b.docs;
        this.subcommands = List.copyOf(b.subcommands);
        if (arity == 0) {
            throw new IllegalArgumentException(name + ": arity 0 is not a Redis arity");
        }
        if (firstKey < 0 || keyStep < 0 || (firstKey > 0 && keyStep == 0)) {
            throw new IllegalArgumentException(name + ": bad key positions " + firstKey + "," + lastKey + "," + keyStep);
        }
    }

    public static Builder builder(String name, int arity, Site site) {
        return new Builder(name, arity, site);
    }

    /** Lowercase name as Redis prints it; {@code "client|setname"} for a subcommand. */
    public String name() { return name; }

    /** The part after the '|' for a subcommand, else the name. */
    public String shortName() {
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(bar + 1);
    }

    public int arity() { return arity; }
    public Site site() { return site; }
    /** Whether the gateway sends it to a shard (SHARD or REPLICA). */
    public boolean runsOnShard() { return site != Site.GATEWAY; }
    public Set<Flag> flags() { return flags; }
    public boolean has(Flag flag) { return flags.contains(flag); }
    public boolean isWrite() { return flags.contains(Flag.WRITE); }
    public int firstKey() { return firstKey; }
    public int lastKey() { return lastKey; }
    public int keyStep() { return keyStep; }
    public List<String> aclCategories() { return aclCategories; }
    public Docs docs() { return docs; }
    public List<CommandSpec> subcommands() { return subcommands; }
    public boolean isContainer() { return !subcommands.isEmpty(); }

    /** True when {@code argc} (including the name) satisfies the arity. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /**
     * Positions of the key arguments in a command line of {@code argc} arguments, computed from
     * first/last/step as Redis does (a negative last counts from the end). Empty for keyless
     * commands. The caller has already checked arity.
     */
    public int[] keyPositions(int argc) {
        if (firstKey == 0) {
            return new int[0];
        }
        int last = lastKey >= 0 ? lastKey : argc + lastKey;
        last = Math.min(last, argc - 1);
        if (last < firstKey) {
            return new int[0];
        }
        int[] positions = new int[(last - firstKey) / keyStep + 1];
        for (int i = 0, p = firstKey; p <= last; p += keyStep) {
            positions[i++] = p;
        }
        return positions;
    }

    /**
     * Positions of the key arguments in a command line: {@link #keyPositions(int)}, or for a
     * command whose keys follow a count argument (SINTERCARD numkeys key ...; Redis's "keynum"
     * key spec, COMMAND INFO's first key 0) the keys that count names. A count that is not a
     * positive integer, or names more keys than there are arguments, gives no keys: the command
     * then fails on its own with its own error wherever it runs. A command with both (ZUNIONSTORE
     * destination numkeys key ...) has its fixed keys first, then the counted ones; a bad count
     * leaves the fixed keys alone.
     */
    /** True when some keys follow a count argument, so only the command line tells them. */
    public boolean hasCountedKeys() {
        return numKeysIndex != 0;
    }

    public int[] keyPositions(List<byte[]> argv) {
        if (numKeysIndex == 0) {
            return keyPositions(argv.size());
        }
        int[] fixed = firstKey == 0 ? new int[0] : keyPositions(Math.min(argv.size(), numKeysIndex));
        int[] counted = countedKeyPositions(argv);
        if (fixed.length == 0) {
            return counted;
        }
        int[] all = java.util.Arrays.copyOf(fixed, fixed.length + counted.length);
        System.arraycopy(counted, 0, all, fixed.length, counted.length);
        return all;
    }

    private int[] countedKeyPositions(List<byte[]> argv) {
        if (numKeysIndex >= argv.size()) {
            return new int[0];
        }
        long n = 0;
        byte[] count = argv.get(numKeysIndex);
        if (count.length == 0 || count.length > 9) {
            return new int[0];
        }
        for (byte b : count) {
            if (b < '0' || b > '9') {
                return new int[0];
            }
            n = n * 10 + (b - '0');
        }
        long last = numKeysFirst + (n - 1) * numKeysStep;
        if (n <= 0 || last >= argv.size()) {
            return new int[0];
        }
        int[] positions = new int[(int) n];
        for (int i = 0; i < n; i++) {
            positions[i] = numKeysFirst + i * numKeysStep;
        }
        return positions;
    }

    @Override
    public String toString() {
        return name;
    }

    public static final class Builder {
        private final String name;
        private final int arity;
        private final Site site;
        private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        private int firstKey;
        private int lastKey;
        private int keyStep;
        private int numKeysIndex;
        private int numKeysFirst;
        private int numKeysStep;
        private final List<String> acl = new ArrayList<>();
        private Docs docs = new Docs("", "", "", "");
        private final List<CommandSpec> subcommands = new ArrayList<>();

        private Builder(String name, int arity, Site site) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
            this.site = site;
        }

        public Builder flags(Flag... f) {
            flags.addAll(List.of(f));
            return this;
        }

        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /**
         * Keys named by a count (Redis's "keynum" key spec), absolute positions: the count at
         * {@code countIndex}, the first key at {@code first}, then every {@code step}.
         */
        public Builder numKeys(int countIndex, int first, int step) {
            this.numKeysIndex = countIndex;
            this.numKeysFirst = first;
            this.numKeysStep = step;
            return this;
        }

        /** ACL categories without the leading '@'. */
        public Builder acl(String... categories) {
            acl.addAll(List.of(categories));
            return this;
        }

        public Builder docs(String summary, String since, String group, String complexity) {
            this.docs = new Docs(summary, since, group, complexity);
            return this;
        }

        public Builder subcommands(CommandSpec... subs) {
            subcommands.addAll(List.of(subs));
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(this);
        }
    }
}
