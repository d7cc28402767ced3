package io.basalt.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.cli.compat.CompatibilityDoc.RedisCommand;
import io.basalt.cli.compat.CompatibilityDoc.Row;
import io.basalt.cli.compat.CompatibilityDoc.Status;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Site;
import io.basalt.router.command.CommandTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/compatibility.md must be what {@link CompatibilityDoc} builds from the code, so it cannot
 * drift; with -Dbasalt.writeCompatibilityDoc=true the test rewrites it instead.
 */
class CompatibilityDocTest {

    static final String REGENERATE = "mvn -B -ntp -o -q -pl cli -am test -Dtest=CompatibilityDocTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dbasalt.writeCompatibilityDoc=true";

    /** Surefire runs in the module's directory (cli/). */
    private static final Path DOC = Path.of("..", "docs", "compatibility.md");

    @Test
    void checkedInDocumentIsUpToDate() throws IOException {
        String built = CompatibilityDoc.generate();
        if (Boolean.getBoolean("basalt.writeCompatibilityDoc")) {
            Files.writeString(DOC, built, StandardCharsets.UTF_8);
            return;
        }
        String current = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        if (!built.equals(current)) {
            fail("docs/compatibility.md is out of date. Regenerate it with:\n" + REGENERATE);
        }
    }

    @Test
    void everyRedisCommandHasOneRowAndBasaltsCommandsCount() throws IOException {
        List<RedisCommand> redis = CompatibilityDoc.redisCommands();
        List<Row> rows = CompatibilityDoc.rows(redis, CompatibilityDoc.implemented(), CommandTable.standard());
        long topLevel = redis.stream().filter(c -> !c.name().contains("|")).count();
        assertTrue(topLevel > 200, "the Redis 7.0 list looks truncated: " + topLevel);
        assertEquals(topLevel, rows.size());
        assertEquals(Status.SUPPORTED, status(rows, "get"));
        assertEquals(Status.PARTIAL, status(rows, "sort"));
        assertEquals(Status.PARTIAL, status(rows, "object")); // ENCODING and HELP only
        assertEquals(Status.NOT_YET, status(rows, "acl"));
    }

    @Test
    void statusRules() {
        CommandTable table = new CommandTable(List.of(
            CommandSpec.builder("get", 2, Site.SHARD).keys(1, 1, 1).build(),
            CommandSpec.builder("sort", -2, Site.SHARD).keys(1, 1, 1).build(),
            CommandSpec.builder("object", -2, Site.SHARD).subcommands(
                CommandSpec.builder("object|encoding", 3, Site.SHARD).keys(2, 2, 1).build(),
                CommandSpec.builder("object|help", 2, Site.SHARD).build()).build(),
            CommandSpec.builder("hidden", 2, Site.SHARD).flags(CommandSpec.Flag.INTERNAL).build()));
        List<RedisCommand> redis = List.of(
            new RedisCommand("get", "string", ""), new RedisCommand("set", "string", ""),
            new RedisCommand("sort", "generic", ""), new RedisCommand("hidden", "generic", ""),
            new RedisCommand("object", "generic", ""), new RedisCommand("object|encoding", "generic", ""),
            new RedisCommand("object|freq", "generic", ""), new RedisCommand("object|help", "generic", ""));
        Set<String> implemented = Set.of("get", "sort", "object|encoding", "object|help", "hidden");
        List<Row> rows = CompatibilityDoc.rows(redis, implemented, table);
        assertEquals(Status.SUPPORTED, status(rows, "get"));
        assertEquals(Status.NOT_YET, status(rows, "set"));
        assertEquals(Status.PARTIAL, status(rows, "sort")); // from the notes map
        assertEquals(Status.NOT_YET, status(rows, "hidden")); // internal specs do not count
        Row object = rows.stream().filter(r -> r.command().name().equals("object")).findFirst().orElseThrow();
        assertEquals(Status.PARTIAL, object.status());
        assertEquals("subcommands ENCODING, HELP (2 of 3)", object.note());
        String md = CompatibilityDoc.generate(redis, implemented, table);
        assertTrue(md.contains("| **all** | 5 | 1 | 2 | 2 |"), md);
    }

    private static Status status(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.command().name().equals(name)).findFirst().orElseThrow().status();
    }
}
