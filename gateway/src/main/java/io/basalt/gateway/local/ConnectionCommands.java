package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** PING, ECHO, HELLO, SELECT, QUIT and RESET: the connection's own state. */
final class ConnectionCommands {

    private final GatewayInfo info;

    ConnectionCommands(GatewayInfo info) {
        this.info = info;
    }

    /**
     * PING [message]. Arity -1 in the spec, but Redis refuses more than one message itself. In
     * pub/sub mode a RESP2 client gets ["pong", message] instead; that mode belongs to the
     * pub/sub handler, which answers PING there.
     */
    CompletableFuture<byte[]> ping(ClientSession session, List<byte[]> argv) {
        if (argv.size() > 2) {
            return Replies.error(ErrorReplies.wrongArity("ping"));
        }
        return argv.size() == 1 ? Replies.simple("PONG") : Replies.bulk(argv.get(1));
    }

    /** ECHO message. */
    CompletableFuture<byte[]> echo(ClientSession session, List<byte[]> argv) {
        return Replies.bulk(argv.get(1));
    }

    /**
     * HELLO [protover [AUTH username password] [SETNAME clientname]]. Checks in Redis's order:
     * protocol version, option syntax, credentials, name; only then switches the protocol, so the
     * reply (and nothing before it) is in the new protocol, and a refused HELLO changes nothing.
     */
    CompletableFuture<byte[]> hello(ClientSession session, List<byte[]> argv) {
        int version = 0;
        if (argv.size() >= 2) {
            Long v = RedisIntegers.parse(argv.get(1));
            if (v == null) {
                return Replies.error(LocalErrors.PROTOCOL_VERSION_NOT_INTEGER);
            }
            if (v < 2 || v > 3) {
                return Replies.error(ErrorReplies.NOPROTO);
            }
            version = (int) (long) v;
        }
        byte[] user = null;
        byte[] password = null;
        byte[] name = null;
        for (int j = 2; j < argv.size(); j++) {
            int more = argv.size() - 1 - j;
            String opt = RedisText.text(argv.get(j));
            if (opt.equalsIgnoreCase("AUTH") && more >= 2) {
                user = argv.get(j + 1);
                password = argv.get(j + 2);
                j += 2;
            } else if (opt.equalsIgnoreCase("SETNAME") && more >= 1) {
                name = argv.get(j + 1);
                j++;
            } else {
                return Replies.error(String.format(LocalErrors.HELLO_SYNTAX, opt));
            }
        }
        if (user != null && !authenticate(user, password)) {
            return Replies.error(LocalErrors.WRONGPASS);
        }
        if (name != null) {
            if (!RedisText.isPrintableNoSpace(name)) {
                return Replies.error(LocalErrors.BAD_CLIENT_NAME);
            }
            session.setName(RedisText.text(name));
        }
        if (version != 0) {
            session.setProtocol(version);
        }
        RespWriter w = new RespWriter(160);
        w.map(7);
        w.bulk("server").bulk("redis");
        w.bulk("version").bulk(info.redisVersion());
        w.bulk("proto").integer(session.protocol());
        w.bulk("id").integer(session.id());
        w.bulk("mode").bulk(info.cluster().enabled() ? "cluster" : "standalone");
        w.bulk("role").bulk("master");
        w.bulk("modules").array(0);
        return Replies.done(w);
    }

    /**
     * The gateway has no users or passwords yet, which is Redis with no requirepass: the
     * "default" user has nopass, so any password authenticates it, and every other user name is
     * refused with WRONGPASS, as redis-server 7.0 answers. Gateway AUTH/ACL will replace this.
     */
    private static boolean authenticate(byte[] user, byte[] password) {
        return RedisText.text(user).equals("default");
    }

    /**
     * SELECT index. Basalt has database 0 only: 0 is accepted, any other int is out of range (in
     * cluster mode Redis's own cluster error), a non-int is refused as Redis refuses it.
     */
    CompletableFuture<byte[]> select(ClientSession session, List<byte[]> argv) {
        Long v = RedisIntegers.parse(argv.get(1));
        if (v == null) {
            return Replies.error(ErrorReplies.NOT_INTEGER);
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return Replies.error(LocalErrors.INT_OUT_OF_RANGE);
        }
        if (v != 0) {
            boolean cluster = "yes".equals(info.config().get("cluster-enabled"));
            return Replies.error(cluster ? ErrorReplies.SELECT_NOT_ALLOWED : ErrorReplies.DB_INDEX_OUT_OF_RANGE);
        }
        return Replies.ok();
    }

    /** QUIT: +OK, then the connection closes once the reply is written. Arguments are ignored, as in Redis. */
    CompletableFuture<byte[]> quit(ClientSession session, List<byte[]> argv) {
        session.requestCloseAfterReply();
        return Replies.ok();
    }

    /**
     * RESET: back to a fresh connection (name cleared, RESP2), answered +RESET in RESP2. The
     * connection handler also drops its own per-connection state (MULTI, subscriptions, READONLY).
     */
    CompletableFuture<byte[]> reset(ClientSession session, List<byte[]> argv) {
        session.reset();
        return Replies.simple("RESET");
    }
}
