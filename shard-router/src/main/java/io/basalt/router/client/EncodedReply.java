package io.basalt.router.client;

import java.nio.charset.StandardCharsets;

/**
 * Reads replies in the internal encoding ({@link io.basalt.router.reply.RespWriter}'s RESP3 with
 * RESP2-style nulls) as far as merging the parts of a split command needs: an error's text, an
 * integer, and where each element of an array starts and ends. The replies come from our own
 * shards; a malformed one is a bug and throws {@link IllegalArgumentException}.
 */
final class EncodedReply {

    private EncodedReply() {}

    static boolean isError(byte[] reply) {
        return reply.length > 0 && reply[0] == '-';
    }

    /** The text of an error reply, without '-' and CRLF. */
    static String errorText(byte[] reply) {
        return new String(reply, 1, lineEnd(reply, 1) - 1, StandardCharsets.UTF_8);
    }

    /** The value of an integer reply ({@code :n}). */
    static long integer(byte[] reply) {
        if (reply.length == 0 || reply[0] != ':') {
            throw new IllegalArgumentException("not an integer reply: " + preview(reply));
        }
        return number(reply, 1, lineEnd(reply, 1));
    }

    /**
     * The offsets of an array reply's elements: {@code [start0, start1, ..., end]}, n + 1 values
     * for n elements (a null array has none).
     */
    static int[] elements(byte[] reply, int at) {
        if (reply[at] != '*') {
            throw new IllegalArgumentException("not an array reply: " + preview(reply));
        }
        int end = lineEnd(reply, at + 1);
        long n = number(reply, at + 1, end);
        if (n < 0) {
            return new int[] {end + 2};
        }
        int[] offsets = new int[(int) n + 1];
        int p = end + 2;
        for (int i = 0; i < n; i++) {
            offsets[i] = p;
            p = skip(reply, p);
        }
        offsets[(int) n] = p;
        return offsets;
    }

    /** The payload of a bulk string at {@code at}, or null for a null. */
    static byte[] bulk(byte[] reply, int at) {
        if (reply[at] != '$') {
            throw new IllegalArgumentException("not a bulk string: " + preview(reply));
        }
        int end = lineEnd(reply, at + 1);
        long n = number(reply, at + 1, end);
        if (n < 0) {
            return null;
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(reply, end + 2, out, 0, (int) n);
        return out;
    }

    /** The offset just after the value that starts at {@code at}. */
    static int skip(byte[] r, int at) {
        byte type = r[at];
        int end = lineEnd(r, at + 1);
        switch (type) {
            case '$', '=', '!' -> {
                long n = number(r, at + 1, end);
                return n < 0 ? end + 2 : end + 2 + (int) n + 2;
            }
            case '*', '~', '>', '%', '&' -> {
                long n = number(r, at + 1, end);
                long items = type == '%' || type == '&' ? 2 * n : n;
                int p = end + 2;
                for (long i = 0; i < items; i++) {
                    p = skip(r, p);
                }
                return p;
            }
            default -> {
                return end + 2;
            }
        }
    }

    private static int lineEnd(byte[] r, int from) {
        for (int i = from; i + 1 < r.length; i++) {
            if (r[i] == '\r' && r[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("reply line without CRLF: " + preview(r));
    }

    private static long number(byte[] r, int from, int to) {
        return Long.parseLong(new String(r, from, to - from, StandardCharsets.US_ASCII));
    }

    private static String preview(byte[] r) {
        return new String(r, 0, Math.min(r.length, 40), StandardCharsets.UTF_8);
    }
}
