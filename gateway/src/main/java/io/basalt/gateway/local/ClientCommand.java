package io.basalt.gateway.local;

import io.basalt.gateway.session.ClientRegistry;
import io.basalt.gateway.session.ClientSession;
import io.basalt.router.ErrorReplies;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.basalt.router.text.RedisIntegers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CLIENT ID / SETNAME / GETNAME / INFO / LIST / SETINFO / HELP. */
final class ClientCommand {

    /** CLIENT HELP lines per subcommand, word for word from Redis (7.2 for SETINFO), in Redis's order. */
    private static final Map<String, List<String>> HELP = new LinkedHashMap<>();

    static {
        HELP.put("getname", List.of("GETNAME", "    Return the name of the current connection."));
        HELP.put("id", List.of("ID", "    Return the ID of the current connection."));
        HELP.put("info", List.of("INFO", "    Return information about the current client connection."));
        HELP.put("list", List.of(
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type."));
        HELP.put("setname", List.of("SETNAME <name>", "    Assign the name <name> to the current connection."));
        HELP.put("setinfo", List.of(
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version."));
    }

    private final ClientRegistry clients;
    private final List<String> helpLines;

    ClientCommand(GatewayInfo info, CommandSpec container) {
        this.clients = info.clients();
        this.helpLines = helpFor(container);
    }

    /** Help for the subcommands the spec table lists, so help never offers what we do not answer. */
    private static List<String> helpFor(CommandSpec container) {
        List<String> lines = new ArrayList<>();
        HELP.forEach((sub, text) -> {
            if (container != null && container.subcommands().stream().anyMatch(s -> s.shortName().equals(sub))) {
                lines.addAll(text);
            }
        });
        return List.copyOf(lines);
    }

    /** CLIENT ID */
    CompletableFuture<byte[]> id(ClientSession session, List<byte[]> argv) {
        return Replies.integer(session.id());
    }

    /** CLIENT GETNAME: the name, or null when unnamed. */
    CompletableFuture<byte[]> getname(ClientSession session, List<byte[]> argv) {
        String name = session.name();
        return name.isEmpty() ? Replies.done(new RespWriter().nullBulk()) : Replies.bulk(name.getBytes(StandardCharsets.UTF_8));
    }

    /** CLIENT SETNAME name: "" removes the name; spaces, newlines and non-printables are refused. */
    CompletableFuture<byte[]> setname(ClientSession session, List<byte[]> argv) {
        byte[] name = argv.get(2);
        if (!RedisText.isPrintableNoSpace(name)) {
            return Replies.error(LocalErrors.BAD_CLIENT_NAME);
        }
        session.setName(RedisText.text(name));
        return Replies.ok();
    }

    /**
     * CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients send it at connect and ignore a
     * failure). Stored on the session; CLIENT LIST keeps Redis 7.0's format, which has no
     * lib-name/lib-ver fields, as long as we report version 7.0.
     */
    CompletableFuture<byte[]> setinfo(ClientSession session, List<byte[]> argv) {
        String attr = RedisText.text(argv.get(2));
        byte[] value = argv.get(3);
        boolean libName = attr.equalsIgnoreCase("lib-name");
        if (!libName && !attr.equalsIgnoreCase("lib-ver")) {
            return Replies.error(String.format(LocalErrors.UNRECOGNIZED_OPTION, attr));
        }
        if (!RedisText.isPrintableNoSpace(value)) {
            return Replies.error(String.format(LocalErrors.BAD_CLIENT_ATTR, attr));
        }
        if (libName) {
            session.setLibName(RedisText.text(value));
        } else {
            session.setLibVersion(RedisText.text(value));
        }
        return Replies.ok();
    }

    /** CLIENT INFO: this connection's CLIENT LIST line. */
    CompletableFuture<byte[]> info(ClientSession session, List<byte[]> argv) {
        StringBuilder b = new StringBuilder(300);
        describe(b, session, clients.nowMs());
        return verbatim(b);
    }

    /**
     * CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]. As in Redis 7.0, TYPE and
     * ID do not combine, ID lists the given ids in the given order (repeats included, unknown
     * ones skipped), and anything else after LIST is a syntax error.
     */
    CompletableFuture<byte[]> list(ClientSession session, List<byte[]> argv) {
        long now = clients.nowMs();
        StringBuilder b = new StringBuilder(300);
        String opt = argv.size() > 2 ? RedisText.text(argv.get(2)) : "";
        if (argv.size() == 4 && opt.equalsIgnoreCase("type")) {
            String type = RedisText.text(argv.get(3)).toLowerCase(Locale.ROOT);
            switch (type) {
                case "normal" -> {
                    // Every gateway client is a normal client until pub/sub marks subscribers.
                    for (ClientSession s : clients.list()) {
                        describe(b, s, now);
                    }
                }
                case "master", "slave", "replica", "pubsub" -> { }
                default -> {
                    return Replies.error(String.format(LocalErrors.UNKNOWN_CLIENT_TYPE, RedisText.text(argv.get(3))));
                }
            }
        } else if (argv.size() > 3 && opt.equalsIgnoreCase("id")) {
            Map<Long, ClientSession> byId = new HashMap<>();
            for (ClientSession s : clients.list()) {
                byId.put(s.id(), s);
            }
            for (int j = 3; j < argv.size(); j++) {
                Long id = RedisIntegers.parse(argv.get(j));
                if (id == null) {
                    return Replies.error(LocalErrors.INVALID_CLIENT_ID);
                }
                ClientSession s = byId.get(id);
                if (s != null) {
                    describe(b, s, now);
                }
            }
        } else if (argv.size() != 2) {
            return Replies.error(ErrorReplies.SYNTAX);
        } else {
            for (ClientSession s : clients.list()) {
                describe(b, s, now);
            }
        }
        return verbatim(b);
    }

    /** CLIENT HELP */
    CompletableFuture<byte[]> help(ClientSession session, List<byte[]> argv) {
        return Replies.help("CLIENT", helpLines);
    }

    private static CompletableFuture<byte[]> verbatim(StringBuilder text) {
        return Replies.done(new RespWriter(text.length() + 16).verbatim("txt", text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Appends one CLIENT LIST line (with its '\n') in Redis 7.0's field order. Fields the gateway
     * does not track (buffers, memory, fd) are 0; the ones that describe features it does not
     * have (subscriptions, MULTI, tracking redirect) have the values of a client not using them.
     */
    static void describe(StringBuilder b, ClientSession s, long nowMs) {
        long ageSeconds = nowMs / 1000 - s.createdMs() / 1000;
        long idleSeconds = nowMs / 1000 - s.lastInteractionMs() / 1000;
        b.append("id=").append(s.id())
            .append(" addr=").append(address(s.remote()))
            .append(" laddr=").append(address(s.local()))
            .append(" fd=0")
            .append(" name=").append(s.name())
            .append(" age=").append(ageSeconds)
            .append(" idle=").append(idleSeconds)
            .append(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0")
            .append(" rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r")
            .append(" cmd=").append(s.lastCommand())
            .append(" user=default redir=-1")
            .append(" resp=").append(s.protocol())
            .append('\n');
    }

    /** "ip:port" as Redis prints it: inet_ntop's text, IPv6 in brackets. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString()
                : ip instanceof Inet6Address ? inetNtop6(ip.getAddress()) : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** glibc's inet_ntop for IPv6: lowercase hex, the longest run of two or more zero groups as "::". */
    static String inetNtop6(byte[] addr) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && words[i] == 0) {
                i++;
            }
            if (i - start > bestLen) {
                bestBase = start;
                bestLen = i - start;
            }
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder b = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                b.append(':');
                i += bestLen - 1;
                if (i == 7) {
                    b.append(':');
                }
                continue;
            }
            if (i > 0) {
                b.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                // IPv4-compatible or -mapped address: the last 32 bits as a dotted quad.
                b.append(addr[12] & 0xff).append('.').append(addr[13] & 0xff).append('.')
                    .append(addr[14] & 0xff).append('.').append(addr[15] & 0xff);
                break;
            }
            b.append(Integer.toHexString(words[i]));
        }
        return b.toString();
    }
}
