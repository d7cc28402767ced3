# Sourced by Basalt's scripts: exports JAVA_HOME pointing at a JDK >= 21 and puts it first on PATH.
# Looks at $JAVA_HOME first, then every JDK under /usr/lib/jvm (newest first), then `java` on PATH.
# Fails with a message naming what is missing when none is found.

basalt_java_major() { # prints the feature version of the java binary $1, or 0
  local v
  v=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  v=${v#1.}
  echo "${v%%[.+-]*}" | grep -E '^[0-9]+$' || echo 0
}

basalt_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if [ -d /usr/lib/jvm ]; then
    while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  fi
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] && [ "$(basalt_java_major "$c/bin/java")" -ge 21 ]; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "basalt: no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, and javac on PATH)." >&2
  echo "basalt: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  return 1
}
