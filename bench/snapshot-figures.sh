#!/usr/bin/env bash
# Snapshot figures of `basalt local` (3 replicas, fsync) holding KEYS keys of mixed types.
# Not run in CI: it takes minutes.
#
# Loads KEYS keys through the RESP port, pipelined (redis-cli --pipe): a fifth each of strings
# (SET), hashes (HSET, 4 fields), lists (RPUSH, 4 elements), sets (SADD, 4 members) and sorted
# sets (ZADD, 4 members). Then reports, from INFO persistence and the data folders:
#   - snapshot duration of a BGSAVE of the whole keyspace (basalt_snapshot_last_duration_ms),
#   - the longest pause it caused to applying entries: the capture under the engine lock
#     (basalt_snapshot_last_capture_ms) and the longest copy-on-write step
#     (basalt_snapshot_last_longest_step_ms),
#   - the Raft log (current/) and snapshots (sm/) on disk per node: after the load, after the
#     first BGSAVE, and after a second BGSAVE (the log is purged up to the older of the two newest
#     snapshots, a closed segment at a time); BGSAVE snapshots the replica serving the
#     connection, the others snapshot on their own schedule (--snapshot-every),
#   - restart-to-ready: everything stopped, started again on the same folder, until a GET of a
#     known key answers (JVM start, snapshot load, log replay, election).
#
#   bench/snapshot-figures.sh [-k KEYS] [-p RESP_PORT]     (defaults: 1000000 keys, port 7371;
#                                                           Raft ports RESP_PORT+1..+3)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keys=1000000
port=7371
while getopts "k:p:" opt; do
  case $opt in
    k) keys=$OPTARG ;;
    p) port=$OPTARG ;;
    *) echo "usage: $0 [-k keys] [-p resp port]" >&2; exit 2 ;;
  esac
done
for tool in redis-cli python3; do
  command -v $tool >/dev/null 2>&1 || { echo "snapshot-figures: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/basalt-snapfig.XXXXXX")
basalt_pid=""
cleanup() {
  [ -n "$basalt_pid" ] && kill "$basalt_pid" 2>/dev/null && wait "$basalt_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
now_ms() { date +%s%3N; }

start_basalt() {
  "$here/bin/basalt" local --data-dir "$work/data" --resp-port "$port" --grpc-port 0 \
    --raft-base-port $((port + 1)) > "$work/basalt.out" 2>&1 &
  basalt_pid=$!
}
await_ready() {
  for _ in $(seq 1 1200); do
    grep -q "^Basalt ready" "$work/basalt.out" 2>/dev/null && return 0
    kill -0 "$basalt_pid" 2>/dev/null || { cat "$work/basalt.out"; echo "snapshot-figures: basalt exited" >&2; exit 1; }
    sleep 0.1
  done
  cat "$work/basalt.out"; echo "snapshot-figures: basalt not ready" >&2; exit 1
}
# build first (bin/basalt rebuilds when sources changed), so no build lands in a measured restart
"$here/bin/basalt" local --help >/dev/null
echo "snapshot-figures: starting basalt local on $port, data in $work/data"
start_basalt
await_ready

echo "snapshot-figures: loading $keys keys (pipelined)"
t0=$(now_ms)
python3 - "$keys" <<'EOF' | cli --pipe > "$work/load.out"
import sys
keys = int(sys.argv[1])
out = sys.stdout.buffer
def cmd(*args):
    b = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        b.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(b)
chunk = []
for i in range(keys):
    kind = i % 5
    if kind == 0:
        chunk.append(cmd("SET", "str:%d" % i, "value-%d-%s" % (i, "x" * 32)))
    elif kind == 1:
        chunk.append(cmd("HSET", "hash:%d" % i, "f1", i, "f2", "two", "f3", "three", "f4", "x" * 16))
    elif kind == 2:
        chunk.append(cmd("RPUSH", "list:%d" % i, "a", "b", i, "x" * 16))
    elif kind == 3:
        chunk.append(cmd("SADD", "set:%d" % i, "a", "b", i, "x" * 16))
    else:
        chunk.append(cmd("ZADD", "zset:%d" % i, 1, "a", 2, "b", 3, i, 4, "x" * 16))
    if len(chunk) == 10000:
        out.write(b"".join(chunk)); chunk = []
out.write(b"".join(chunk))
EOF
load_ms=$(( $(now_ms) - t0 ))
tail -2 "$work/load.out"
dbsize=$(cli DBSIZE)
echo "loaded: $dbsize keys in $load_ms ms"
[ "$dbsize" -ge "$keys" ] || { echo "snapshot-figures: expected $keys keys" >&2; exit 1; }
python3 "$here/bench/snapshot-saves.py" "$port" "$work/data"

echo "snapshot-figures: restarting"
kill "$basalt_pid"; wait "$basalt_pid" 2>/dev/null || true
basalt_pid=""
t0=$(now_ms)
start_basalt
until [ "$(cli GET str:0 2>/dev/null)" = "value-0-$(printf 'x%.0s' $(seq 1 32))" ]; do
  kill -0 "$basalt_pid" 2>/dev/null || { cat "$work/basalt.out"; echo "snapshot-figures: basalt exited" >&2; exit 1; }
  sleep 0.05
done
echo "restart-to-ready: $(( $(now_ms) - t0 )) ms (until GET str:0 answered)"
echo "keys after restart: $(cli DBSIZE)"
grep -H "loaded snapshot" "$work"/data/logs/n*.log | sed "s|^$work/data/logs/||" || true
