package io.basalt.node.engine;

/**
 * A string whose content is the decimal form of a 64-bit integer, stored as the number (Redis's
 * "int" encoding): 24 bytes (an array for 9 to 20 digits takes 32), and INCR needs no parsing.
 * Immutable, so the instances for 0..9999 are shared like Redis's shared integers and cost
 * nothing per key.
 */
final class IntString implements Value {

    /** Values in [0, SHARED_COUNT) come from one shared table. */
    static final int SHARED_COUNT = 10_000;

    private static final IntString[] SHARED = new IntString[SHARED_COUNT];

    static {
        for (int i = 0; i < SHARED_COUNT; i++) {
            SHARED[i] = new IntString(i);
        }
    }

    final long value;

    private IntString(long value) {
        this.value = value;
    }

    static IntString of(long value) {
        if (value >= 0 && value < SHARED_COUNT) {
            return SHARED[(int) value];
        }
        return new IntString(value);
    }

    boolean isShared() {
        return value >= 0 && value < SHARED_COUNT;
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }
}
