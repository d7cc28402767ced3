package io.basalt.router.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Redis's stringmatchlen semantics; the odd case-sensitive cases were checked against
 * redis-server 7.0.15's KEYS. Texts are given as chars 0-255, one byte each.
 */
class RedisGlobTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Case-sensitive, as KEYS and SCAN MATCH call it. */
    private static boolean m(String pattern, String s) {
        return RedisGlob.matches(bytes(pattern), bytes(s), false);
    }

    /** Case-insensitive, as CONFIG GET and COMMAND LIST FILTERBY PATTERN call it. */
    private static boolean nocase(String pattern, String s) {
        return RedisGlob.matches(bytes(pattern), bytes(s), true);
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

    /** The cases the gateway's former String matcher was tested with (CONFIG GET, COMMAND LIST). */
    @Test
    void gatewayCases() {
        // The gateway's own matcher answered true here; Redis's C code, and so this one, answers
        // false. Neither CONFIG GET nor COMMAND LIST ever matches an empty name.
        assertFalse(RedisGlob.matches("*", "", false));
        assertTrue(RedisGlob.matches("max*", "maxmemory", false));
        assertTrue(RedisGlob.matches("MAX*", "maxmemory", true));
        assertFalse(RedisGlob.matches("MAX*", "maxmemory", false));
        assertTrue(RedisGlob.matches("h?llo", "hello", false));
        assertFalse(RedisGlob.matches("h?llo", "hllo", false));
        assertTrue(RedisGlob.matches("h[ae]llo", "hallo", false));
        assertFalse(RedisGlob.matches("h[^e]llo", "hello", false));
        assertTrue(RedisGlob.matches("h[a-b]llo", "hbllo", false));
        assertTrue(RedisGlob.matches("h[b-a]llo", "hallo", false), "reversed range");
        assertTrue(RedisGlob.matches("h[A-B]llo", "hbllo", true));
        assertTrue(RedisGlob.matches("a\\*b", "a*b", false));
        assertFalse(RedisGlob.matches("a\\*b", "axb", false));
        assertTrue(RedisGlob.matches("*a*b*c", "xxaxxbxxc", false));
        assertFalse(RedisGlob.matches("*a*b*c", "xxaxxcxxb", false));
        assertTrue(RedisGlob.matches("a[bc", "ab", false), "an unclosed class runs to the end");
        assertTrue(RedisGlob.matches("client|*", "client|id", true));
        // A pattern that is exponential for naive recursion answers at once.
        assertFalse(RedisGlob.matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000), false));
    }

    /** nocase is C's tolower on both sides, in the C locale, with Redis's exceptions. */
    @Test
    void nocaseFoldsAsciiOnlyLikeCTolower() {
        assertTrue(nocase("MaXmEmOrY", "maxmemory"));
        assertTrue(nocase("maxmemory", "MAXMEMORY"));
        assertFalse(m("MaXmEmOrY", "maxmemory"));
        assertTrue(nocase("[M]ax", "max"));
        assertTrue(nocase("[^M]ax", "bax"));
        assertFalse(nocase("[^M]ax", "max"));
        assertTrue(nocase("\\M", "m")); // an escape outside a class still folds
        assertFalse(nocase("[\\M]", "m")); // but an escaped char inside a class does not, as in Redis
        assertTrue(nocase("[\\M]", "M"));
        assertTrue(nocase("[a-c]", "B"));
        assertTrue(nocase("[A-C]", "b"));
        // Redis orders the bounds first and lowers them after: "[Z-a]" and "[a-Z]" are both
        // 'Z'..'a' once ordered, then 'z'..'a' once lowered, which matches nothing.
        assertTrue(m("[Z-a]", "_"));
        assertTrue(m("[a-Z]", "_"));
        assertFalse(nocase("[Z-a]", "_"));
        assertFalse(nocase("[Z-a]", "m"));
        assertFalse(nocase("[a-Z]", "_"));
        assertFalse(nocase("[a-Z]", "z"));
        // Only A-Z fold: no Unicode or Latin-1 case mapping.
        assertFalse(nocase("\u00c9", "\u00e9"));
        assertTrue(nocase("\u00c9", "\u00c9"));
        // The same bounds hold without case: nesting limit and skip-longer-matches.
        assertFalse(nocase("*A".repeat(1100), "a".repeat(1100)));
        assertTrue(nocase("*A".repeat(900), "a".repeat(900)));
        assertFalse(nocase("*A".repeat(30) + "B", "a".repeat(60)));
    }

    @Test
    void stringOverloadMatchesUtf8Bytes() {
        assertFalse(RedisGlob.matches("caf?", "caf\u00e9", false)); // é is two UTF-8 bytes
        assertTrue(RedisGlob.matches("caf??", "caf\u00e9", false));
        assertTrue(RedisGlob.matches("caf\u00e9", "CAF\u00e9", true));
    }
}
