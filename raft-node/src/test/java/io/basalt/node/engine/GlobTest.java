package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Redis's stringmatchlen semantics; the odd cases were checked against redis-server 7.0.15's KEYS. */
class GlobTest {

    private static boolean m(String pattern, String s) {
        return Glob.matches(Engine.bytes(pattern), Engine.bytes(s));
    }

    @Test
    void starAndQuestionMark() {
        assertFalse(m("*", "")); // as Redis's C code; KEYS and SCAN special-case a lone "*"
        assertTrue(m("*", "anything"));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h*llo", "hllo"));
        assertTrue(m("h*llo", "heeeello"));
        assertTrue(m("**a**", "xxaxx"));
        assertFalse(m("a*", ""));
        assertTrue(m("a*", "a"));
        assertFalse(m("?", ""));
        assertTrue(m("", ""));
        assertFalse(m("", "a"));
        assertTrue(m("*a*b", "aab"));
        assertFalse(m("*a*b", "aabc"));
    }

    @Test
    void classesRangesAndNegation() {
        assertTrue(m("h[ae]llo", "hello"));
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hbllo")); // reversed range
        assertFalse(m("h[a-b]llo", "hcllo"));
        assertTrue(m("[\\]]", "]"));
        assertTrue(m("[a\\-z]", "-"));
        assertFalse(m("[a\\-z]", "b"));
        assertTrue(m("[-a]", "-"));
        assertTrue(m("[a-]", "]")); // "a-]" is the range ']'..'a', as in Redis
        assertFalse(m("[a-]", "-"));
        assertTrue(m("[\u0080-\u00ff]", "\u00c3")); // bytes compare as signed chars, like C
        assertFalse(m("[\u0000-\u007f]", "\u00c3"));
        assertTrue(m("[\u00ff-\u0001]", "\u0000")); // -1..1 as signed chars
    }

    @Test
    void escapesAndUnterminatedClasses() {
        assertTrue(m("\\*", "*"));
        assertFalse(m("\\*", "a"));
        assertTrue(m("a\\", "a\\")); // a trailing backslash is literal
        assertTrue(m("\\?x", "?x"));
        assertTrue(m("[abc", "a")); // unterminated: the class runs to the end of the pattern
        assertTrue(m("[abc", "c"));
        assertFalse(m("[abc", "ab"));
        assertTrue(m("[^", "x"));
        assertFalse(m("[", "["));
        assertFalse(m("[", "x"));
    }

    @Test
    void abusivePatternsAreBounded() {
        String s = "a".repeat(60);
        String p = "*a".repeat(30) + "b";
        long start = System.nanoTime();
        assertFalse(m(p, s));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "skip-longer-matches keeps this fast");
        // Deeper than 1000 nested stars does not match, as in Redis.
        assertFalse(m("*a".repeat(1100), "a".repeat(1100)));
        assertTrue(m("*a".repeat(900), "a".repeat(900)));
    }

    @Test
    void keysUsesTheMatcher() {
        Engine e = new Engine();
        e.w("mset", "user:1", "a", "user:2", "b", "other", "c");
        String reply = e.r("keys", "user:[0-9]");
        assertTrue(reply.startsWith("*2\r\n"), reply);
        assertEquals("*0\r\n", e.r("keys", "user:[3-9]"));
        assertEquals("*3\r\n", e.r("keys", "*").substring(0, 4));
    }
}
