package io.basalt.cli.admin;

import io.basalt.cli.admin.RdbChunk.KeyType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an import did, counted per key; printed at the end. Key names kept are bounded. */
final class ImportSummary {

    /** Names listed per category at most: a file may hold millions of skipped keys. */
    static final int NAMES_MAX = 50;

    final Map<KeyType, Long> imported = new EnumMap<>(KeyType.class);
    long keysRead;
    long skippedExpired;
    long skippedExisting;
    long skippedOtherDb;
    final Map<String, Long> unsupported = new TreeMap<>();
    final List<String> unsupportedNames = new ArrayList<>();
    long errors;
    final List<String> errorMessages = new ArrayList<>();

    void imported(KeyType type) {
        imported.merge(type, 1L, Long::sum);
    }

    long importedTotal() {
        return imported.values().stream().mapToLong(Long::longValue).sum();
    }

    void unsupported(String typeName, byte[] key) {
        unsupported.merge(typeName, 1L, Long::sum);
        if (unsupportedNames.size() < NAMES_MAX) {
            unsupportedNames.add(printable(key) + " (" + typeName + ")");
        }
    }

    void error(byte[] key, String message) {
        errors++;
        if (errorMessages.size() < NAMES_MAX) {
            errorMessages.add(printable(key) + ": " + message);
        }
    }

    void print(PrintStream out) {
        out.println("imported " + importedTotal() + " keys of " + keysRead + " read");
        for (KeyType t : KeyType.values()) {
            if (t != KeyType.UNSUPPORTED) {
                out.printf("  %-12s %d%n", t.plural, imported.getOrDefault(t, 0L));
            }
        }
        out.println("skipped:");
        out.printf("  %-40s %d%n", "expired at import time", skippedExpired);
        out.printf("  %-40s %d%n", "already in Basalt (use --replace)", skippedExisting);
        if (skippedOtherDb > 0) {
            out.printf("  %-40s %d%n", "in another database than --db", skippedOtherDb);
        }
        long unsupportedTotal = unsupported.values().stream().mapToLong(Long::longValue).sum();
        out.printf("  %-40s %d%n", "unsupported type", unsupportedTotal);
        unsupported.forEach((type, n) -> out.printf("    %-38s %d%n", type, n));
        listNames(out, unsupportedNames, unsupportedTotal);
        out.printf("errors: %d%n", errors);
        listNames(out, errorMessages, errors);
    }

    private static void listNames(PrintStream out, List<String> names, long total) {
        for (String n : names) {
            out.println("    " + n);
        }
        if (total > names.size()) {
            out.println("    ... and " + (total - names.size()) + " more");
        }
    }

    /** A key as redis-cli shows it: printable ASCII as is, other bytes as \xNN, quoted. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder(key.length + 2).append('"');
        for (byte b : key) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
