/**
 * The RESP wire layer of the gateway: client bytes in, commands out; internal replies in,
 * client bytes out.
 *
 * <h2>Requests</h2>
 * {@link io.basalt.gateway.resp.RespRequestDecoder} (first in the channel pipeline, after TLS)
 * emits, in order, one {@link io.basalt.gateway.resp.RespCommand} per command and, on bad input,
 * one final {@link io.basalt.gateway.resp.RespProtocolError}; the connection handler writes
 * {@code RespProtocolError.replyBytes()} after the replies of the commands before it and closes.
 * Parsing follows Redis 7.0's networking.c; texts and edge cases were checked against
 * redis-server 7.0.15. Deliberate differences, all on input no real client sends:
 * <ul>
 *   <li>{@code *N} above {@link io.basalt.gateway.resp.RespLimits#multibulkCountMax()} (default
 *       1024 * 1024) is an "invalid multibulk length"; Redis 7.0 allows up to INT_MAX.
 *   <li>A line whose terminator is more than 64 KiB in is refused however it arrives; Redis
 *       refuses it only when 64 KiB pile up without a terminator, so it may accept such a line
 *       arriving in one read. Ours does not depend on how the bytes were split.
 *   <li>A NUL before a line's terminator: Redis's strchr stops there and the client hangs until
 *       64 KiB arrive; we read the line (a NUL ends an inline command's arguments, as
 *       sdssplitargs would; a count or length containing one is invalid).
 *   <li>A command whose declared bytes exceed commandBytesMax gets "too big command" (Redis
 *       only has its 1 GiB client-query-buffer-limit, which closes without a reply).
 * </ul>
 *
 * <h2>Replies</h2>
 * {@link io.basalt.gateway.resp.ReplyTranscoder} copies replies in the internal encoding
 * ({@code io.basalt.router.reply.RespWriter}) to RESP2 or RESP3 clients;
 * {@link io.basalt.gateway.resp.GrpcReplyConverter} turns them into {@code basalt.v1.Reply}.
 * Both validate as they go and throw {@link io.basalt.gateway.resp.MalformedReplyException}
 * rather than forward broken bytes.
 */
package io.basalt.gateway.resp;
