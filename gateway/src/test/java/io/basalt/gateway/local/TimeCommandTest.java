package io.basalt.gateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.gateway.session.ClientSession;
import org.junit.jupiter.api.Test;

class TimeCommandTest {

    @Test
    void secondsAndMicrosecondsAsBulkStringsFromTheInjectedClock() {
        LocalTestSupport t = new LocalTestSupport();
        ClientSession s = t.connect(50000);
        assertEquals("*2\r\n$10\r\n1795256130\r\n$6\r\n123456\r\n", t.runText(s, "TIME"));
        t.clockMicros.set(1_700_000_000_000_007L);
        assertEquals("*2\r\n$10\r\n1700000000\r\n$1\r\n7\r\n", t.runText(s, "TIME"));
        assertEquals("-ERR wrong number of arguments for 'time' command\r\n", t.runText(s, "TIME", "x"));
    }
}
