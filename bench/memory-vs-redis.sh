#!/usr/bin/env bash
# Bytes per element of a 1M-element hash, set and sorted set: Basalt's engine (heap measured in
# the JVM, next to its own used_memory estimate) against redis-server 7 (INFO used_memory) with
# the same data, same machine, same run.
#
# Usage: bench/memory-vs-redis.sh [PORT]   (redis-server on 127.0.0.1:PORT, default 7398)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-7398}"
n=1000000
. bin/find-jdk.sh && basalt_find_jdk
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

pidfile="$(mktemp -u /tmp/basalt-memref.XXXXXX.pid)"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$pidfile" >/dev/null
trap 'kill "$(cat "$pidfile")" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

used() { redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1=="used_memory"{print $2}'; }
load() { # $1 = awk program printing one RESP-less inline command per element
    awk -v n="$n" "BEGIN { $1 }" | redis-cli -p "$port" --pipe >/dev/null
}
echo "redis-server $(redis-server --version | awk '{print $3}'), $n elements in one key:"
for kind in hash set zset; do
    redis-cli -p "$port" flushall >/dev/null
    base=$(used)
    case $kind in
        hash) load 'for (i = 0; i < n; i++) printf "HSET h field:%07d val:%07d\r\n", i, i' ;;
        set)  load 'for (i = 0; i < n; i++) printf "SADD s member:%07d\r\n", i' ;;
        zset) load 'for (i = 0; i < n; i++) printf "ZADD z %d member:%07d\r\n", i, i' ;;
    esac
    now=$(used)
    awk -v k="$kind" -v b="$base" -v a="$now" -v n="$n" 'BEGIN { printf "  redis %-4s: %.1f bytes/element\n", k, (a - b) / n }'
done
echo "Basalt engine (JVM heap, compressed oops):"
mvn -B -ntp -q -Dstyle.color=never -pl raft-node -am test -Dtest=MemoryFootprintTest#millionElementCollections \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbasalt.memtest=true >/dev/null 2>&1 || echo "  (the estimate check failed; figures below)"
grep -h "bytes/element" raft-node/target/surefire-reports/io.basalt.node.engine.MemoryFootprintTest-output.txt | sed 's/^/  /'
