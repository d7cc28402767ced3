package io.basalt.chaos.checker;

import io.basalt.chaos.history.Op;
import java.util.List;

/**
 * One thing that went wrong, for the summary and the report.
 *
 * @param kind e.g. "nonlinearizable", "lost", "phantom", "duplicate", "incompatible-reads"
 * @param key the key it happened on
 * @param description what was expected and what was seen, in a sentence
 * @param ops the events involved (invocations and completions), in history order
 */
public record Anomaly(String kind, String key, String description, List<Op> ops) {

    public Anomaly {
        ops = List.copyOf(ops);
    }
}
