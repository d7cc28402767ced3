package io.basalt.gateway.resp;

import java.nio.charset.StandardCharsets;

/**
 * The decoder's last message on a connection whose input broke the protocol. The connection
 * handler answers it with {@link #replyBytes()} ({@code -ERR Protocol error: <message>}), after
 * the replies of every command decoded before it, and then closes the connection, as Redis does.
 * The decoder discards all further input.
 *
 * @param message the text after "Protocol error: ", e.g. "invalid bulk length". One char per
 *                wire byte (ISO-8859-1): "expected '$', got 'X'" quotes the offending byte as
 *                Redis does, which may be any byte except CR and LF (those become spaces).
 */
public record RespProtocolError(String message) {

    public static final String TOO_BIG_INLINE = "too big inline request";
    public static final String UNBALANCED_QUOTES = "unbalanced quotes in request";
    public static final String TOO_BIG_MBULK_COUNT = "too big mbulk count string";
    public static final String INVALID_MULTIBULK_LENGTH = "invalid multibulk length";
    public static final String TOO_BIG_BULK_COUNT = "too big bulk count string";
    public static final String INVALID_BULK_LENGTH = "invalid bulk length";
    /** Basalt's own: Redis has no per-command bound (see {@link RespLimits#commandBytesMax()}). */
    public static final String TOO_BIG_COMMAND = "too big command";

    public RespProtocolError {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xff) {
                throw new IllegalArgumentException("protocol error text must be one line of ISO-8859-1: " + message);
            }
        }
    }

    /** Redis's text for a bulk header that does not start with '$'; CR and LF print as spaces, as Redis does. */
    static RespProtocolError expectedDollar(byte got) {
        char c = (got == '\r' || got == '\n') ? ' ' : (char) (got & 0xff);
        return new RespProtocolError("expected '$', got '" + c + "'");
    }

    /** The whole reply to write before closing: {@code -ERR Protocol error: <message>\r\n}. */
    public byte[] replyBytes() {
        return ("-ERR Protocol error: " + message + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
