#!/usr/bin/env python3
"""Writes the HyperLogLog golden scripts, commands only; record.py adds Redis's replies.

Usage: hyperloglog-gen.py main FILE
       hyperloglog-gen.py random SEED STEPS KEYS BATCH,SIZES GET_PROBABILITY FILE
       hyperloglog-gen.py corrupt SEED CASES SPARSE,BYTE,GOALS FILE
hyperloglog.txt is "main"; hyperloglog-random.txt is "random 9 75 3 10,30,60 0.4";
hyperloglog-corrupt.txt is "corrupt 14 14 50,300". Larger random
scripts (thousands of steps, a GET after each) make a stronger check when replayed locally, but
are too large to keep in the repository."""
import random, sys

def main_script():
    L = []
    counted = set()
    def c(s):
        a = s.split(' ')
        if a[0] == 'pfcount' and len(a) == 2:
            counted.add(a[1])
        if a[0] in ('get', 'getrange') and a[1] in counted:
            raise SystemExit('GET of %s after its PFCOUNT: %s' % (a[1], s))
        if a[0] in ('set', 'del', 'flushall'):
            counted.discard(a[1] if len(a) > 1 else None)
        L.append('> ' + s)
    def note(s): L.append('# ' + s)
    L.append('# HyperLogLog commands. Recorded from redis-server 7.0.15 by record.py; replayed by GoldenScriptTest.')
    L.append('# PFCOUNT of one key writes its cache in Redis and not here, so no GET of a key follows its')
    L.append('# PFCOUNT before a PFADD that changes it or a PFMERGE (which set the cache invalid again).')
    c('flushall')
    note('an empty HLL: sparse, one XZERO of 16384 registers; PFADD without elements still creates it')
    c('pfadd h'); c('get h'); c('pfadd h'); c('pfcount h h')
    c('pfadd h a b c'); c('get h'); c('pfadd h a b c'); c('pfadd h c a'); c('pfcount h nokey')
    c('pfadd h d'); c('get h'); c('strlen h'); c('object encoding h'); c('type h')
    c('pfdebug encoding h'); c('pfdebug decode h'); c('pfdebug ENCODING h')
    c('pfcount nokey'); c('pfcount nokey1 nokey2')
    c('pfadd h2 x y z a'); c('pfcount h h2'); c('pfcount h2 h'); c('get h'); c('get h2')
    c('pfmerge m h h2'); c('get m'); c('pfmerge m'); c('get m')
    c('pfmerge newkey'); c('get newkey'); c('pfmerge newkey2 nokey'); c('get newkey2')
    c('pfmerge h h2'); c('get h')
    c('pfadd one a'); c('pfcount one'); c('pfadd one a'); c('pfcount one'); c('pfadd one b'); c('pfcount one')
    note('binary elements, empty element')
    c("pfadd bin '' hex:00 hex:ff00ff hex:0d0a 'with space'"); c('get bin'); c('pfcount bin nokey')
    note('elements of every length 0..39 (MurmurHash64A blocks and tail)')
    c('pfadd lens ' + ' '.join("'" + 'abcdefghijklmnopq'[:n] + "'" for n in range(18))); c('get lens')
    c('pfadd lens ' + ' '.join('x' * n for n in range(18, 40))); c('get lens')
    note('growth of the sparse form until it turns dense past hll-sparse-max-bytes (3000)')
    n = 0
    for step in [10, 40, 100, 200, 300, 400, 500, 500, 500]:
        c('pfadd grow ' + ' '.join('e%d' % i for i in range(n, n + step)))
        n += step
        c('strlen grow'); c('pfdebug encoding grow'); c('pfcount grow nokey')
        if step <= 300:
            c('get grow')
    c('pfadd grow e1 e2'); c('pfadd grow new1')
    note('a run of 33 (kibajbfo: 32 zero bits above the index) does not fit a VAL: the value turns dense')
    c('pfadd v33 a b c'); c('pfadd v33 kibajbfo'); c('pfdebug encoding v33'); c('strlen v33'); c('get v33')
    c('pfadd v33 kibajbfo'); c('pfadd v33s a'); c('pfmerge v33s v33'); c('pfdebug encoding v33s'); c('pfcount v33 v33s')
    c('object encoding grow')
    note('merges: sparse + sparse stays sparse; any dense input makes the target dense')
    c('pfadd s1 ' + ' '.join('s1-%d' % i for i in range(50)))
    c('pfadd s2 ' + ' '.join('s2-%d' % i for i in range(50)))
    c('pfmerge ss s1 s2'); c('get ss'); c('pfdebug encoding ss'); c('pfcount s1 s2')
    c('pfmerge sd s1 grow'); c('pfdebug encoding sd'); c('get sd'); c('pfcount s1 grow')
    c('pfmerge s1 s2'); c('pfdebug encoding s1'); c('get s1')
    c('pfmerge grow s2'); c('pfcount grow'); c('pfcount ss'); c('pfcount sd')
    note('PFDEBUG TODENSE and GETREG (both leave the value dense)')
    c('pfadd small a b c'); c('pfdebug todense small'); c('pfdebug todense small'); c('get small')
    c('pfdebug encoding small'); c('pfadd small2 q'); c('pfdebug hex:656e636f64696e670078 small2')
    c('pfdebug todense small2'); c('pfdebug decode small2'); c('pfcount small small2')
    c('pfdebug nosuch small2'); c('pfdebug hex:666f6f0d0a626172 small2'); c('pfdebug hex:61006263 small2')
    c('pfdebug encoding nokey'); c('pfdebug nosuch nokey')
    note('wrong types and strings that are not HLLs')
    c('set str hello'); c('pfadd str a'); c('pfcount str'); c('pfcount h str'); c('pfmerge str'); c('pfmerge x str')
    c('exists x'); c('pfdebug encoding str'); c('pfdebug nosuch str')
    c('set num 12345'); c('pfadd num a'); c('pfcount num')
    c('lpush l a'); c('pfadd l a'); c('pfcount l'); c('pfcount h l'); c('pfmerge h l'); c('pfmerge l h'); c('pfdebug encoding l')
    c("set short HYLL"); c('pfadd short a')
    c('set fake hex:48594c4c010000000000000000000000'); c('pfcount fake fake'); c('pfadd fake a'); c('get fake')
    note('arity')
    c('pfadd'); c('pfcount'); c('pfmerge'); c('pfdebug'); c('pfdebug encoding'); c('pfdebug encoding h extra')
    note('corrupted values: header changed with SETRANGE, sparse opcodes past 16384 registers')
    c('pfadd c a b c'); c('setrange c 0 X'); c('pfadd c d'); c('pfcount c c'); c('setrange c 0 H')
    c('setrange c 4 hex:02'); c('pfadd c d'); c('pfmerge c')
    c('setrange c 4 hex:00'); c('pfadd c d'); c('pfcount c c')
    c('setrange c 4 hex:01'); c('pfadd c d'); c('get c')
    c('append c hex:7fff'); c('pfcount c h'); c('pfmerge x c'); c('pfmerge c')
    c('pfdebug todense c'); c('pfdebug getreg c'); c('pfdebug decode c'); c('pfadd c zz yy'); c('get c'); c('pfcount c')
    c('pfadd c2 a'); c('setrange c2 16 hex:4000'); c('pfadd c2 b c d e f'); c('get c2'); c('pfcount c2')
    note('a sparse value that ends inside an XZERO (Redis reads its terminating NUL)')
    c('set t hex:48594c4c0100000000000000000000807f'); c('pfdebug decode t'); c('pfadd t a'); c('get t'); c('pfcount t')
    c('set t2 hex:48594c4c0100000000000000000000807f'); c('pfadd t2 a b c d e f g'); c('get t2')
    c('set t3 hex:48594c4c0100000000000000000000807fff3f'); c('pfadd t3 a b'); c('get t3'); c('pfcount t3')
    note('a valid cache is answered as it is, whatever the registers say')
    c('set cached hex:48594c4c01000000' + '2a00000000000000' + '7fff'); c('pfcount cached'); c('pfcount cached h')
    c('set cached2 hex:48594c4c01000000' + 'ffffffffffffff7f' + '7fff'); c('pfcount cached2')
    note('dense values set by hand: all registers 51 (the estimate overflows), all 1')
    c('set d51 hex:48594c4c00000000' + '0000000000000080' + 'f33ccf' * 4096); c('pfcount d51'); c('pfcount d51 nokey')
    c('pfmerge d51m s2 d51'); c('pfcount d51m')
    c('set d1 hex:48594c4c00000000' + '0000000000000080' + '410410' * 4096); c('pfadd d1 a b c d'); c('pfadd d1 a'); c('pfcount d1')
    c('pfmerge d1 s2'); c('pfcount d1'); c('pfdebug decode d1')
    note('TTL survives PFADD and PFMERGE (they change the value in place)')
    c('pfadd ttlk a'); c('expire ttlk 100'); c('pfadd ttlk b'); c('ttl ttlk')
    c('pfmerge ttlk s2'); c('ttl ttlk')
    note('SET/APPEND/GETRANGE treat the value as a plain string')
    c('getrange h 0 3'); c('append h2 x'); c('pfadd h2 a'); c('pfcount h2')
    return L

def random_script(seed, steps, nkeys=4, batches=(1, 1, 2, 5, 20, 60), getp=1.0):
    rnd = random.Random(seed)
    L = ['# Random PFADD/PFMERGE/PFCOUNT sequence: hyperloglog-gen.py random %d %d %d %s %s FILE;' % (
            seed, steps, nkeys, ','.join(map(str, batches)), getp),
         '# replies recorded from redis-server 7.0.15 by record.py. PFCOUNT takes two keys (no cache write in Redis).',
         '> flushall']
    keys = ['r%d' % i for i in range(nkeys)]
    for _ in range(steps):
        k = rnd.choice(keys)
        x = rnd.random()
        if x < 0.75:
            n = rnd.choice(batches)
            L.append('> pfadd %s %s' % (k, ' '.join('%x' % rnd.getrandbits(rnd.choice([8, 16, 32, 64])) for _ in range(n))))
        elif x < 0.85:
            L.append('> pfmerge %s %s' % (k, ' '.join(rnd.sample(keys, rnd.randint(0, 3)))))
        elif x < 0.95:
            L.append('> pfcount %s %s' % (k, rnd.choice(keys)))
        else:
            L.append('> pfdebug encoding %s' % k)
        if rnd.random() < getp:
            L.append('> get %s' % k)
    return L

def corrupt_script(seed, cases, goals):
    """Sparse values built opcode by opcode (valid or near-miss register totals, sometimes cut
    inside an XZERO), then PFADD, PFMERGE, PFDEBUG on them: Redis's handling of odd values."""
    rnd = random.Random(seed)
    L = ['# Hand-built sparse values: hyperloglog-gen.py corrupt %d %d %s FILE;' % (seed, cases, ','.join(map(str, goals))),
         '# replies recorded from redis-server 7.0.15 by record.py. PFCOUNT takes two keys (no cache write in Redis).',
         '> flushall']
    def opcodes(target, nbytes_goal):
        out = bytearray(); reg = 0
        while reg < target:
            left = target - reg
            x = rnd.random()
            if x < 0.5:
                v = rnd.randint(1, 32) if rnd.random() < 0.3 else rnd.randint(1, 4)
                ln = min(rnd.randint(1, 4), left)
                out.append(0x80 | ((v - 1) << 2) | (ln - 1)); reg += ln
            elif x < 0.85 or left < 65:
                ln = min(rnd.randint(1, 64) if rnd.random() < 0.5 else rnd.randint(1, 8), left)
                out.append(ln - 1); reg += ln
            else:
                ln = min(rnd.randint(65, max(65, min(left, 16384 * 3 // max(1, nbytes_goal)))), left)
                out += bytes([0x40 | ((ln - 1) >> 8), (ln - 1) & 0xff]); reg += ln
        return out
    for i in range(cases):
        goal = rnd.choice(goals)
        target = 16384 if rnd.random() < 0.85 else rnd.choice([16383, 16385, 20000, 100])
        body = opcodes(target, goal)
        if rnd.random() < 0.1 and body:
            body = body[:-1]  # may cut an XZERO in half
        hdr = b'HYLL\x01\x00\x00\x00' + bytes(7) + bytes([0x80])
        k = 'f%d' % i
        L.append('> set %s hex:%s' % (k, (hdr + body).hex()))
        n = rnd.choice([1, 3, 10, 50, 200])
        L.append('> pfadd %s %s' % (k, ' '.join('%x' % rnd.getrandbits(32) for _ in range(n))))
        L.append('> get %s' % k)
        L.append('> pfcount %s %s' % (k, k))
        L.append('> pfdebug decode %s' % k)
        src = 'f%d' % rnd.randint(0, i)
        L.append('> pfmerge %s %s' % (k, src))
        L.append('> get %s' % k)
        if rnd.random() < 0.3:
            L.append('> pfmerge m%d %s' % (i, k)); L.append('> get m%d' % i)
        if rnd.random() < 0.2:
            L.append('> pfdebug todense %s' % k); L.append('> get %s' % k)
    return L

if __name__ == '__main__':
    what = sys.argv[1]
    if what == 'main':
        L = main_script()
    elif what == 'corrupt':
        L = corrupt_script(int(sys.argv[2]), int(sys.argv[3]), [int(g) for g in sys.argv[4].split(',')])
    else:
        L = random_script(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), [int(x) for x in sys.argv[5].split(',')], float(sys.argv[6]))
    open(sys.argv[-1], 'w', encoding='latin-1').write('\n'.join(L) + '\n')
