package io.basalt.router.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what redis-server 7.0.15 answers to CLUSTER KEYSLOT. */
class HashSlotTest {

    @ParameterizedTest(name = "CLUSTER KEYSLOT \"{0}\" = {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "foo|12182",
        "bar|5061",
        "{user1000}.following|3443",
        "{user1000}.followers|3443",
        "''|0",
        "{}|15257",
        "{}x|10595",
        "a{b}c{d}|3300",
        "{{x}}|11068",
        "123456789|12739",
        "x{}y|16116",
        "{a|10276",
    })
    void matchesRedisCluster(String key, int slot) {
        assertEquals(slot, HashSlot.of(key.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @CsvSource({"123456789, 12739"})
    void crc16IsXmodem(String input, int crc) {
        // CRC-16/XMODEM check value of "123456789" is 0x31C3; mod 16384 gives the slot
        byte[] b = input.getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, HashSlot.crc16(b, 0, b.length));
        assertEquals(crc, 0x31C3 & 16383);
    }
}
