package io.basalt.node.engine;

/** Test helpers for reply text (bytes as chars 0-255): RESP3 → RESP2 and golden-file escapes. */
final class Resp {
    private Resp() {}

    /** Rewrites maps as flat arrays, which is all RESP3 the string engine produces. */
    static String toResp2(String reply) {
        StringBuilder out = new StringBuilder();
        int end = copy(reply, 0, out);
        if (end != reply.length()) {
            throw new IllegalArgumentException("trailing bytes after one reply: " + escape(reply));
        }
        return out.toString();
    }

    private static int copy(String s, int at, StringBuilder out) {
        int eol = s.indexOf("\r\n", at);
        char type = s.charAt(at);
        String head = s.substring(at + 1, eol);
        int next = eol + 2;
        switch (type) {
            case '$' -> {
                int n = Integer.parseInt(head);
                out.append(s, at, next);
                if (n >= 0) {
                    out.append(s, next, next + n + 2);
                    next += n + 2;
                }
                return next;
            }
            case '*', '%', '~', '&' -> { // '&': Basalt's array of pairs, flat for RESP2
                int n = Integer.parseInt(head);
                int items = type == '%' || type == '&' ? 2 * n : n;
                out.append('*').append(type == '%' || type == '&' ? items : head).append("\r\n");
                for (int i = 0; i < Math.max(items, 0); i++) {
                    next = copy(s, next, out);
                }
                return next;
            }
            case ',' -> { // a double: RESP2 sees a bulk string, as the gateway sends it
                out.append('$').append(head.length()).append("\r\n").append(head).append("\r\n");
                return next;
            }
            case '+', '-', ':' -> {
                out.append(s, at, next);
                return next;
            }
            default -> throw new IllegalArgumentException("unexpected reply type " + type + " in " + escape(s));
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c >= 32 && c < 127) {
                b.append(c);
            } else {
                b.append(String.format("\\x%02x", (int) c));
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case '\\' -> b.append('\\');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("bad escape in " + s);
            }
        }
        return b.toString();
    }
}
