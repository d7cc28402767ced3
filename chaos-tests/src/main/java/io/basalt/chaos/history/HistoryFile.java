package io.basalt.chaos.history;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history on disk as JSON lines, so a run can be checked again, plotted or read by other tools
 * (jq, Jepsen's own viewers after a small conversion). One object per line:
 * <pre>
 * {"index":0,"process":3,"type":"INVOKE","f":"WRITE","key":"reg:1","value":17,"nanos":1200,"error":null}
 * {"type":"FAULT","nemesis":"kill-leader","description":"killed n2 (leader)","startNanos":5,"endNanos":9}
 * </pre>
 * Event lines carry every field of {@link Op}; {@code value} is null, a number or an array of
 * numbers. Fault lines have type FAULT, which no event has.
 */
public final class HistoryFile {

    private static final String FAULT = "FAULT";

    private HistoryFile() {}

    /** A file's events and fault windows. */
    public record Contents(History history, List<FaultWindow> faults) {}

    public static void write(Path file, History history, List<FaultWindow> faults) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (FaultWindow w : faults) {
                out.write(faultLine(w));
                out.write('\n');
            }
            for (Op op : history.events()) {
                out.write(eventLine(op));
                out.write('\n');
            }
        }
    }

    public static Contents read(Path file) throws IOException {
        List<Op> events = new ArrayList<>();
        List<FaultWindow> faults = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    if (FAULT.equals(o.get("type").getAsString())) {
                        faults.add(new FaultWindow(string(o, "nemesis"), string(o, "description"),
                            o.get("startNanos").getAsLong(), o.get("endNanos").getAsLong()));
                    } else {
                        events.add(event(o));
                    }
                } catch (JsonParseException | IllegalStateException | IllegalArgumentException
                         | NullPointerException | UnsupportedOperationException e) {
                    throw new IOException(file + ":" + lineNumber + ": not a history line: " + e.getMessage(), e);
                }
            }
        }
        return new Contents(History.of(events), List.copyOf(faults));
    }

    static String eventLine(Op op) throws IOException {
        StringWriter text = new StringWriter(96);
        try (JsonWriter w = new JsonWriter(text)) {
            w.setSerializeNulls(true);
            w.beginObject();
            w.name("index").value(op.index());
            w.name("process").value(op.process());
            w.name("type").value(op.type().name());
            w.name("f").value(op.f().name());
            w.name("key").value(op.key());
            w.name("value");
            if (op.value() == null) {
                w.nullValue();
            } else if (op.value() instanceof Long l) {
                w.value(l);
            } else {
                w.beginArray();
                for (Long l : op.listValue()) {
                    w.value(l);
                }
                w.endArray();
            }
            w.name("nanos").value(op.nanos());
            w.name("error").value(op.error());
            w.endObject();
        }
        return text.toString();
    }

    static String faultLine(FaultWindow f) throws IOException {
        StringWriter text = new StringWriter(96);
        try (JsonWriter w = new JsonWriter(text)) {
            w.setSerializeNulls(true);
            w.beginObject();
            w.name("type").value(FAULT);
            w.name("nemesis").value(f.nemesis());
            w.name("description").value(f.description());
            w.name("startNanos").value(f.startNanos());
            w.name("endNanos").value(f.endNanos());
            w.endObject();
        }
        return text.toString();
    }

    private static Op event(JsonObject o) {
        return new Op(o.get("index").getAsLong(), o.get("process").getAsInt(), Op.Type.valueOf(o.get("type").getAsString()),
            Op.Fn.valueOf(o.get("f").getAsString()), string(o, "key"), value(o.get("value")), o.get("nanos").getAsLong(),
            string(o, "error"));
    }

    private static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonArray()) {
            JsonArray array = e.getAsJsonArray();
            List<Long> values = new ArrayList<>(array.size());
            for (JsonElement v : array) {
                values.add(v.getAsLong());
            }
            return values;
        }
        return e.getAsLong();
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
