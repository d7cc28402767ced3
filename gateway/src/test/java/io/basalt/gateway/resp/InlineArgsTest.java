package io.basalt.gateway.resp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.basalt.gateway.resp.DecoderHarness.b;
import static io.basalt.gateway.resp.DecoderHarness.decode;
import static io.basalt.gateway.resp.DecoderHarness.error;
import static io.basalt.gateway.resp.DecoderHarness.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Inline command splitting. Each line was sent, terminated by CRLF, to redis-server 7.0.15:
 * one-argument results were read back through ECHO byte for byte, several-argument ones showed
 * as "wrong number of arguments for 'echo'", refusals as
 * "-ERR Protocol error: unbalanced quotes in request" and a closed connection.
 */
class InlineArgsTest {

    @Test
    void doubleQuotesUnderstandEscapes() {
        // redis: ECHO "a\x41\x4g\xZZ\n\r\t\b\a\\\"\q" -> $16 aAx4gxZZ\n\r\t\x08\x07\"q
        accepts("ECHO \"a\\x41\\x4g\\xZZ\\n\\r\\t\\b\\a\\\\\\\"\\q\"", "ECHO", "aAx4gxZZ\n\r\t\u0008\u0007\\\"q");
        accepts("ECHO \"a\\x\"", "ECHO", "ax");
        accepts("ECHO \"a\\x4\"", "ECHO", "ax4");
        accepts("ECHO \"\\x00\"", "ECHO", "\u0000");
        accepts("ECHO \"\\xfF\"", "ECHO", "\u00ff");
        accepts("ECHO \"\u00ff\u00fe\"", "ECHO", "\u00ff\u00fe");
    }

    @Test
    void singleQuotesUnderstandOnlyEscapedQuote() {
        // redis: ECHO 'it\'s \n \\ "x"' -> $14 it's \n \\ "x" (backslashes kept)
        accepts("ECHO 'it\\'s \\n \\\\ \"x\"'", "ECHO", "it's \\n \\\\ \"x\"");
        accepts("ECHO 'a\\x41'", "ECHO", "a\\x41");
    }

    @Test
    void quotesMayStartInsideAnArgument() {
        accepts("ECHO ab\"cd\"", "ECHO", "abcd");
        accepts("ECHO ab\"c d\"", "ECHO", "abc d");
        accepts("ECHO \"\"", "ECHO", "");
        accepts("ECHO ''", "ECHO", "");
    }

    @Test
    void separators() {
        accepts("ECHO \"a\"\tb", "ECHO", "a", "b");
        accepts("ECHO \"a\"\u000bb", "ECHO", "a", "b");
        // \v and \f are skipped between arguments but do not end an unquoted one
        accepts("ECHO a\u000bb", "ECHO", "a\u000bb");
        accepts("ECHO \u000ba", "ECHO", "a");
        accepts("ECHO \u000c\u000ba", "ECHO", "a");
        accepts("ECHO a\rb", "ECHO", "a", "b");
        accepts("ECHO a\r\r", "ECHO", "a");
        accepts("ECHO \u00c3(", "ECHO", "\u00c3(");
    }

    @Test
    void unbalancedQuotes() {
        for (String line : List.of("ECHO \"abc\"def", "ECHO 'abc'def", "ECHO \"abc", "ECHO 'abc", "ECHO \"abc\\\"",
                "ECHO ab\"cd\"e", "ECHO a\"b'c\"d")) {
            assertEquals(List.of(error("unbalanced quotes in request")), decode(b(line + "\r\n")), line);
        }
    }

    @Test
    void splitDirectly() {
        assertEquals(List.of(), InlineArgs.split(b("  \t\u000b "), 5));
        assertEquals(0, InlineArgs.split(new byte[0], 0).size());
        assertNull(InlineArgs.split(b("'x"), 2));
        // only the first `length` bytes count
        assertEquals(1, InlineArgs.split(b("abc def"), 3).size());
    }

    private static void accepts(String line, String... args) {
        assertEquals(List.of(raw(args)), decode(b(line + "\r\n")), line);
    }
}
