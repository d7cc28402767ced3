package io.basalt.node.engine;

/** Redis data types, named as TYPE replies and as SCAN's TYPE option matches them. */
enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    String redisName() {
        return redisName;
    }

    /** The type of a stored value; see {@link Value} for what the value slot may hold. */
    static ValueType of(Object stored) {
        if (stored instanceof byte[]) {
            return STRING;
        }
        return ((Value) stored).type();
    }
}
