#!/usr/bin/env bash
# Summarizes a JFR recording: the methods most often on top of the stack (self time) and the
# Basalt/Ratis/Netty frames most often anywhere on it. Used to find where a benchmark's CPU goes.
#   bench/jfr-hotspots.sh FILE.jfr [TOP]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
basalt_find_jdk
file=$1
top=${2:-25}
samples=$("$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$file")
total=$(grep -c "jdk.ExecutionSample" <<<"$samples" || true)
echo "== $file: $total samples"
echo "-- top frames (self)"
awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' <<<"$samples" \
  | sort | uniq -c | sort -rn | head -"$top"
echo "-- inclusive, io.basalt frames"
awk '/jdk.ExecutionSample/ {delete seen} /^[ \t]+io\.basalt\./ {f=$0; sub(/^[ \t]+/, "", f); sub(/line:.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' <<<"$samples" \
  | sort | uniq -c | sort -rn | head -"$top"
