package io.basalt.chaos.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks a 10.a.b.0/24 for a netns cluster that overlaps no address or route of this machine, so
 * two runs (and the machine's own networks) never clash. The first candidate comes from the PID,
 * so concurrent runs start from different places.
 */
final class Subnets {
    private Subnets() {}

    static int[] pickFree(long pid) throws IOException {
        List<long[]> taken = takenRanges();
        for (int i = 0; i < 5000; i++) {
            long n = (pid + i * 7919L) % 25600;
            int a = 100 + (int) (n / 256);
            int b = (int) (n % 256);
            long start = (10L << 24) | ((long) a << 16) | ((long) b << 8);
            long end = start + 255;
            boolean free = true;
            for (long[] r : taken) {
                if (r[0] <= end && start <= r[1]) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return new int[] {a, b};
            }
        }
        throw new IOException("no free 10.x.y.0/24 for the netns cluster");
    }

    /** Every IPv4 address and route on this machine, as [first, last] address ranges. */
    private static List<long[]> takenRanges() throws IOException {
        List<long[]> ranges = new ArrayList<>();
        String text = Shell.run("ip", "-4", "-o", "addr", "show") + "\n" + Shell.run("ip", "-4", "route", "show", "table", "all");
        for (String token : text.split("\\s+")) {
            if (token.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
                String[] parts = token.split("/");
                int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
                if (bits == 0) {
                    continue; // the default route covers everything but takes no addresses
                }
                long address = 0;
                for (String octet : parts[0].split("\\.")) {
                    address = (address << 8) | Integer.parseInt(octet);
                }
                long size = 1L << (32 - bits);
                long first = address & ~(size - 1) & 0xffffffffL;
                ranges.add(new long[] {first, first + size - 1});
            }
        }
        return ranges;
    }
}
