package io.basalt.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scores are written as C's %.17g writes them (expected texts from printf("%.17g")). */
class ScoreFormatTest {

    @Test
    void matchesCPrintf() {
        assertEquals("1.5", ScoreFormat.format(1.5));
        assertEquals("0.10000000000000001", ScoreFormat.format(0.1));
        assertEquals("3", ScoreFormat.format(3));
        assertEquals("-2.5", ScoreFormat.format(-2.5));
        assertEquals("3.1415926535897931", ScoreFormat.format(Math.PI));
        assertEquals("1.0000000000000001e-05", ScoreFormat.format(1e-5));
        assertEquals("0.0001", ScoreFormat.format(1e-4));
        assertEquals("1e-300", ScoreFormat.format(1e-300));
        assertEquals("1.2345678901234566e+17", ScoreFormat.format(1.2345678901234567e17));
        assertEquals("99999999999999984", ScoreFormat.format(99999999999999984.0));
        assertEquals("1e+17", ScoreFormat.format(1e17));
        assertEquals("4.9406564584124654e-324", ScoreFormat.format(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", ScoreFormat.format(Double.MAX_VALUE));
        assertEquals("inf", ScoreFormat.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", ScoreFormat.format(Double.NEGATIVE_INFINITY));
        assertEquals("0", ScoreFormat.format(0.0));
        assertEquals("-0", ScoreFormat.format(-0.0));
    }

    @Test
    void everyDoubleReadsBackBitForBit() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String text = ScoreFormat.format(d);
            double back = text.equals("inf") ? Double.POSITIVE_INFINITY : text.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(text);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back), "seed " + seed + ": " + d + " -> " + text);
        }
    }
}
