package io.basalt.router.raft;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;

/**
 * Size limits of what crosses Raft, shared by nodes and gateways so they agree.
 *
 * <p>Ratis refuses a log entry larger than its appender buffer ({@code
 * raft.server.log.appender.buffer.byte-limit}, 4 MiB by default) and a gRPC message larger than
 * {@code raft.grpc.message.size.max}. Basalt raises both, and the gateway refuses a single command
 * above {@link #COMMAND_BYTES_MAX} with a definite error before sending it, so a large value never
 * turns into an "outcome unknown". Redis accepts values up to 512 MiB; replicating one that large
 * through one Raft entry is out of scope for now.
 */
public final class RaftLimits {
    private RaftLimits() {}

    /** One command's encoded size at most (key, value and arguments). */
    public static final int COMMAND_BYTES_MAX = 16 << 20;
    /** One Raft entry at most: a whole command plus batch and entry overhead. */
    public static final int ENTRY_BYTES_MAX = 20 << 20;
    /**
     * The log's write buffer; Ratis requires it to hold a whole entry. One per group on a node,
     * so it is also what a group costs in buffer memory.
     */
    public static final int LOG_WRITE_BUFFER_BYTES = ENTRY_BYTES_MAX + (1 << 20);
    /** One gRPC message at most (an append carries at least one entry). */
    public static final int MESSAGE_BYTES_MAX = 64 << 20;

    /** Applies the limits to server or client properties. */
    public static void apply(RaftProperties p) {
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(ENTRY_BYTES_MAX));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(LOG_WRITE_BUFFER_BYTES));
        RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf(MESSAGE_BYTES_MAX));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(MESSAGE_BYTES_MAX));
    }
}
