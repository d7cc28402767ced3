package io.basalt.node.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/** fsync of files and directories, and the atomic rename that publishes a finished directory. */
final class Durable {

    private Durable() {}

    static void fsync(Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw e;
            }
            // some file systems refuse to open a directory for fsync; the rename is still atomic
        }
    }

    /** fsyncs every file under {@code dir} and the directories themselves. */
    static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                fsync(p);
            }
        }
    }

    /** Renames a finished directory into place and makes the rename itself durable. */
    static void publish(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        fsync(to.getParent());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
