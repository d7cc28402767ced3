#!/usr/bin/env bash
# Basalt vs redis-server, same machine, same client, same run.
#
# Starts `basalt local` (3 replicas, fsync durability) and a redis-server with
# --appendonly yes --appendfsync always (durable on one node), runs redis-benchmark
# -t set,get at -P 1 and -P 16 with 50 clients against each, and prints ops/s and the ratio
# Basalt/Redis. Both servers are stopped by their PIDs at the end.
#
#   bench/redis-benchmark.sh [-n REQUESTS] [-c CLIENTS] [-d VALUE_BYTES] [-w WARMUP_REQUESTS]
#   BASALT_LOCAL_OPTS="--raft-clients-per-shard 2 --batches-in-flight 1" bench/redis-benchmark.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
requests=200000
warmup=300000
clients=50
size=3
while getopts "n:c:d:w:" opt; do
  case $opt in
    w) warmup=$OPTARG ;;
    n) requests=$OPTARG ;;
    c) clients=$OPTARG ;;
    d) size=$OPTARG ;;
    *) echo "usage: $0 [-n requests] [-c clients] [-d value bytes] [-w warm-up requests]" >&2; exit 2 ;;
  esac
done
for tool in redis-benchmark redis-server redis-cli; do
  command -v $tool >/dev/null 2>&1 || { echo "bench: $tool not found (apt-get install redis-tools redis-server)" >&2; exit 1; }
done

basalt_port=${BASALT_PORT:-16379}
redis_port=${REDIS_PORT:-16380}
work=$(mktemp -d "${TMPDIR:-/tmp}/basalt-bench.XXXXXX")
basalt_pid=""
redis_pid=""
cleanup() {
  [ -n "$basalt_pid" ] && kill "$basalt_pid" 2>/dev/null && wait "$basalt_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: starting basalt local (3 replicas) on $basalt_port, data in $work/basalt"
# shellcheck disable=SC2086 # BASALT_LOCAL_OPTS is a list of options, e.g. "--batches-in-flight 1"
"$here/bin/basalt" local --data-dir "$work/basalt" --resp-port "$basalt_port" --grpc-port 0 \
  --raft-base-port 19860 ${BASALT_LOCAL_OPTS:-} > "$work/basalt.out" 2>&1 &
basalt_pid=$!
for _ in $(seq 1 600); do
  grep -q "^Basalt ready" "$work/basalt.out" 2>/dev/null && break
  kill -0 "$basalt_pid" 2>/dev/null || { cat "$work/basalt.out"; echo "bench: basalt exited" >&2; exit 1; }
  sleep 0.5
done
grep -q "^Basalt ready" "$work/basalt.out" || { cat "$work/basalt.out"; echo "bench: basalt not ready" >&2; exit 1; }

echo "bench: starting redis-server (appendonly yes, appendfsync always) on $redis_port"
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save '' \
  --appendonly yes --appendfsync always > "$work/redis.out" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# ops/s of one redis-benchmark test, from its CSV output
ops() { # port test pipeline [requests]
  redis-benchmark -h 127.0.0.1 -p "$1" -t "$2" -P "$3" -c "$clients" -n "${4:-$requests}" -d "$size" -r 100000 --csv 2>/dev/null \
    | awk -F'","' 'NR==2 {gsub(/"/,"",$2); print $2}'
}

# Warm-up, not measured: four JVMs JIT-compiling on two cores dominate a cold run (C2 compiler
# threads were the top CPU users in a profile); both servers get the same warm-up.
echo "bench: warming up ($warmup requests per test and server)"
for p in 16 1; do
  for t in set get; do
    ops "$basalt_port" $t $p "$warmup" >/dev/null
    ops "$redis_port" $t $p "$warmup" >/dev/null
  done
done

printf '\n%-8s %-4s %14s %14s %8s\n' test -P "basalt ops/s" "redis ops/s" ratio
for p in 1 16; do
  for t in set get; do
    b=$(ops "$basalt_port" $t $p)
    r=$(ops "$redis_port" $t $p)
    ratio=$(awk -v b="$b" -v r="$r" 'BEGIN { if (r > 0) printf "%.3f", b / r; else print "n/a" }')
    printf '%-8s %-4s %14s %14s %8s\n' "$t" "$p" "$b" "$r" "$ratio"
  done
done
echo
echo "(-c $clients -n $requests -d $size; redis-server: appendfsync always on one node; basalt: 3 replicas, fsync, same 2 cores)"
