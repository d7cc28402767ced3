package io.basalt.router.client;

/**
 * A shard's {@code -BASALTMOVED <slot>}: the shard does not own the slot of the command's key (its
 * log says so), and did not execute the command. The routing client refreshes its slot map and
 * retries; clients never see this reply.
 */
final class Moved {

    private static final byte[] PREFIX = "-BASALTMOVED ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte[] FROZEN = ("-" + io.basalt.router.command.specs.InternalCommandSpecs.FROZEN_PREFIX)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Moved() {}

    /** Whether the reply is a frozen slot's "-TRYAGAIN slot N ...": refused unexecuted, retryable. */
    static boolean isFrozen(byte[] reply) {
        if (reply.length < FROZEN.length || reply[1] != 'T') {
            return false;
        }
        for (int i = 0; i < FROZEN.length; i++) {
            if (reply[i] != FROZEN[i]) {
                return false;
            }
        }
        return true;
    }

    /** The slot a BASALTMOVED reply names, or -1 for any other reply. */
    static int slot(byte[] reply) {
        if (reply.length < PREFIX.length + 3 || reply[1] != 'B') {
            return -1; // the common case costs two comparisons
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (reply[i] != PREFIX[i]) {
                return -1;
            }
        }
        int slot = 0;
        int i = PREFIX.length;
        for (; i < reply.length && reply[i] >= '0' && reply[i] <= '9' && slot < 1 << 20; i++) {
            slot = slot * 10 + (reply[i] - '0');
        }
        return i > PREFIX.length && i < reply.length && reply[i] == '\r' ? slot : -1;
    }
}
