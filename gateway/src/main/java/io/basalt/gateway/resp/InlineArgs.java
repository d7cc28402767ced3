package io.basalt.gateway.resp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an inline command line into arguments exactly as Redis's {@code sdssplitargs} does
 * (Redis 7.0 sds.c), checked byte for byte against redis-server 7.0.15:
 *
 * <ul>
 *   <li>Arguments are separated by runs of C {@code isspace} bytes (space, \t, \n, \v, \f, \r),
 *       but an unquoted argument ends only at space, \t, \n or \r: {@code a\vb} is one argument.
 *   <li>{@code "..."} understands \n \r \t \b \a, \xHH (two hex digits), and a backslash before
 *       any other byte stands for that byte ({@code "\q"} is {@code q}, {@code "\x4g"} is
 *       {@code x4g}).
 *   <li>{@code '...'} understands only \' ; every other backslash is literal.
 *   <li>Quotes may start inside an argument ({@code ab"c d"} is {@code abc d}), but a closing
 *       quote must be followed by a space byte or the end of the line, and every quote must be
 *       closed; otherwise the line is refused ({@code null}): "unbalanced quotes in request".
 *   <li>The line is a C string to Redis: a NUL byte ends it. Real Redis never gets that far (it
 *       looks for the line's end with strchr, which stops at the NUL, and waits for more input
 *       until the line is "too big"); we find the line end by length and then honour the NUL
 *       as sdssplitargs would: arguments stop there, and an open quote there is unbalanced.
 * </ul>
 */
final class InlineArgs {
    private InlineArgs() {}

    /** The arguments of {@code line[0, length)}, an empty list for a blank line, null for unbalanced quotes. */
    static List<byte[]> split(byte[] line, int length) {
        Splitter s = new Splitter(line, length);
        return s.split();
    }

    private static final class Splitter {
        private final byte[] line;
        private final int length;
        /** The argument being built; never longer than the line, as no step emits more bytes than it reads. */
        private final byte[] token;
        private int tokenLength;
        private int p;

        Splitter(byte[] line, int length) {
            this.line = line;
            this.length = length;
            this.token = new byte[length];
        }

        /** The byte at i, or 0 past the end: the C string's terminator. */
        private int at(int i) {
            return i < length ? line[i] & 0xff : 0;
        }

        List<byte[]> split() {
            List<byte[]> args = new ArrayList<>();
            while (true) {
                while (at(p) != 0 && isSpace(at(p))) {
                    p++;
                }
                if (at(p) == 0) {
                    return args;
                }
                if (!token()) {
                    return null;
                }
                args.add(Arrays.copyOf(token, tokenLength));
            }
        }

        /** Reads one argument starting at p; false on unbalanced quotes. */
        private boolean token() {
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            tokenLength = 0;
            while (!done) {
                int c = at(p);
                if (inDouble) {
                    if (c == '\\' && at(p + 1) == 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
                        emit((hexValue(at(p + 2)) << 4) | hexValue(at(p + 3)));
                        p += 3;
                    } else if (c == '\\' && at(p + 1) != 0) {
                        p++;
                        emit(unescape(at(p)));
                    } else if (c == '"') {
                        if (at(p + 1) != 0 && !isSpace(at(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        emit(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(p + 1) == '\'') {
                        p++;
                        emit('\'');
                    } else if (c == '\'') {
                        if (at(p + 1) != 0 && !isSpace(at(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        emit(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> emit(c);
                    }
                }
                if (at(p) != 0) {
                    p++;
                }
            }
            return true;
        }

        private void emit(int b) {
            token[tokenLength++] = (byte) b;
        }
    }

    private static int unescape(int c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    /** C isspace in the C locale; bytes 0x80-0xff are not spaces. */
    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(int c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
