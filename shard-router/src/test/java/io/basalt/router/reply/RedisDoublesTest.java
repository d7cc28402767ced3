package io.basalt.router.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what redis-server 7.0.15 prints for ZSCORE of the same values. */
class RedisDoublesTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "1.5, 1.5",
        "0.1, 0.10000000000000001",
        "3.0, 3",
        "1e20, 1e+20",
        "1e-5, 1.0000000000000001e-05",
        "123456789012345678, 1.2345678901234568e+17",
        "-0.0001, -0.0001",
        "100000000000000000, 1e+17",
        "1e16, 10000000000000000",
        "12345.678, 12345.678",
        "Infinity, inf",
        "-Infinity, -inf",
    })
    void formatsLikeRedis(double value, String text) {
        assertEquals(text, RedisDoubles.format(value));
    }
}
