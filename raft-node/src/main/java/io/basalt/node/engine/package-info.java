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
 *       {@code HashFieldTtlCommands} (over {@code FieldTtls}),
 *       {@code SetCommands}, {@code SortedSetCommands}, {@code SortedSetOpCommands},
 *       {@code ListCommands}, {@code BitmapCommands}, {@code GeoCommands} and {@code GeoSearch}
 *       (geo indexes are sorted sets; {@code GeoHash}, {@code GeoShape}, {@code PartialSort}),
 *       {@code HyperLogLogCommands} (over {@code HyperLogLog}, Redis's byte layout), {@code SortCommands}.</li>
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
 * choices differ from Redis's while being the same on every replica, and SRANDMEMBER with a
 * negative count refuses more than 2^20 repeats ("ERR value is out of range") instead of building
 * an unbounded reply;
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
 * Geo: scores, positions, geohashes, the cells a search scans and the order of its results
 * (unsorted, sorted, and COUNT's partial sort of equal distances) are Redis's; but distances use
 * {@code StrictMath} (fdlibm, the same bits on every JVM, which replicas need) where Redis uses
 * glibc's libm, and the two differ in the last bit for a few percent of inputs. That shows in
 * STOREDIST scores (ZSCORE/ZRANGE print 17 digits) and, very rarely, in the 4th decimal of
 * GEODIST/WITHDIST or for a point lying exactly on a search's edge. When huge cells make a
 * search find a member twice, GEORADIUS ... STORE keeps it once (Redis would fail an assertion).
 * GEORADIUS and GEORADIUSBYMEMBER are writes (COMMAND INFO flags them so, for STORE): they go
 * through the log even without STORE; their _RO forms and GEOSEARCH are reads.
 * HyperLogLog values are Redis's representation byte for byte (header, cached cardinality,
 * sparse opcodes, dense 6-bit registers, promotion past hll-sparse-max-bytes 3000 or a run above
 * 32), so GET after PFADD, PFMERGE or PFDEBUG returns Redis's bytes, and PFCOUNT's estimate is
 * Redis 7's. PFCOUNT is a read (Redis flags it readonly too, but writes the count it computes into
 * the value's cache): here it never writes the cache, on the read path or from the log, so its
 * replies match Redis while a GET after a one-key PFCOUNT differs in the 8 cache bytes (ours still
 * say "invalid"), and keeps differing in the 7 count bytes after later PFADDs and PFMERGEs, which
 * only set the invalid bit; an HLL short enough to be "embstr" stays so after PFCOUNT (Redis makes
 * it "raw"). hll-sparse-max-bytes is fixed at 3000. PFSELFTEST is not there (unseeded randomness).
 * PFDEBUG DECODE refuses a sparse value over 1 MiB. A crafted sparse value whose zero runs pass
 * 2^31 registers is reported corrupted where Redis 7.0.15's int index would wrap.
 *
 * <h2>Hash field expiration (Redis 7.4)</h2>
 * HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST
 * ({@code HashFieldTtlCommands}, times in {@code FieldTtls}) follow 7.4's replies, codes, checks
 * and their order (type, time, condition, FIELDS, numfields), from its documentation and
 * t_hash.c: no 7.4 server was at hand to record a golden script, and the 7.0.15 spec generator
 * cannot see them (their specs are hand-written in shard-router's HashFieldTtlCommandSpecs).
 * A field is expired when now > its time, like a key. Expired fields are invisible to every hash
 * read (HGET, HMGET, HEXISTS, HSTRLEN, HGETALL/HKEYS/HVALS, HSCAN, HRANDFIELD, SORT's BY/GET
 * ->field, HTTL...), and a hash whose every field is expired reads as an absent key (EXISTS 0,
 * TYPE none) until something deletes it; DBSIZE, KEYS and SCAN still count it then, as they count
 * an expired key. Differences: HLEN counts only live fields (Redis 7.4 counts expired fields not
 * yet deleted, a number that depends on its active-expiry timing, which replicas cannot share);
 * a write that looks a hash up first deletes its expired fields (and the key if none is left), so
 * DEL or UNLINK of a hash whose fields all expired replies 0 where Redis may reply 1; reads never
 * delete (Redis's HGET deletes an expired field it meets and propagates an HDEL). Active expiry
 * keeps a second heap of hashes keyed on their earliest field time: {@code expiredKeys} lists due
 * hashes after due keys and {@code deleteIfExpired} removes their due fields (deleting the key
 * when it becomes empty; only such key deletions are counted). HRANDFIELD with expired fields
 * present picks among the live ones in the hash's order. HSET/HMSET drop a field's TTL,
 * HINCRBY/HINCRBYFLOAT keep it, RENAME/COPY keep them all. A listpack hash that any HEXPIRE has
 * touched (even with no field found) reports "listpackex" and stays so after HPERSIST, as in
 * 7.4; a hashtable reports "hashtable". Snapshots carry field times in record kinds of their
 * own (HASH_LISTPACK_TTL, HASH_TABLE_TTL). The times are capped at Redis's 2^46 - 1 ms
 * ("ERR invalid expire time in '...' command").
 *
 * <h2>SORT and the cluster rule</h2>
 * A SORT runs on the shard of its key, so it can only read other keys of that key's slot. BY and
 * GET patterns are therefore held to Redis Cluster's rule, whatever the number of shards (today
 * one): a pattern is allowed when every key it can form hashes to the sorted key's slot (its
 * {tag} names that slot, or it is a constant of that slot; BY without '*' and GET # name no
 * key), else refused with "ERR BY (GET) option of SORT denied in Cluster mode when keys formed by
 * the pattern may be in different slots." This is the rule and text of Redis 7.4+; Redis 7.0.15
 * in cluster mode refuses every BY pattern and every GET ("... denied in Cluster mode."), so
 * Basalt allows more than 7.0 Cluster, while a standalone Redis user sees this error where Redis
 * standalone would follow an untagged pattern: use hash-tagged keys ({user}w_*). A STORE
 * destination outside the key's slot is refused with CROSSSLOT, as Redis Cluster does (the
 * gateway routes SORT by its first key only). Other SORT differences: ties (equal or missing
 * ALPHA BY weights, or identical elements) keep the collection's order in every case, where
 * Redis's partial quicksort (BY with LIMIT) orders them its own way and its set/zset input is in
 * hash order; ALPHA compares as strcoll in the C locale (byte order up to a NUL byte), whatever
 * the server's locale; SORT leaves a small sorted set in its listpack form (Redis converts it to
 * a skiplist, visible in OBJECT ENCODING, even for SORT_RO: reads here never mutate); each
 * number is judged on its own, where Redis 7.0 reads a stale errno and, after one ERANGE, fails
 * every numeric SORT until errno is reset.
 * Slot ownership ({@code SlotOwnership}): a shard owns a set of hash slots, replicated state
 * changed only by {@code basalt.slots.own/disown} entries and kept in snapshots; a keyed command
 * any of whose keys (the spec's key positions) is in a slot it does not own is answered
 * "-BASALTMOVED slot" (the first such key's slot), after the unknown-command, arity and
 * write-as-read checks and before anything runs. The gateway consumes it (as Redis Cluster
 * answers MOVED, but naming no address: the gateway knows the map). Keyless commands run on any
 * shard. A standalone engine owns every slot. Disowning a slot deletes its keys.
 * Slot migration ({@code SlotMigration}): a write command with a key in a frozen slot is answered
 * "-TRYAGAIN slot N is moving to another shard" (Redis Cluster's retryable error class; the text
 * is ours), after the BASALTMOVED check and before anything runs; reads still run.
 */
package io.basalt.node.engine;
