package io.basalt.node.engine;

/**
 * A Redis collection (hash, list, set, sorted set): a mutable value that knows its own encoding,
 * how to copy itself and what it costs. COPY, OBJECT ENCODING and memory accounting ask it, so a
 * new collection type adds its class here and nowhere else.
 */
sealed interface CollectionValue extends Value permits Hash, ListValue, SetValue, ZSet {

    /** OBJECT ENCODING's answer, as Redis 7.0.15 names it. */
    String encoding();

    /** A deep copy, for COPY: collections are mutated in place. */
    CollectionValue duplicate();

    /** Bytes held, kept current by the collection itself. */
    long memoryBytes();
}
