package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The writer's decisions and its reply checking, against a fake server. */
class RdbImporterTest {

    private static final long NOW_MS = 1_000_000;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RdbChunk chunk(String key, KeyType type, long expireAtMs, int index, boolean last, String... items) {
        return new RdbChunk(0, b(key), type, expireAtMs, index, last, java.util.Arrays.stream(items).map(RdbImporterTest::b).toList(), null);
    }

    private record Run(List<String> commands, ImportSummary summary) {
    }

    private static Run run(boolean replace, boolean continueOnError, Function<String, String> answer, List<RdbChunk> chunks) throws Exception {
        try (FakeRespServer server = new FakeRespServer(answer);
             RespPipeline resp = new RespPipeline("127.0.0.1", server.port(), 3, 1 << 20, 10_000)) {
            ImportSummary summary = new ImportSummary();
            RdbImporter importer = new RdbImporter(resp, new CommandBuilder(1 << 20, 1024), replace, continueOnError, 0,
                () -> NOW_MS, summary);
            chunks.forEach(importer::accept);
            importer.finish();
            return new Run(List.copyOf(server.commands), summary);
        }
    }

    private static String ok(String command) {
        return command.startsWith("EXISTS") ? ":0\r\n" : command.startsWith("PEXPIREAT") || command.startsWith("RPUSH") ? ":1\r\n" : "+OK\r\n";
    }

    @Test
    void withoutReplaceExistingKeysAreSkippedAndOthersWrittenWithTheirExpiry() throws Exception {
        Run r = run(false, false, c -> c.equals("EXISTS old") ? ":1\r\n" : ok(c), List.of(
            chunk("old", KeyType.STRING, RdbChunk.NO_EXPIRY, 0, true, "v"),
            chunk("new", KeyType.STRING, NOW_MS + 5000, 0, true, "v"),
            chunk("gone", KeyType.STRING, NOW_MS, 0, true, "v"),
            new RdbChunk(0, b("s"), KeyType.UNSUPPORTED, RdbChunk.NO_EXPIRY, 0, true, List.of(), "stream"),
            new RdbChunk(1, b("other"), KeyType.STRING, RdbChunk.NO_EXPIRY, 0, true, List.of(b("v")), null)));
        assertEquals(List.of("EXISTS old", "EXISTS new", "SET new v", "PEXPIREAT new " + (NOW_MS + 5000)), r.commands());
        assertEquals(1, r.summary().skippedExisting);
        assertEquals(1, r.summary().skippedExpired);
        assertEquals(1, r.summary().skippedOtherDb);
        assertEquals(1L, r.summary().unsupported.get("stream"));
        assertEquals(1L, r.summary().imported.get(KeyType.STRING));
        assertEquals(5, r.summary().keysRead);
    }

    @Test
    void withReplaceABigKeyIsDeletedThenWrittenChunkByChunkInOrder() throws Exception {
        Run r = run(true, false, RdbImporterTest::ok, List.of(
            chunk("l", KeyType.LIST, RdbChunk.NO_EXPIRY, 0, false, "a", "b"),
            chunk("l", KeyType.LIST, RdbChunk.NO_EXPIRY, 1, false, "c"),
            chunk("l", KeyType.LIST, RdbChunk.NO_EXPIRY, 2, true, "d"),
            chunk("h", KeyType.HASH, RdbChunk.NO_EXPIRY, 0, true, "f", "v")));
        assertEquals(List.of("DEL l", "RPUSH l a b", "RPUSH l c", "RPUSH l d", "DEL h", "HSET h f v"), r.commands());
        assertEquals(1L, r.summary().imported.get(KeyType.LIST));
        assertEquals(1L, r.summary().imported.get(KeyType.HASH));
    }

    @Test
    void anErrorReplyStopsTheImportWithTheKeyName() {
        RdbImporter.ImportFailed e = assertThrows(RdbImporter.ImportFailed.class, () -> run(false, false,
            c -> c.startsWith("RPUSH bad") ? "-ERR command too large\r\n" : ok(c), List.of(
                chunk("bad", KeyType.LIST, RdbChunk.NO_EXPIRY, 0, true, "x"),
                chunk("fine", KeyType.STRING, RdbChunk.NO_EXPIRY, 0, true, "v"))));
        assertTrue(e.getMessage().contains("\"bad\"") && e.getMessage().contains("ERR command too large"), e.getMessage());
    }

    @Test
    void withContinueOnErrorAFailedKeyIsCountedOnceAndTheNextKeysImported() throws Exception {
        Run r = run(true, true, c -> c.startsWith("RPUSH bad a") ? "-WRONGTYPE nope\r\n" : ok(c), List.of(
            chunk("bad", KeyType.LIST, RdbChunk.NO_EXPIRY, 0, false, "a"),
            chunk("bad", KeyType.LIST, RdbChunk.NO_EXPIRY, 1, true, "b"),
            chunk("fine", KeyType.STRING, RdbChunk.NO_EXPIRY, 0, true, "v")));
        // commands already in flight when the error comes back are not recalled (pipelining)
        assertEquals(List.of("DEL bad", "RPUSH bad a"), r.commands().subList(0, 2));
        assertEquals(List.of("DEL fine", "SET fine v"), r.commands().subList(r.commands().size() - 2, r.commands().size()));
        assertEquals(1, r.summary().errors);
        assertTrue(r.summary().errorMessages.get(0).contains("WRONGTYPE nope"), r.summary().errorMessages.toString());
        assertEquals(null, r.summary().imported.get(KeyType.LIST));
        assertEquals(1L, r.summary().imported.get(KeyType.STRING));
    }

    @Test
    void keyNamesArePrintedLikeRedisCli() {
        assertEquals("\"a\\x00\\xff\\\"b\"", ImportSummary.printable(new byte[] {'a', 0, (byte) 0xff, '"', 'b'}));
    }
}
