package io.basalt.router;

/**
 * Error texts clients see, word for word as Redis 7 writes them (without the leading '-').
 * Errors are values: the engine and the gateway both reply with these, and tests compare them
 * byte for byte. Add a text here rather than inline so one place shows every error a client can
 * get.
 */
public final class ErrorReplies {
    private ErrorReplies() {}

    public static final String SYNTAX = "ERR syntax error";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String SELECT_NOT_ALLOWED = "ERR SELECT is not allowed in cluster mode";
    public static final String UNKNOWN_COMMAND = "ERR unknown command '%s', with args beginning with: %s";
    public static final String WRONG_ARITY = "ERR wrong number of arguments for '%s' command";
    public static final String UNKNOWN_SUBCOMMAND = "ERR unknown subcommand '%s'. Try %s HELP.";
    public static final String PROTOCOL_ERROR = "ERR Protocol error: %s";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
    /** Redis Cluster's answer when a slot has no serving node; the gateway's after a shard kept refusing a slot. */
    public static final String CLUSTER_IS_DOWN = "CLUSTERDOWN The cluster is down";
    public static final String INVALID_CURSOR = "ERR invalid cursor";

    /** A command too large to replicate as one Raft entry; refused before anything was sent. */
    public static final String COMMAND_TOO_LARGE = "ERR command too large: Basalt replicates at most %d bytes per command";

    /** A shard has no leader reachable right now (election in progress, majority lost). */
    public static final String CLUSTERDOWN = "CLUSTERDOWN The shard has no reachable leader, try again later";
    /**
     * A write was sent but no outcome arrived before the deadline: it may or may not have been
     * applied. Never retried silently, because re-executing e.g. INCR would apply it twice.
     */
    public static final String UNKNOWN_OUTCOME = "UNCERTAIN the command was sent but its outcome is unknown (timed out); it may or may not have been applied";

    public static String unknownCommand(String name, java.util.List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append('\'').append(a).append("' ");
        }
        return String.format(UNKNOWN_COMMAND, name, b);
    }

    public static String wrongArity(String specName) {
        return String.format(WRONG_ARITY, specName);
    }

    public static String unknownSubcommand(String sub, String container) {
        return String.format(UNKNOWN_SUBCOMMAND, sub, container.toUpperCase(java.util.Locale.ROOT));
    }
}
