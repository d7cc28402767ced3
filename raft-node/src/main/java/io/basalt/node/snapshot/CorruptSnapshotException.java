package io.basalt.node.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot directory whose files do not match its manifest, or that has none. */
public final class CorruptSnapshotException extends IOException {

    public CorruptSnapshotException(Path dir, String what) {
        super("snapshot " + dir.getFileName() + ": " + what);
    }
}
