package io.basalt.node.engine;

/**
 * A value stored under a key, other than the plain string form.
 *
 * <p>The value slot of an {@link Entry} holds an {@code Object} that is one of:
 * <ul>
 *   <li>{@code byte[]}: a string as SET stored it (Redis's embstr/raw, told apart by length). It is
 *       the most common value, so it is kept without a wrapper object (16 bytes saved per key).
 *       Never mutated once stored, so it may be shared (COPY) and may be the caller's argument
 *       array itself;</li>
 *   <li>a {@link Value}: every other representation, of strings ({@link IntString},
 *       {@link RawString}), of hashes ({@link Hash}), sets ({@link SetValue}), sorted sets
 *       ({@link ZSet}) and lists ({@link ListValue}), and later of streams.</li>
 * </ul>
 * {@link ValueType#of(Object)} is the one place that maps a stored object to its Redis type, so
 * WRONGTYPE is decided centrally. A new type adds its class to {@code permits} and a case there.
 */
sealed interface Value permits IntString, RawString, Hash, SetValue, ZSet, ListValue {

    /** The Redis type, as TYPE and SCAN ... TYPE name it. */
    ValueType type();
}
