#!/usr/bin/env python3
"""Writes the list of every command (and subcommand) a running redis-server knows, from its
COMMAND DOCS, as the reference for docs/compatibility.md. Usage: gen-redis-command-list.py PORT FILE

One line per command, sorted: name, group and summary separated by tabs; a subcommand is named
"container|sub" as Redis prints it. Run it against the reference server (7.0.15); the docs test
in cli (CompatibilityDocTest) reads the file it writes."""
import importlib.util, os, sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gen_command_specs", os.path.join(_here, "gen-command-specs.py"))
specs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(specs)  # reuse its RESP client: conn, cmd

def pairs(flat):
    return dict(zip(flat[0::2], flat[1::2]))

def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    s, f = specs.conn(port)
    docs = pairs(specs.cmd(s, f, "COMMAND", "DOCS"))
    lines = []
    for name, d in docs.items():
        d = pairs(d)
        lines.append((name, d.get("group", ""), d.get("summary", "")))
        for sub, sd in pairs(d.get("subcommands", []) or []).items():
            sd = pairs(sd)
            lines.append((sub, sd.get("group", ""), sd.get("summary", "")))
    version = pairs(specs.cmd(s, f, "HELLO", "2")).get("version", "?")
    with open(path, "w") as out:
        out.write(f"# Commands of redis-server {version} (COMMAND DOCS), written by scripts/gen-redis-command-list.py\n")
        for name, group, summary in sorted(lines):
            out.write(f"{name}\t{group}\t{' '.join(summary.split())}\n")

if __name__ == "__main__":
    main()
