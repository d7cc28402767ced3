package io.basalt.node.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-1-2 (one compression round, two finalization rounds), the keyed hash Redis uses for its
 * dictionaries. Keyed so that clients who do not know the key cannot choose keys that all land in
 * one bucket (hash flooding). The key must be the same on every replica: bucket order decides
 * SCAN, KEYS and RANDOMKEY results.
 */
final class SipHash {
    private SipHash() {}

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static long hash(long k0, long k1, byte[] in) {
        return hash(k0, k1, in, 1, 2);
    }

    /** SipHash-c-d; the round counts are parameters so tests can check against the SipHash-2-4 vectors. */
    static long hash(long k0, long k1, byte[] in, int compressionRounds, int finalizationRounds) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int len = in.length;
        int end = len & ~7;
        for (int i = 0; i <= end; i += 8) {
            long m;
            if (i < end) {
                m = (long) LONG_LE.get(in, i);
            } else {
                m = ((long) len) << 56;
                for (int j = end, shift = 0; j < len; j++, shift += 8) {
                    m |= (in[j] & 0xffL) << shift;
                }
            }
            v3 ^= m;
            for (int r = 0; r < compressionRounds; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < finalizationRounds; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
