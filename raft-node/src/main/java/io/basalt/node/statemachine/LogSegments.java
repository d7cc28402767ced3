package io.basalt.node.statemachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a group's Ratis log directory holds, read from its segment file names. */
final class LogSegments {

    /** Ratis's segment names: log_&lt;start&gt;-&lt;end&gt; when closed, log_inprogress_&lt;start&gt; when open. */
    private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

    private LogSegments() {}

    /** The first index still in the log, or 0 when there is no segment (nothing was purged). */
    static long firstIndex(Path currentDir) throws IOException {
        if (!Files.isDirectory(currentDir)) {
            return 0;
        }
        long first = Long.MAX_VALUE;
        try (Stream<Path> files = Files.list(currentDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    first = Math.min(first, Long.parseLong(m.group(1)));
                }
            }
        }
        return first == Long.MAX_VALUE ? 0 : first;
    }
}
