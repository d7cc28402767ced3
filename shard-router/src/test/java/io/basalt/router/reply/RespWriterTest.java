package io.basalt.router.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    private static String text(RespWriter w) {
        return new String(w.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesEveryTypeByteExact() {
        RespWriter w = new RespWriter(4);
        w.simple("OK").error("ERR x\r\ny").integer(-42).bulk("héllo").nullBulk().nullArray()
            .array(2).map(1).set(0).push(1).dbl(1.5).bool(true).bool(false).bigNumber("123")
            .verbatim("txt", "hi".getBytes(StandardCharsets.UTF_8)).pairs(1);
        assertEquals("+OK\r\n-ERR x  y\r\n:-42\r\n$6\r\nh\u00c3\u00a9llo\r\n$-1\r\n*-1\r\n"
            + "*2\r\n%1\r\n~0\r\n>1\r\n,1.5\r\n#t\r\n#f\r\n(123\r\n=6\r\ntxt:hi\r\n&1\r\n", text(w));
        assertEquals(0, w.reset().size());
    }

    @Test
    void binaryBulkIsCopiedExactly() {
        byte[] value = {0, '\r', '\n', (byte) 0xff};
        RespWriter w = new RespWriter().bulk(value);
        assertEquals("$4\r\n\u0000\r\n\u00ff\r\n", text(w));
    }
}
