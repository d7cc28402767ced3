package io.basalt.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random mixes of blocking pops, pushes, direct pops, unblocks, renewals and time jumps on two
 * replicas: same replies and same wait table on both, and every pushed element ends up exactly
 * once in a list, a direct pop, or one blocked client's reply (none lost, none served twice).
 */
class BlockingRandomTest {

    private static final String[] KEYS = {"a", "b", "c"};

    @Test
    void replicasAgreeAndNoElementIsLostOrDuplicated() throws IOException {
        long seed = Seeds.seed("BlockingRandomTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        Engine a = new Engine();
        Engine b = new Engine();
        List<String> tokens = new ArrayList<>();
        TreeMap<String, Integer> consumed = new TreeMap<>();
        int pushed = 0;
        java.util.Map<String, String> commandOf = new java.util.HashMap<>();
        // about 45 s of engine time in all: leases (30 s) run out, served replies (60 s) do not
        for (int step = 0; step < 2000; step++) {
            long advance = rnd.nextInt(10) == 0 ? rnd.nextInt(200) : rnd.nextInt(5);
            a.nowMs += advance;
            b.nowMs += advance;
            List<String> cmd = new ArrayList<>();
            String k = KEYS[rnd.nextInt(KEYS.length)];
            String k2 = KEYS[rnd.nextInt(KEYS.length)];
            switch (rnd.nextInt(8)) {
                case 0, 1 -> cmd.addAll(List.of(rnd.nextBoolean() ? "blpop" : "brpop", k, k2, rnd.nextInt(3) == 0 ? "2" : "0"));
                case 2 -> cmd.addAll(List.of("blmpop", "0", "2", k, k2, "left", "count", "2"));
                case 3, 4 -> {
                    cmd.addAll(List.of("rpush", k));
                    for (int i = rnd.nextInt(4); i >= 0; i--) {
                        cmd.add("e" + pushed++);
                    }
                }
                case 5 -> cmd.addAll(List.of("lpop", k));
                case 6 -> cmd.addAll(List.of(rnd.nextBoolean() ? "basalt.unblock" : "basalt.renew", k, pick(rnd, tokens)));
                default -> cmd.addAll(List.of("blmove", k, k2, "right", "left", "0"));
            }
            String[] args = cmd.toArray(new String[0]);
            String ra = a.w(args);
            String rb = b.w(args);
            assertEquals(ra, rb, "step " + step + " " + cmd + ", seed " + seed);
            if (ra.startsWith("-BASALTBLOCKED ")) {
                tokens.add(ra.split(" ")[1]);
                commandOf.put(ra.split(" ")[1], cmd.get(0));
            } else if (!cmd.get(0).equals("basalt.unblock") && !cmd.get(0).equals("blmove") && !cmd.get(0).startsWith("basalt")) {
                count(consumed, ra); // an immediate pop
            }
        }
        // every waiter's outcome: a served reply (counted once), or nothing
        int served = 0;
        for (String t : tokens) {
            String ra = a.r("basalt.await", "a", t);
            assertEquals(ra, b.r("basalt.await", "a", t), "token " + t + ", seed " + seed);
            if (!ra.startsWith("-BASALT")) {
                served++;
                if (!commandOf.get(t).equals("blmove")) { // BLMOVE's element is in its destination too
                    count(consumed, ra);
                }
            }
        }
        for (String k : KEYS) {
            count(consumed, a.r("lrange", k, "0", "-1"));
            assertEquals(a.r("lrange", k, "0", "-1"), b.r("lrange", k, "0", "-1"));
        }
        // the mix must really block and serve; whether some waiters are left unserved at the end
        // is up to the seed (it was asserted once and failed when every one got served)
        assertTrue(served > 10 && served <= tokens.size(), served + " of " + tokens.size() + " waiters served, seed " + seed);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < pushed; i++) {
            Integer n = consumed.get("e" + i);
            if (n == null || n != 1) {
                wrong.add("e" + i + "x" + n);
            }
        }
        assertEquals(List.of(), wrong, "elements lost or duplicated, seed " + seed);
        assertTrue(Arrays.equals(snapshot(a), snapshot(b)), "wait tables differ, seed " + seed);
    }

    private static String pick(SplittableRandom rnd, List<String> tokens) {
        return tokens.isEmpty() ? "0" : tokens.get(rnd.nextInt(tokens.size()));
    }

    /** Counts every "eN" element in a reply. */
    private static void count(TreeMap<String, Integer> consumed, String reply) {
        for (String line : reply.split("\r\n")) {
            if (line.matches("e\\d+")) {
                consumed.merge(line, 1, Integer::sum);
            }
        }
    }

    private static byte[] snapshot(Engine e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        e.ks.writeWaitTable(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
