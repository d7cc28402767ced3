/**
 * The keyspace engine of a shard: a pure, deterministic implementation of Redis 7.0's commands
 * over an in-memory keyspace. {@link io.basalt.node.engine.Keyspace} is the entry point.
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>{@code Keyspace} dispatches a command: {@code CommandRegistry} maps names to specs (from
 *       shard-router's CommandTable) and handlers; arity and read/write are checked there.</li>
 *   <li>Command families, one file each with a grammar comment per command:
 *       {@code StringCommands}, {@code LcsCommand}, {@code KeyCommands},
 *       {@code ExpireCommands}, {@code ServerCommands}, {@code HashCommands},
 *       {@code SetCommands}, {@code SortedSetCommands}, {@code SortedSetOpCommands},
 *       {@code ListCommands}, {@code BitmapCommands}.</li>
 *   <li>{@code Db}: lookups with the expiry rule, changes with memory accounting.</li>
 *   <li>{@code KeyTable} (hash table with Redis's SCAN cursor), {@code ExpiryHeap} (expiry
 *       times), {@code Entry} and the value classes ({@code Value}; {@code Hash} keeps a large
 *       hash in a {@code KeyTable} of its own).</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * Everything a reply or a state change depends on comes from the command, its
 * {@code ExecContext} (log time, log position, read or write) and the state. There is no clock,
 * no unseeded randomness, and no iteration over a {@code HashMap}: table layout is a function of
 * the writes applied and the SipHash key, which must be equal on all replicas and travel with
 * snapshots. Reads never change anything, not even to delete an expired key or advance a rehash.
 *
 * <h2>Time and expiry</h2>
 * A key with expiry time T is alive while now <= T. Reads treat a dead key as absent; commands
 * applied from the log delete the dead keys they touch. The leader finds due keys with
 * {@code expiredKeys} (earliest first, via the heap) and proposes their deletion;
 * {@code deleteIfExpired} re-checks each key at the entry's time, so a key rewritten in between
 * survives.
 *
 * <h2>Compatibility</h2>
 * Replies are Redis 7.0.15's byte for byte, errors included; the golden scripts in the tests
 * were recorded from a real redis-server. Deliberate differences: one database (COPY ... DB n
 * answers as Redis Cluster does), OBJECT has only ENCODING and HELP, basalt.stats reports the
 * exact mean TTL where Redis's INFO samples, and LCS computes Redis's answer with far less
 * memory. Sets: intsets iterate in ascending order as in Redis, but a hashtable set iterates in
 * the engine's own deterministic order (insertion order, a removed member's place taken by the
 * last), not Redis's hash order; SPOP and SRANDMEMBER choose with the entry's seed, so their
 * choices differ from Redis's while being the same on every replica;
 * a hash in its hashtable form lists its fields in the engine's table order, not
 * Redis's dict order (a small, listpack-form hash matches Redis: insertion order); random picks
 * (RANDOMKEY, HRANDFIELD) are seeded from the log position, so they differ from Redis's but agree
 * on every replica; HRANDFIELD with a negative count refuses more than 2^20 repeats instead of
 * building an unbounded reply. HRANDFIELD ... WITHVALUES writes RESP3 [field, value] pairs, which
 * a RESP2 client needs flattened. Sorted sets: ZRANDMEMBER chooses with the entry's seed (and
 * refuses a negative count beyond 2^20 repeats); ZSCAN of a zset past its listpack form walks it in
 * (score, member) order with a cursor that names a score, not Redis's hash order, and returns a
 * run of equal scores whole; ZUNION/ZINTER aggregate in Redis's order (smallest input first), so
 * sums match Redis bit for bit.
 * Lists match Redis in order and replies; OBJECT ENCODING answers "quicklist" at any size, as
 * 7.0.15 does. Blocking commands (BLPOP ... BZMPOP) reply as Redis does when data is there; when
 * not, the engine records a waiter and replies an internal "-BASALTBLOCKED token timeoutMs" that
 * the gateway consumes (docs/ARCHITECTURE.md, "Blocking commands"); waiters are served in Redis's
 * order after each write command. Differences: a waiter whose gateway stopped renewing its lease
 * (30 s) is dropped unserved; a waiter past its deadline (engine time) is not served (its gateway
 * times it out); FLUSHALL leaves waiters in place, as Redis does.
 * BITFIELD refuses a SET or INCRBY whose field would end past proto-max-bulk-len (Redis lets it
 * run up to 8 bytes over) with the string-too-long error.
 */
package io.basalt.node.engine;
