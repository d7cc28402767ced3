package io.basalt.gateway.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the internal reply encoding into plain values for readable assertions: bulk strings
 * as String, integers as Long, nulls as null, arrays as List, and the RESP3-only shapes as the
 * records below. Throws on anything malformed, including trailing bytes.
 */
final class Resp {
    record Status(String text) {}
    record Err(String text) {}
    record RSet(List<Object> items) {}
    /** Keys and values alternating. */
    record RMap(List<Object> flat) {}
    record Verbatim(String format, String text) {}

    private final byte[] b;
    private int pos;

    private Resp(byte[] b) {
        this.b = b;
    }

    static Object decode(byte[] bytes) {
        Resp r = new Resp(bytes);
        Object v = r.value();
        if (r.pos != bytes.length) {
            throw new IllegalArgumentException("trailing bytes at " + r.pos);
        }
        return v;
    }

    private Object value() {
        char type = (char) b[pos++];
        String line = line();
        switch (type) {
            case '+': return new Status(line);
            case '-': return new Err(line);
            case ':': return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                return n < 0 ? null : bulk(n);
            }
            case '=': {
                String s = bulk(Integer.parseInt(line));
                return new Verbatim(s.substring(0, 3), s.substring(4));
            }
            case '*': {
                int n = Integer.parseInt(line);
                return n < 0 ? null : items(n);
            }
            case '~': return new RSet(items(Integer.parseInt(line)));
            case '%': return new RMap(items(2 * Integer.parseInt(line)));
            default: throw new IllegalArgumentException("type " + type + " at " + (pos - 1));
        }
    }

    private List<Object> items(int n) {
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(value());
        }
        return out;
    }

    private String bulk(int n) {
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        expectCrlf();
        return s;
    }

    private String line() {
        int start = pos;
        while (b[pos] != '\r') {
            pos++;
        }
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        expectCrlf();
        return s;
    }

    private void expectCrlf() {
        if (b[pos] != '\r' || b[pos + 1] != '\n') {
            throw new IllegalArgumentException("missing CRLF at " + pos);
        }
        pos += 2;
    }
}
