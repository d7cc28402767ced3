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
 *       {@link RawString}) and of the collections ({@link CollectionValue}: hashes, lists, sets,
 *       sorted sets; later streams).</li>
 * </ul>
 * {@link ValueType#of(Object)} is the one place that maps a stored object to its Redis type, so
 * WRONGTYPE is decided centrally. A new collection type implements {@link CollectionValue}, which
 * is how COPY, OBJECT ENCODING and memory accounting reach it.
 */
sealed interface Value permits IntString, RawString, CollectionValue {

    /** The Redis type, as TYPE and SCAN ... TYPE name it. */
    ValueType type();
}
