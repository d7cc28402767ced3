#!/usr/bin/env python3
"""Two BGSAVEs through one RESP connection, with the figures INFO persistence reports and the
disk use of each node's Raft log (current/) and snapshots (sm/) after each. Used by
bench/snapshot-figures.sh.

BGSAVE and INFO persistence are answered by the replica that serves the connection's reads,
which is not necessarily the leader and may differ between connections: both saves and every
poll therefore use the same connection.

    snapshot-saves.py PORT DATA_DIR
"""
import os
import socket
import sys
import time

port, data = int(sys.argv[1]), sys.argv[2]
conn = socket.create_connection(("127.0.0.1", port))
replies = conn.makefile("rb")


def call(*args):
    encoded = [a.encode() for a in args]
    conn.sendall(b"".join([b"*%d\r\n" % len(encoded)] + [b"$%d\r\n%s\r\n" % (len(a), a) for a in encoded]))
    line = replies.readline()
    if line[:1] == b"$":
        return replies.read(int(line[1:]) + 2)[:-2].decode()
    if line[:1] == b"-":
        raise SystemExit("snapshot-saves: " + line.decode().strip())
    return line[1:].decode().strip()


def info():
    return dict(l.split(":", 1) for l in call("INFO", "persistence").split("\r\n") if ":" in l)


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass  # removed by a purge while we walked
    return total


def disk(label):
    parts = []
    for node in sorted(n for n in os.listdir(data) if n.startswith("n")):
        groups = [os.path.join(data, node, g) for g in os.listdir(os.path.join(data, node))]
        log = sum(du(os.path.join(g, "current")) for g in groups)
        sm = sum(du(os.path.join(g, "sm")) for g in groups)
        parts.append("%s log %.1f MiB, snapshots %.1f MiB" % (node, log / 2**20, sm / 2**20))
    print(label + ": " + "; ".join(parts), flush=True)


def bgsave():
    saves = int(info()["rdb_saves"])
    print("BGSAVE: " + call("BGSAVE"), flush=True)
    deadline = time.time() + 3600
    while time.time() < deadline:
        i = info()
        if i["rdb_bgsave_in_progress"] == "0" and int(i["rdb_saves"]) > saves:
            return i
        time.sleep(0.1)
    raise SystemExit("snapshot-saves: BGSAVE did not finish within an hour")


disk("disk after load")
i = bgsave()
print("snapshot 1: %s keys at index %s in %s ms; capture (applying paused) %s ms; longest copy-on-write step %s ms"
      % (i["basalt_snapshot_keys"], i["basalt_snapshot_index"], i["basalt_snapshot_last_duration_ms"],
         i["basalt_snapshot_last_capture_ms"], i["basalt_snapshot_last_longest_step_ms"]), flush=True)
disk("disk after snapshot 1")
call("SET", "str:after-first-save", "1")
i = bgsave()
print("snapshot 2: at index %s in %s ms; capture %s ms; longest step %s ms"
      % (i["basalt_snapshot_index"], i["basalt_snapshot_last_duration_ms"], i["basalt_snapshot_last_capture_ms"],
         i["basalt_snapshot_last_longest_step_ms"]), flush=True)
# the purge follows the publication of the snapshot on the replica's own thread: give it a moment
# (this only affects the figure printed, nothing is asserted)
time.sleep(2)
disk("disk after snapshot 2 (that replica purged its log up to snapshot 1)")
