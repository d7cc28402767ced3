package io.basalt.gateway.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One decoded client command: its arguments exactly as the client sent them, name first
 * (never empty: the decoder skips empty lines and {@code *0}). Arguments are raw bytes, binary
 * safe; the decoder hands them over and keeps no reference, so the receiver owns the arrays and
 * must not expect anyone else to copy them. Equality compares argument contents.
 */
public record RespCommand(List<byte[]> args) {

    public RespCommand {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command has at least its name");
        }
        args = Collections.unmodifiableList(args);
    }

    public static RespCommand of(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new RespCommand(Arrays.asList(bytes));
    }

    public int size() {
        return args.size();
    }

    public byte[] arg(int index) {
        return args.get(index);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RespCommand other) || other.args.size() != args.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            if (!Arrays.equals(args.get(i), other.args.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (byte[] a : args) {
            h = 31 * h + Arrays.hashCode(a);
        }
        return h;
    }

    /** Arguments quoted with non-printable bytes escaped, cut after 256 bytes each: for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RespCommand[");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            appendQuoted(sb, args.get(i), 256);
        }
        return sb.append(']').toString();
    }

    static void appendQuoted(StringBuilder sb, byte[] bytes, int limit) {
        sb.append('"');
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            int b = bytes[i] & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > limit) {
            sb.append("...(").append(bytes.length).append(" bytes)");
        }
        sb.append('"');
    }
}
