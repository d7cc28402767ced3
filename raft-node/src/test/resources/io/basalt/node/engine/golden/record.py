#!/usr/bin/env python3
"""Records the replies of a golden script from a real redis-server (used: 7.0.15).

Usage: record.py PORT FILE...   (rewrites each FILE in place)

A script is lines "> command args..." each followed by one reply line; '#' lines and blank lines
are kept. Arguments are split on spaces, '...' quotes an argument (no escapes inside), and an
argument "hex:6100ff" is raw bytes. A reply line is the exact reply bytes, escaped: \\r \\n \\\\
and \\xNN for bytes outside printable ASCII. GoldenScriptTest replays the scripts on the engine.
Scripts must not depend on the clock beyond TTL's rounding to seconds (no PTTL of live keys, no
EXPIRETIME of relative expiries) nor on key order (SCAN/KEYS of several keys, RANDOMKEY).
Replies are recorded in RESP2; the test converts the engine's RESP3 maps to RESP2 arrays.
"""
import socket
import sys


def split_args(line):
    args, cur, quoted, i, have = [], [], False, 0, False
    while i < len(line):
        c = line[i]
        if quoted:
            if c == "'":
                quoted = False
            else:
                cur.append(c)
        elif c == "'":
            quoted, have = True, True
        elif c == ' ':
            if cur or have:
                args.append(''.join(cur))
            cur, have = [], False
        else:
            cur.append(c)
        i += 1
    if cur or have:
        args.append(''.join(cur))
    return [bytes.fromhex(a[4:]) if a.startswith('hex:') else a.encode('latin-1') for a in args]


def escape(b):
    out = []
    for x in b:
        if x == 13:
            out.append('\\r')
        elif x == 10:
            out.append('\\n')
        elif x == 92:
            out.append('\\\\')
        elif 32 <= x < 127:
            out.append(chr(x))
        else:
            out.append('\\x%02x' % x)
    return ''.join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port))
        self.f = self.s.makefile('rb')

    def call(self, args):
        msg = b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args)
        self.s.sendall(msg)
        return self.reply()

    def reply(self):
        line = self.f.readline()
        t = line[:1]
        if t in (b'$', b'='):
            n = int(line[1:-2])
            return line if n < 0 else line + self.f.read(n + 2)
        if t in (b'*', b'%', b'~', b'>'):
            n = int(line[1:-2])
            if n < 0:
                return line
            n = n * 2 if t == b'%' else n
            return line + b''.join(self.reply() for _ in range(n))
        return line


def main():
    conn = Conn(int(sys.argv[1]))
    for path in sys.argv[2:]:
        out, expect_reply = [], False
        for line in open(path, encoding='latin-1').read().split('\n'):
            if expect_reply:
                expect_reply = False
                if line and not line.startswith('> ') and not line.startswith('#'):
                    continue  # the previously recorded reply
            out.append(line)
            if line.startswith('> '):
                out.append(escape(conn.call(split_args(line[2:]))))
                expect_reply = True
        open(path, 'w', encoding='latin-1').write('\n'.join(out))


main()
