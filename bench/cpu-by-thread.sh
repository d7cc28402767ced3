#!/usr/bin/env bash
# CPU time per thread role of running JVMs over a window, from /proc (user+system ticks):
# where a benchmark's CPU goes, including what a Java profiler does not see (JIT compiler,
# GC, native I/O). Thread names are grouped by dropping digits and instance suffixes.
#   bench/cpu-by-thread.sh SECONDS PID [PID ...]
set -euo pipefail
window=$1; shift
hz=$(getconf CLK_TCK)
snap() { for p in "$@"; do for t in /proc/$p/task/*; do
  [ -r "$t/stat" ] || continue
  name=$(tr -d '\n' < "$t/comm" 2>/dev/null | sed -E 's/[0-9]+//g; s/@group-.*/@group/; s/-[A-F]+$//')
  ticks=$(awk '{print $14+$15}' "$t/stat" 2>/dev/null) || continue
  echo "$p $(basename $t) $ticks $name"
done; done; }
before=$(snap "$@")
sleep "$window"
after=$(snap "$@")
join -j1 <(awk '{print $1"-"$2, $3, $4}' <<<"$before" | sort) <(awk '{print $1"-"$2, $3}' <<<"$after" | sort) \
  | awk -v hz="$hz" -v w="$window" '{split($1,k,"-"); d=$4-$2; pid[k[1]]+=d; role[k[1]" "$3]+=d; tot+=d}
      END {printf "total %.0f%% of one core over %ss\n", 100*tot/hz/w, w;
           for (r in role) if (role[r] > 0) printf "%6.1f%%  %s\n", 100*role[r]/hz/w, r}' | sort -k1 -rn
