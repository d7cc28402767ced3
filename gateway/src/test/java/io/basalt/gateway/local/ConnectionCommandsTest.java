package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.gateway.session.ClientSession;
import org.junit.jupiter.api.Test;

class ConnectionCommandsTest {

    private final LocalTestSupport t = new LocalTestSupport();
    private final ClientSession s = t.connect(50000);

    /** HELLO's reply as redis-server 7.0.15 sends it in RESP3 (the internal encoding is RESP3). */
    private static String helloReply(int proto, long id) {
        return "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" + proto
                + "\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    @Test
    void ping() {
        assertEquals("+PONG\r\n", t.runText(s, "PING"));
        assertEquals("$2\r\nhi\r\n", t.runText(s, "ping", "hi"));
        assertEquals("$0\r\n\r\n", t.runText(s, "PING", ""));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", t.runText(s, "PING", "a", "b"));
    }

    @Test
    void echo() {
        assertEquals("$5\r\nhello\r\n", t.runText(s, "ECHO", "hello"));
        assertEquals("$0\r\n\r\n", t.runText(s, "ECHO", ""));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", t.runText(s, "ECHO"));
    }

    @Test
    void helloSwitchesProtocolBeforeItsReply() {
        assertEquals(2, s.protocol());
        assertEquals(helloReply(3, s.id()), t.runText(s, "HELLO", "3"));
        assertEquals(3, s.protocol());
        assertEquals(helloReply(3, s.id()), t.runText(s, "HELLO"));
        assertEquals(helloReply(2, s.id()), t.runText(s, "HELLO", "2"));
        assertEquals(2, s.protocol());
    }

    @Test
    void helloRefusalsChangeNothing() {
        assertEquals("-NOPROTO unsupported protocol version\r\n", t.runText(s, "HELLO", "4"));
        assertEquals("-NOPROTO unsupported protocol version\r\n", t.runText(s, "HELLO", "1"));
        assertEquals("-NOPROTO unsupported protocol version\r\n", t.runText(s, "HELLO", "-1"));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n", t.runText(s, "HELLO", "x"));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n", t.runText(s, "HELLO", "03"));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n",
                t.runText(s, "HELLO", "99999999999999999999"));
        assertEquals("-ERR Syntax error in HELLO option 'FOO'\r\n", t.runText(s, "HELLO", "3", "FOO"));
        assertEquals("-ERR Syntax error in HELLO option 'AUTH'\r\n", t.runText(s, "HELLO", "3", "AUTH", "default"));
        assertEquals("-ERR Syntax error in HELLO option 'SETNAME'\r\n", t.runText(s, "HELLO", "2", "SETNAME"));
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                t.runText(s, "HELLO", "3", "SETNAME", "a b"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                t.runText(s, "HELLO", "3", "AUTH", "alice", "secret", "SETNAME", "n"));
        assertEquals(2, s.protocol());
        assertEquals("", s.name());
    }

    @Test
    void helloAuthAsTheDefaultUserWithoutPasswordAndSetname() {
        // As redis-server with no requirepass: "default" has nopass, so any password is accepted.
        assertEquals(helloReply(3, s.id()), t.runText(s, "HELLO", "3", "AUTH", "default", "anything", "SETNAME", "app1"));
        assertEquals("app1", s.name());
        // Repeated options: the last SETNAME wins; "" removes the name.
        assertEquals(helloReply(2, s.id()), t.runText(s, "HELLO", "2", "SETNAME", "x", "setname", "y"));
        assertEquals("y", s.name());
        assertEquals(helloReply(2, s.id()), t.runText(s, "HELLO", "2", "SETNAME", ""));
        assertEquals("", s.name());
    }

    @Test
    void select() {
        assertEquals("+OK\r\n", t.runText(s, "SELECT", "0"));
        assertEquals("-ERR DB index is out of range\r\n", t.runText(s, "SELECT", "1"));
        assertEquals("-ERR DB index is out of range\r\n", t.runText(s, "SELECT", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.runText(s, "SELECT", "x"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.runText(s, "SELECT", "00"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.runText(s, "SELECT", "+0"));
        assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
                t.runText(s, "SELECT", "2147483648"));
    }

    @Test
    void quitAsksTheConnectionToCloseAfterTheReply() {
        assertFalse(s.closeAfterReply());
        assertEquals("+OK\r\n", t.runText(s, "QUIT"));
        assertTrue(s.closeAfterReply());
        ClientSession other = t.connect(50001);
        assertEquals("+OK\r\n", t.runText(other, "QUIT", "ignored", "args"));
        assertTrue(other.closeAfterReply());
    }

    @Test
    void resetReturnsToAFreshConnection() {
        t.runText(s, "HELLO", "3", "SETNAME", "worker");
        assertEquals("+RESET\r\n", t.runText(s, "RESET"));
        assertEquals(2, s.protocol());
        assertEquals("", s.name());
        assertFalse(s.closeAfterReply());
        assertEquals("-ERR wrong number of arguments for 'reset' command\r\n", t.runText(s, "RESET", "x"));
    }
}
