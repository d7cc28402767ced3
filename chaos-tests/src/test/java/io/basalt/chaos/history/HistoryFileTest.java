package io.basalt.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path dir;

    @Test
    void everyKindOfEventAndFaultRoundTrips() throws IOException {
        List<Op> events = List.of(
            new Op(0, 0, Op.Type.INVOKE, Op.Fn.WRITE, "reg:0", 7L, 10, null),
            new Op(1, 1, Op.Type.INVOKE, Op.Fn.READ, "reg:0", null, 11, null),
            new Op(2, 0, Op.Type.OK, Op.Fn.WRITE, "reg:0", 7L, 20, null),
            new Op(3, 1, Op.Type.OK, Op.Fn.READ, "reg:0", null, 21, null),
            new Op(4, 2, Op.Type.INVOKE, Op.Fn.READ_LIST, "list:\"1\"\n", null, 30, null),
            new Op(5, 2, Op.Type.OK, Op.Fn.READ_LIST, "list:\"1\"\n", List.of(3L, Long.MAX_VALUE, -1L), 40, null),
            new Op(6, 3, Op.Type.INVOKE, Op.Fn.CAS, "reg:1", List.of(1L, 2L), 50, null),
            new Op(7, 3, Op.Type.INFO, Op.Fn.CAS, "reg:1", null, 60, "UNCERTAIN the command was sent…"),
            new Op(8, 4, Op.Type.INVOKE, Op.Fn.READ_SET, "set:0", null, 61, null),
            new Op(9, 4, Op.Type.FAIL, Op.Fn.READ_SET, "set:0", null, 62, "CLUSTERDOWN"),
            new Op(10, 5, Op.Type.INVOKE, Op.Fn.INCR, "ctr:0", null, 63, null),
            new Op(11, 5, Op.Type.OK, Op.Fn.INCR, "ctr:0", 1L, 64, null),
            new Op(12, 6, Op.Type.INVOKE, Op.Fn.APPEND, "list:0", List.of(), 70, null));
        List<FaultWindow> faults = List.of(
            new FaultWindow("kill-leader", "killed n2 (leader)", 15, 45),
            new FaultWindow("partition", "{n1} | {n2, n3}", 50, 69));
        Path file = dir.resolve("history.jsonl");

        HistoryFile.write(file, History.of(events), faults);
        HistoryFile.Contents back = HistoryFile.read(file);

        assertEquals(events, back.history().events());
        assertEquals(faults, back.faults());
        assertEquals(events.size() + faults.size(), Files.readAllLines(file).size(), "one line per event or fault");
        assertEquals(7, back.history().operations().size());
    }

    @Test
    void aBadLineNamesTheFileAndLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, HistoryFile.eventLine(new Op(0, 0, Op.Type.INVOKE, Op.Fn.READ, "k", null, 1, null))
            + "\n{\"index\":1,\"type\":\"OK\"}\n");
        IOException e = assertThrows(IOException.class, () -> HistoryFile.read(file));
        assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
    }
}
