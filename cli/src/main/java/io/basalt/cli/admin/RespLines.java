package io.basalt.cli.admin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reading the line-framed parts of a gateway's RESP replies, for the admin tools' own clients. */
final class RespLines {

    private RespLines() {}

    /** One CRLF-terminated line, without the CRLF; bounded so a bad peer cannot grow it forever. */
    static String line(InputStream in, int maxBytes) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the gateway closed the connection");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed reply line");
                }
                return sb.toString();
            }
            if (sb.length() >= maxBytes) {
                throw new IOException("reply line longer than " + maxBytes + " bytes");
            }
            sb.append((char) c);
        }
    }

    static long number(String s) throws IOException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("malformed number in reply: " + s);
        }
    }
}
