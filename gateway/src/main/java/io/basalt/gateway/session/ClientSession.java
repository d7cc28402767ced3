package io.basalt.gateway.session;

import java.net.InetSocketAddress;

/**
 * The state of one client connection that commands can see or change: what CLIENT INFO/LIST
 * print, the protocol HELLO chose, the name CLIENT SETNAME gave. Mutated only on the
 * connection's event loop; read by CLIENT LIST from other connections' loops, hence volatile.
 */
public final class ClientSession {

    private final long id;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final long createdMs;
    private volatile String name = "";
    private volatile int protocol = 2;
    private volatile long lastInteractionMs;
    private volatile String lastCommand = "NULL";
    private volatile boolean closeAfterReply;
    private volatile String libName = "";
    private volatile String libVersion = "";

    public ClientSession(long id, InetSocketAddress remote, InetSocketAddress local, long createdMs) {
        this.id = id;
        this.remote = remote;
        this.local = local;
        this.createdMs = createdMs;
        this.lastInteractionMs = createdMs;
    }

    public long id() { return id; }
    public InetSocketAddress remote() { return remote; }
    public InetSocketAddress local() { return local; }
    public long createdMs() { return createdMs; }

    /** CLIENT SETNAME / HELLO SETNAME; "" when unnamed. */
    public String name() { return name; }
    public void setName(String name) { this.name = name; }

    /** 2 or 3: the RESP version replies are written in. */
    public int protocol() { return protocol; }
    public void setProtocol(int protocol) {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("RESP" + protocol);
        }
        this.protocol = protocol;
    }

    public long lastInteractionMs() { return lastInteractionMs; }
    /** Lowercase full name of the last command, e.g. "client|list", as CLIENT LIST's cmd= shows. */
    public String lastCommand() { return lastCommand; }
    public void recordCommand(String fullName, long nowMs) {
        this.lastCommand = fullName;
        this.lastInteractionMs = nowMs;
    }

    /** CLIENT SETINFO lib-name / lib-ver (Redis 7.2 clients send these). */
    public String libName() { return libName; }
    public void setLibName(String libName) { this.libName = libName; }
    public String libVersion() { return libVersion; }
    public void setLibVersion(String libVersion) { this.libVersion = libVersion; }

    /** Set by QUIT: the connection closes once this command's reply is written. */
    public boolean closeAfterReply() { return closeAfterReply; }
    public void requestCloseAfterReply() { this.closeAfterReply = true; }

    private volatile boolean readOnly;

    /** READONLY was sent (READWRITE clears it): followers may serve this connection's reads. */
    public boolean readOnly() { return readOnly; }
    public void setReadOnly(boolean readOnly) { this.readOnly = readOnly; }

    /** RESET: back to a fresh connection's state (keeps id and addresses). */
    public void reset() {
        name = "";
        protocol = 2;
        readOnly = false;
    }
}
