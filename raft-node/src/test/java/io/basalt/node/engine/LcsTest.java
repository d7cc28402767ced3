package io.basalt.node.engine;

import static io.basalt.node.engine.Engine.err;
import static io.basalt.node.engine.Engine.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.router.reply.RespWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LCS's checkpointed walk must give exactly what Redis's full-table walk gives. The reference
 * below is Redis 7.0's lcsCommand transcribed with its whole table.
 */
class LcsTest {

    @Test
    void checkpointedWalkMatchesTheFullTableWalk() {
        long seed = Seeds.seed("LcsTest.random");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 400; round++) {
            int alphabet = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 26);
            String a = random(rnd, rnd.nextInt(rnd.nextInt(5) == 0 ? 300 : 40), alphabet);
            String b = random(rnd, rnd.nextInt(rnd.nextInt(5) == 0 ? 300 : 40), alphabet);
            Engine e = new Engine();
            e.w("mset", "a", a, "b", b);
            long min = rnd.nextInt(4);
            String label = "seed " + seed + " a=" + a + " b=" + b;
            assertEquals(reference(a, b, false, false, 0), e.r("lcs", "a", "b"), label);
            assertEquals(integer(reference(a, b).length()), e.r("lcs", "a", "b", "len"), label);
            assertEquals(reference(a, b, true, true, min),
                    e.r("lcs", "a", "b", "idx", "withmatchlen", "minmatchlen", Long.toString(min)), label);
            assertEquals(reference(a, b, true, false, 0), e.r("lcs", "a", "b", "idx"), label);
        }
    }

    @Test
    void tableSizeLimitIsRedisProtoMaxBulkLen() {
        // (10 + 1) * (10 + 1) * 4 = 484 bytes.
        Engine e = new Engine(new Keyspace(1, 2, 483));
        e.w("mset", "a", "0123456789", "b", "0123456789", "c", "012345678");
        assertEquals(err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                e.r("lcs", "a", "b"));
        assertEquals(err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                e.r("lcs", "a", "b", "len"));
        assertEquals(integer(9), e.r("lcs", "a", "c", "len")); // 11 * 10 * 4 = 440
    }

    @Test
    void longInputsUseLittleMemoryAndStayExact() {
        SplittableRandom rnd = new SplittableRandom(42);
        String a = random(rnd, 3000, 4);
        String b = random(rnd, 2500, 4);
        Engine e = new Engine();
        e.w("mset", "a", a, "b", b);
        assertEquals(reference(a, b, true, true, 3), e.r("lcs", "a", "b", "idx", "minmatchlen", "3", "withmatchlen"));
    }

    private static String random(SplittableRandom rnd, int n, int alphabet) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + rnd.nextInt(alphabet)));
        }
        return s.toString();
    }

    private static String reference(String a, String b) {
        String bulk = reference(a, b, false, false, 0);
        return bulk.substring(bulk.indexOf("\r\n") + 2, bulk.length() - 2);
    }

    /** Redis 7.0's lcsCommand with the whole (alen+1) x (blen+1) table; reply as the engine writes it. */
    private static String reference(String a, String b, boolean getIdx, boolean withMatchLen, long minMatchLen) {
        int alen = a.length();
        int blen = b.length();
        int[][] lcs = new int[alen + 1][blen + 1];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                lcs[i][j] = a.charAt(i - 1) == b.charAt(j - 1) ? lcs[i - 1][j - 1] + 1
                        : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        int idx = lcs[alen][blen];
        char[] result = new char[idx];
        RespWriter ranges = new RespWriter();
        int count = 0;
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a.charAt(i - 1) == b.charAt(j - 1)) {
                result[idx - 1] = a.charAt(i - 1);
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (lcs[i - 1][j] > lcs[i][j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            int matchLen = aEnd - aStart + 1;
            if (emit) {
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    ranges.array(withMatchLen ? 3 : 2);
                    ranges.array(2).integer(aStart).integer(aEnd);
                    ranges.array(2).integer(bStart).integer(bEnd);
                    if (withMatchLen) {
                        ranges.integer(matchLen);
                    }
                    count++;
                }
                aStart = alen;
            }
        }
        if (!getIdx) {
            return Engine.bulk(new String(result));
        }
        RespWriter out = new RespWriter();
        out.map(2).bulk("matches").array(count).raw(ranges.toByteArray()).bulk("len").integer(lcs[alen][blen]);
        return Engine.latin1(out.toByteArray());
    }
}
