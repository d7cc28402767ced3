package io.basalt.cli.admin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Counts the bytes the parser reads and prints a progress line (keys read, bytes read of the
 * file's size, rates) at most every {@code intervalNanos}; the caller ticks it once per chunk.
 */
final class ImportProgress {

    private final PrintStream out;
    private final long totalBytes;
    private final long intervalNanos;
    private final long startNanos;
    private long lastPrintNanos;
    private long bytesRead;

    ImportProgress(PrintStream out, long totalBytes, long intervalNanos) {
        this.out = out;
        this.totalBytes = totalBytes;
        this.intervalNanos = intervalNanos;
        this.startNanos = System.nanoTime();
        this.lastPrintNanos = startNanos;
    }

    /** {@code in}, counting what is read from it. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead++;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    bytesRead += n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                bytesRead += skipped;
                return skipped;
            }
        };
    }

    void tick(ImportSummary summary) {
        long now = System.nanoTime();
        if (now - lastPrintNanos >= intervalNanos) {
            lastPrintNanos = now;
            out.println(line(summary, now));
        }
    }

    String line(ImportSummary summary, long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        double percent = totalBytes > 0 ? 100.0 * bytesRead / totalBytes : 100.0;
        return String.format(Locale.ROOT, "import-rdb: %d keys read, %d imported, %s / %s (%.1f%%), %.0f keys/s, %s/s",
            summary.keysRead, summary.importedTotal(), size(bytesRead), size(totalBytes), percent,
            summary.keysRead / seconds, size((long) (bytesRead / seconds)));
    }

    long bytesRead() {
        return bytesRead;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
