package io.basalt.chaos.workload;

import io.basalt.chaos.history.Op;
import io.basalt.router.ErrorReplies;
import java.util.List;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Decides how a failed operation completed: FAIL (it certainly had no effect) or INFO (it may
 * have had an effect, now or later).
 *
 * <p>The two mistakes cost differently but both are bugs in the harness. Calling a write FAIL
 * when it may have been applied makes the checkers report anomalies Basalt did not commit (its
 * value shows up in a later read); calling a write INFO when it certainly was not applied lets a
 * real anomaly through (a refused write whose value shows up anyway is exactly the bug to find).
 * So a write is FAIL only on an error reply that Basalt (or Redis's protocol) defines as "not
 * executed", and INFO on everything else: the gateway's {@code UNCERTAIN} reply (a write that
 * timed out after being sent, {@code ErrorReplies.UNKNOWN_OUTCOME}), {@code ERR internal error}
 * (a handler or the gateway failed part way), a dropped connection, a socket timeout, a reply we
 * cannot decode, and any error text this class does not know.
 *
 * <p>A read has no effect, so any failed read is FAIL: it tells the checkers nothing either way.
 */
public final class Outcomes {

    private Outcomes() {}

    /**
     * Error replies (prefixes, without the leading '-') meaning the command was not executed.
     * CLUSTERDOWN: no leader was reachable, and the gateway only says so for a command it did
     * not get into the log (a write that was sent gets UNCERTAIN instead). "ERR the shard
     * refused": the leader's state machine rejected the entry before appending it. The rest are
     * Redis's own refusals, checked before a command runs (an engine error reply leaves the
     * keyspace unchanged).
     */
    private static final List<String> NOT_EXECUTED = List.of(
        firstWord(ErrorReplies.CLUSTERDOWN),
        // RoutingClient's text for a StateMachineException from the leader
        "ERR the shard refused the command",
        ErrorReplies.COMMAND_TOO_LARGE.substring(0, ErrorReplies.COMMAND_TOO_LARGE.indexOf(':')),
        "TRYAGAIN ",
        "MOVED ",
        "ASK ",
        "CROSSSLOT ",
        "READONLY ",
        "LOADING ",
        "BUSY ",
        "OOM ",
        "NOAUTH ",
        "WRONGPASS ",
        "NOPERM ",
        "WRONGTYPE ",
        "ERR syntax error",
        "ERR wrong number of arguments",
        "ERR unknown command",
        "ERR value is not an integer or out of range");

    private static String firstWord(String error) {
        return error.substring(0, error.indexOf(' ') + 1);
    }

    /** How an operation of kind {@code f} that threw {@code error} completed. */
    public static Op.Type classify(Op.Fn f, Throwable error) {
        if (isRead(f)) {
            return Op.Type.FAIL;
        }
        if (error instanceof JedisDataException && definitelyNotExecuted(error.getMessage())) {
            return Op.Type.FAIL;
        }
        return Op.Type.INFO;
    }

    /** Whether this server error text means the command was not executed. */
    public static boolean definitelyNotExecuted(String errorReply) {
        if (errorReply == null) {
            return false;
        }
        for (String prefix : NOT_EXECUTED) {
            if (errorReply.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure broke the connection (a reply may still be on its way on it). */
    public static boolean brokeConnection(Throwable error) {
        return error instanceof JedisConnectionException || !(error instanceof JedisDataException);
    }

    public static boolean isRead(Op.Fn f) {
        return switch (f) {
            case READ, READ_COUNTER, READ_SET, READ_LIST -> true;
            case WRITE, CAS, SWAP, INCR, ADD, APPEND -> false;
        };
    }

    /** The error text to record: the server's error line, or the exception's class and message. */
    public static String describe(Throwable error) {
        if (error instanceof JedisDataException) {
            return error.getMessage();
        }
        String message = error.getMessage();
        Throwable cause = error.getCause();
        String text = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (cause != null && cause != error) {
            text += " (" + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        // bounded: histories keep one per failed op
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
