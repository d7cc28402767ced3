package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.gateway.session.ClientSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientCommandTest {

    /** A CLIENT LIST line from redis-server 7.0.15, for its field names and order. */
    private static final String REDIS_LINE = "id=4 addr=127.0.0.1:53936 laddr=127.0.0.1:7403 fd=7 name= age=0 idle=0 "
            + "flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 "
            + "rbp=16384 obl=0 oll=0 omem=0 tot-mem=37658 events=r cmd=client|info user=default redir=-1 resp=2";

    private final LocalTestSupport t = new LocalTestSupport();
    private final ClientSession s = t.connect(50000);

    private static String line(long id, int port, String name, long age, long idle, String cmd, int resp) {
        return "id=" + id + " addr=127.0.0.1:" + port + " laddr=127.0.0.1:6379 fd=0 name=" + name + " age=" + age
                + " idle=" + idle + " flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0"
                + " multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + cmd
                + " user=default redir=-1 resp=" + resp + "\n";
    }

    private static String verbatim(String text) {
        return "=" + (text.length() + 4) + "\r\ntxt:" + text + "\r\n";
    }

    private static List<String> fieldNames(String line) {
        return Arrays.stream(line.trim().split(" ")).map(f -> f.substring(0, f.indexOf('='))).toList();
    }

    @Test
    void idAndNames() {
        assertEquals(":1\r\n", t.runText(s, "CLIENT", "ID"));
        assertEquals("$-1\r\n", t.runText(s, "CLIENT", "GETNAME"));
        assertEquals("+OK\r\n", t.runText(s, "CLIENT", "SETNAME", "worker-1"));
        assertEquals("$8\r\nworker-1\r\n", t.runText(s, "client", "getname"));
        for (String bad : List.of("a b", "a\nb", "tab\there", "é", "\u007f")) {
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    t.runText(s, "CLIENT", "SETNAME", bad), bad);
        }
        assertEquals("worker-1", s.name());
        assertEquals("+OK\r\n", t.runText(s, "CLIENT", "SETNAME", ""));
        assertEquals("$-1\r\n", t.runText(s, "CLIENT", "GETNAME"));
        assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n", t.runText(s, "CLIENT", "SETNAME"));
    }

    @Test
    void infoIsThisConnectionsLineInRedisFieldOrder() {
        String expected = line(1, 50000, "", 0, 0, "client|info", 2);
        assertEquals(verbatim(expected), t.runText(s, "CLIENT", "INFO"));
        assertEquals(fieldNames(REDIS_LINE), fieldNames(expected));
    }

    @Test
    void listShowsEveryClientWithAgeIdleNameLastCommandAndProtocol() {
        ClientSession other = t.connect(50001);
        t.runText(other, "HELLO", "3", "SETNAME", "other");
        t.advanceMs(5_500);
        t.runText(s, "PING");
        t.advanceMs(2_000);
        String expected = line(1, 50000, "", 7, 0, "client|list", 2) + line(2, 50001, "other", 7, 7, "hello", 3);
        assertEquals(verbatim(expected), t.runText(s, "CLIENT", "LIST"));
        assertEquals(verbatim(expected), t.runText(s, "CLIENT", "LIST", "TYPE", "normal"));
        assertEquals(verbatim(""), t.runText(s, "CLIENT", "LIST", "TYPE", "PUBSUB"));
        assertEquals(verbatim(""), t.runText(s, "CLIENT", "LIST", "type", "replica"));
        assertEquals(verbatim(""), t.runText(s, "CLIENT", "LIST", "TYPE", "master"));
        assertEquals(verbatim(""), t.runText(s, "CLIENT", "LIST", "TYPE", "slave"));
        t.registry.close(other);
        assertEquals(verbatim(line(1, 50000, "", 7, 0, "client|list", 2)), t.runText(s, "CLIENT", "LIST"));
    }

    @Test
    void listById() {
        ClientSession other = t.connect(50001);
        String mine = line(1, 50000, "", 0, 0, "client|list", 2);
        String theirs = line(2, 50001, "", 0, 0, "NULL", 2);
        assertEquals(verbatim(theirs + mine + theirs), t.runText(s, "CLIENT", "LIST", "ID", "2", "1", "99", "2"));
        assertEquals(verbatim(""), t.runText(s, "CLIENT", "LIST", "id", "99"));
        assertEquals("-ERR Invalid client ID\r\n", t.runText(s, "CLIENT", "LIST", "ID", "1", "x"));
        assertEquals(2, other.id());
    }

    @Test
    void listSyntaxErrorsAsRedis() {
        assertEquals("-ERR Unknown client type 'bogus'\r\n", t.runText(s, "CLIENT", "LIST", "TYPE", "bogus"));
        assertEquals("-ERR syntax error\r\n", t.runText(s, "CLIENT", "LIST", "ID"));
        assertEquals("-ERR syntax error\r\n", t.runText(s, "CLIENT", "LIST", "foo"));
        assertEquals("-ERR syntax error\r\n", t.runText(s, "CLIENT", "LIST", "TYPE", "normal", "x"));
        assertEquals("-ERR syntax error\r\n", t.runText(s, "CLIENT", "LIST", "TYPE"));
    }

    @Test
    void addressesAsRedisPrintsThem() throws Exception {
        assertEquals("127.0.0.1:6379", ClientCommand.address(new InetSocketAddress("127.0.0.1", 6379)));
        assertEquals("[::1]:6379", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("::1"), 6379)));
        assertEquals("[fe80::1:2]:1", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("fe80:0:0:0:0:0:1:2"), 1)));
        assertEquals("[2001:db8::]:2", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("2001:db8::"), 2)));
        assertEquals("[1:0:2::3]:2", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("1:0:2:0:0:0:0:3"), 2)));
        assertEquals("[1:0:2:3:4:5:6:7]:2", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("1:0:2:3:4:5:6:7"), 2)));
        assertEquals("[::]:3", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("::"), 3)));
        assertEquals("[::1.2.3.4]:3", ClientCommand.address(new InetSocketAddress(InetAddress.getByName("::1.2.3.4"), 3)));
    }

    @Test
    void helpListsOnlyTheSubcommandsWeAnswerWithRedisWording() {
        String expected = "*19\r\n"
                + "+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+GETNAME\r\n+    Return the name of the current connection.\r\n"
                + "+ID\r\n+    Return the ID of the current connection.\r\n"
                + "+INFO\r\n+    Return information about the current client connection.\r\n"
                + "+LIST [options ...]\r\n+    Return information about client connections. Options:\r\n"
                + "+    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)\r\n+      Return clients of specified type.\r\n"
                + "+SETNAME <name>\r\n+    Assign the name <name> to the current connection.\r\n"
                + "+SETINFO <option> <value>\r\n+    Set client meta attr. Options are:\r\n"
                + "+    * LIB-NAME: the client lib name.\r\n+    * LIB-VER: the client lib version.\r\n"
                + "+HELP\r\n+    Prints this help.\r\n";
        assertEquals(expected, t.runText(s, "CLIENT", "HELP"));
    }
}
