package io.basalt.gateway.resp;

/**
 * A reply in Basalt's internal encoding that does not parse, or that cannot be represented in
 * the target form (nesting too deep). Replies come from our own engine, so this means a bug
 * there or corruption in transit: the gateway should log it and answer the client with an error
 * of its own rather than forward the bytes. The message says what and where (byte offset from
 * the start of the reply).
 */
public final class MalformedReplyException extends IllegalArgumentException {

    public MalformedReplyException(String message) {
        super(message);
    }
}
