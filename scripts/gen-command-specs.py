#!/usr/bin/env python3
"""Generates Basalt's command spec table (shard-router .../command/specs/*.java) from a running
redis-server's COMMAND INFO and COMMAND DOCS, so arity, flags, key positions, ACL categories and
docs match Redis's own reference. Usage: gen-command-specs.py PORT OUTDIR

Which commands exist and where they run (gateway or shard) is Basalt's choice and lives here in
FAMILIES; everything else is read from Redis. Rerun it when a family grows."""
import socket, sys, os

FAMILIES = {
    # family class: [(command, site, [subcommands...])]
    "ConnectionCommandSpecs": [
        ("ping", "GATEWAY", None), ("echo", "GATEWAY", None), ("hello", "GATEWAY", None),
        ("select", "GATEWAY", None), ("quit", "GATEWAY", None), ("reset", "GATEWAY", None),
        ("client", "GATEWAY", ["id", "setname", "getname", "info", "list", "help"]),
    ],
    "ServerCommandSpecs": [
        ("command", "GATEWAY", ["count", "info", "docs", "list", "getkeys", "help"]),
        ("info", "GATEWAY", None), ("time", "GATEWAY", None),
        ("config", "GATEWAY", ["get", "set", "resetstat", "help"]),
        ("dbsize", "SHARD", None), ("flushdb", "SHARD", None), ("flushall", "SHARD", None),
        # answered by the serving replica's state machine about its own snapshots
        ("save", "REPLICA", None), ("bgsave", "REPLICA", None), ("lastsave", "REPLICA", None),
    ],
    "StringCommandSpecs": [(c, "SHARD", None) for c in [
        "get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
        "msetnx", "append", "strlen", "getrange", "setrange", "substr", "incr", "decr", "incrby",
        "decrby", "incrbyfloat", "lcs"]],
    "KeyCommandSpecs": [(c, "SHARD", None) for c in [
        "del", "unlink", "exists", "type", "expire", "pexpire", "expireat", "pexpireat", "ttl",
        "pttl", "expiretime", "pexpiretime", "persist", "rename", "renamenx", "copy", "keys",
        "scan", "randomkey", "touch", "sort", "sort_ro"]] + [("object", "SHARD", ["encoding", "help"])],
    "SortedSetCommandSpecs": [(c, "SHARD", None) for c in [
        "zadd", "zincrby", "zscore", "zmscore", "zcard", "zrem", "zrank", "zrevrank", "zcount",
        "zlexcount", "zrange", "zrevrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex",
        "zrevrangebylex", "zpopmin", "zpopmax", "zremrangebyrank", "zremrangebyscore",
        "zremrangebylex", "zscan", "zrandmember", "zrangestore", "zunionstore", "zinterstore",
        "zunion", "zinter", "zdiff", "zdiffstore", "zintercard", "zmpop", "bzpopmin", "bzpopmax",
        "bzmpop"]],
    "SetCommandSpecs": [(c, "SHARD", None) for c in [
        "sadd", "srem", "smembers", "sismember", "smismember", "scard", "spop", "srandmember",
        "smove", "sinter", "sintercard", "sinterstore", "sunion", "sunionstore", "sdiff",
        "sdiffstore", "sscan"]],
    "ListCommandSpecs": [(c, "SHARD", None) for c in [
        "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex", "lset",
        "linsert", "lrem", "ltrim", "lpos", "lmove", "rpoplpush", "lmpop", "blpop", "brpop",
        "blmove", "brpoplpush", "blmpop"]],
    "HashCommandSpecs": [(c, "SHARD", None) for c in [
        "hset", "hget", "hdel", "hexists", "hlen", "hgetall", "hkeys", "hvals", "hmget", "hmset",
        "hsetnx", "hincrby", "hincrbyfloat", "hstrlen", "hscan", "hrandfield"]],
    "BitmapCommandSpecs": [(c, "SHARD", None) for c in [
        "setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"]],
    "GeoCommandSpecs": [(c, "SHARD", None) for c in [
        "geoadd", "geodist", "geohash", "geopos", "georadius", "georadius_ro",
        "georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"]],
    # CLUSTER as a gateway that presents itself as a cluster node; the key counts per slot are the
    # owning shard's. A subcommand given as (name, site) runs elsewhere than its container.
    "ClusterCommandSpecs": [
        ("cluster", "GATEWAY", ["slots", "nodes", "shards", "myid", "info", "keyslot",
                                ("countkeysinslot", "SHARD"), ("getkeysinslot", "SHARD"), "help"]),
        ("readonly", "GATEWAY", None), ("readwrite", "GATEWAY", None), ("asking", "GATEWAY", None),
    ],
    # PFSELFTEST is left out: it tests the server's own code with unseeded randomness.
    "HyperLogLogCommandSpecs": [(c, "SHARD", None) for c in [
        "pfadd", "pfcount", "pfmerge", "pfdebug"]],
}

# Subcommands newer than the reference server (7.0.15), written by hand from Redis's docs.
# CLIENT SETINFO (7.2) is sent at connect by Jedis 5+, redis-py 5+ and others.
EXTRA_SUBCOMMANDS = {
    "client": [
        """            CommandSpec.builder("client|setinfo", 4, Site.GATEWAY)
                .flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .keys(0, 0, 0)
                .acl("slow", "connection")
                .docs("Set client or connection specific info", "7.2.0", "connection", "O(1)")
            .build()""",
    ],
    # CLUSTER MYSHARDID (7.2): Lettuce and Redisson read it when present.
    "cluster": [
        """            CommandSpec.builder("cluster|myshardid", 2, Site.GATEWAY)
                .flags(Flag.LOADING, Flag.STALE)
                .keys(0, 0, 0)
                .acl("slow")
                .docs("Returns the shard ID of a node.", "7.2.0", "cluster", "O(1)")
            .build()""",
    ],
}

def conn(port):
    s = socket.create_connection(("127.0.0.1", port)); return s, s.makefile("rb")

def cmd(s, f, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode(); out += b"$%d\r\n%s\r\n" % (len(a), a)
    s.sendall(out); return read(f)

def read(f):
    line = f.readline()[:-2]; t, rest = line[:1], line[1:]
    if t in (b"+",): return rest.decode()
    if t == b"-": raise RuntimeError(rest.decode())
    if t == b":": return int(rest)
    if t == b"$":
        n = int(rest)
        if n < 0: return None
        d = f.read(n + 2)[:-2]; return d.decode()
    if t == b"*":
        n = int(rest)
        return None if n < 0 else [read(f) for _ in range(n)]
    raise RuntimeError("type %r" % t)

def jstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def doc_of(docs_reply, name):
    if not docs_reply: return {}
    d = dict(zip(docs_reply[1][0::2], docs_reply[1][1::2]))
    return d

def num_keys_line(info, indent):
    """A .numKeys(...) line for a command whose keys follow a count (a "keynum" key spec)."""
    if "movablekeys" not in info[2] or len(info) < 9:
        return ""
    for ks in info[8]:
        d = dict(zip(ks[0::2], ks[1::2]))
        bs = dict(zip(d["begin_search"][0::2], d["begin_search"][1::2]))
        fk = dict(zip(d["find_keys"][0::2], d["find_keys"][1::2]))
        if bs.get("type") == "index" and fk.get("type") == "keynum":
            begin = dict(zip(bs["spec"][0::2], bs["spec"][1::2]))["index"]
            spec = dict(zip(fk["spec"][0::2], fk["spec"][1::2]))
            return (f'{indent}    .numKeys({begin + spec["keynumidx"]}, '
                    f'{begin + spec["firstkey"]}, {spec["keystep"]})\n')
    return ""

def spec_line(info, docs, site, indent, sub=None):
    name, arity, flags, first, last, step, acl = info[0], info[1], info[2], info[3], info[4], info[5], info[6]
    flags = ", ".join("Flag." + f.upper().replace("-", "_") for f in flags)
    acl = ", ".join(jstr(a.lstrip("@")) for a in acl)
    summary = docs.get("summary", "") or ""
    since = docs.get("since", "") or ""
    group = docs.get("group", "") or ""
    complexity = docs.get("complexity", "") or ""
    return (f'{indent}CommandSpec.builder({jstr(name)}, {arity}, Site.{site})\n'
            f'{indent}    .flags({flags})\n'
            f'{indent}    .keys({first}, {last}, {step})\n'
            + num_keys_line(info, indent) +
            f'{indent}    .acl({acl})\n'
            f'{indent}    .docs({jstr(summary)}, {jstr(since)}, {jstr(group)}, {jstr(complexity)})')

def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    s, f = conn(port)
    for cls, cmds in FAMILIES.items():
        body = []
        for name, site, subs in cmds:
            info = cmd(s, f, "COMMAND", "INFO", name)[0]
            docs = doc_of(cmd(s, f, "COMMAND", "DOCS", name), name)
            line = spec_line(info, docs, site, "        ")
            if subs:
                subinfo = {x[0]: x for x in info[9]}
                subdocs = dict(zip(docs.get("subcommands", [])[0::2], docs.get("subcommands", [])[1::2]))
                parts = []
                for sub in subs:
                    sub, subsite = sub if isinstance(sub, tuple) else (sub, site)
                    si = subinfo[f"{name}|{sub}"]
                    sd = subdocs.get(f"{name}|{sub}")
                    sd = dict(zip(sd[0::2], sd[1::2])) if sd else {}
                    parts.append(spec_line(si, sd, subsite, "            ") + "\n            .build()")
                parts.extend(EXTRA_SUBCOMMANDS.get(name, []))
                line += "\n            .subcommands(\n" + ",\n".join(parts) + ")"
            body.append(line + "\n            .build()")
        src = f"""package io.basalt.router.command.specs;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandSpec.Site;
import java.util.List;

/**
 * Generated by scripts/gen-command-specs.py from redis-server's COMMAND INFO and COMMAND DOCS:
 * arity, flags, key positions, ACL categories and docs are Redis's own. Edit the generator's
 * family list, not this file, to add commands.
 */
public final class {cls} {{
    private {cls}() {{}}

    public static List<CommandSpec> specs() {{
        return List.of(
{(","+chr(10)).join(body)});
    }}
}}
"""
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, cls + ".java"), "w") as out:
            out.write(src)

if __name__ == "__main__":
    main()
