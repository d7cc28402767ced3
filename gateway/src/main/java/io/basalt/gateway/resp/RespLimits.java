package io.basalt.gateway.resp;

/**
 * Bounds on what one client may make the RESP request decoder hold. Every length or count read
 * off the wire is checked against one of these before anything is sized from it.
 *
 * @param inlineBytesMax    longest line the decoder scans for its terminator: an inline command
 *                          (bytes before its {@code \n}), a {@code *N} count line or a {@code $N}
 *                          length line (bytes before their {@code \r}). Redis's
 *                          {@code PROTO_INLINE_MAX_SIZE}, 64 KiB.
 * @param multibulkCountMax largest {@code *N} accepted. Redis 7.0 accepts up to {@code INT_MAX};
 *                          we default to 1024 * 1024 (Redis's limit before 7.0) because argument
 *                          count, not just bytes, costs memory (one array per argument).
 * @param bulkBytesMax      largest {@code $N} accepted: Redis's {@code proto-max-bulk-len}, 512 MiB.
 *                          At most {@code Integer.MAX_VALUE - 8} since an argument is one byte[].
 * @param commandBytesMax   most bytes one multibulk command may hold while it is assembled: the sum
 *                          over its arguments of their length plus {@link #ARG_OVERHEAD_BYTES}
 *                          each, counted from the declared lengths before the bytes arrive. Redis
 *                          has no per-command limit, only {@code client-query-buffer-limit} (1 GiB)
 *                          per connection; the default lets one maximal bulk plus 1 MiB of other
 *                          arguments through.
 */
public record RespLimits(int inlineBytesMax, int multibulkCountMax, int bulkBytesMax, long commandBytesMax) {

    /** Memory charged per argument on top of its bytes: a byte[] header plus a list slot. */
    public static final int ARG_OVERHEAD_BYTES = 24;

    public static final int INLINE_BYTES_MAX_DEFAULT = 64 * 1024;
    public static final int MULTIBULK_COUNT_MAX_DEFAULT = 1024 * 1024;
    public static final int BULK_BYTES_MAX_DEFAULT = 512 * 1024 * 1024;
    public static final long COMMAND_BYTES_MAX_DEFAULT = BULK_BYTES_MAX_DEFAULT + 1024L * 1024;

    public static final RespLimits DEFAULTS = new RespLimits(
            INLINE_BYTES_MAX_DEFAULT, MULTIBULK_COUNT_MAX_DEFAULT, BULK_BYTES_MAX_DEFAULT, COMMAND_BYTES_MAX_DEFAULT);

    public RespLimits {
        // The line scan reads inlineBytesMax + 2 bytes; keep that (and offsets) well inside an int.
        if (inlineBytesMax < 16 || inlineBytesMax > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("inlineBytesMax must be in [16, 64 MiB]: " + inlineBytesMax);
        }
        if (multibulkCountMax < 1) {
            throw new IllegalArgumentException("multibulkCountMax must be positive: " + multibulkCountMax);
        }
        if (bulkBytesMax < 0 || bulkBytesMax > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bulkBytesMax must be in [0, 2^31 - 9]: " + bulkBytesMax);
        }
        if (commandBytesMax < ARG_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("commandBytesMax must be at least " + ARG_OVERHEAD_BYTES + ": " + commandBytesMax);
        }
    }
}
