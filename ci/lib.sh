# Shared by the ci/ scripts (sourced, not run). Bash, Debian/Ubuntu.
set -euo pipefail

BERTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BERTH_STATE="${BERTH_STATE:-$HOME/.berth}"
export BERTH_ROOT BERTH_STATE
# tools ci/bootstrap.sh installs where the machine has none (a current kubectl)
export PATH="$BERTH_STATE/tools/bin:$PATH"

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# apt_install PKG... — installs the Debian packages that are missing (idempotent, no recommends).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    as_root apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ensure_java — a JDK 17+ on PATH (Debian's openjdk-17 if none).
ensure_java() {
  if command -v javac >/dev/null && javac -version 2>&1 | awk '{split($2,v,"."); exit !(v[1]>=17)}'; then return 0; fi
  apt_install openjdk-17-jdk-headless
}

# java_feature HOME — the JDK's feature version (17, 25, …) from HOME/release; nothing when it cannot be read
java_feature() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }

# jdk25_home — the first JDK 25+ under /usr/lib/jvm (not a symlink to one), or nothing
jdk25_home() {
  local release home
  for release in /usr/lib/jvm/*/release; do
    home=$(dirname "$release")
    [ -L "$home" ] && continue
    if [ "$(java_feature "$home")" -ge 25 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
}

# bench_java_homes — the JVMs a benchmark compares by default: the one on PATH and the first JDK 25+ under /usr/lib/jvm
bench_java_homes() {
  echo "$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}') $(jdk25_home)"
}

# wait_for_http URL SECONDS — polls until URL answers 2xx.
wait_for_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# async_profiler — the path of async-profiler's agent library for this machine (tools.profiler:async-profiler from
# Maven Central, unpacked once into target/async-profiler), for -agentpath:…=start,event=itimer|wall,file=…,collapsed.
async_profiler() {
  local version=4.0 dir="$BERTH_ROOT/target/async-profiler"
  local lib="$dir/linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/libasyncProfiler.so"
  if [ ! -f "$lib" ]; then
    "$BERTH_ROOT/mvnw" -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" -Dtransitive=false >&2
    mkdir -p "$dir"
    (cd "$dir" && unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar" 'linux-*')
  fi
  echo "$lib"
}

# wrk_numbered_lua — the start of a wrk script whose requests must differ: each wrk thread gets a number (tid, from
# 1) in setup and counts its requests (n) from 0 in init, so "<tid>-<n>" is unique in a run; the script's own init
# takes args
wrk_numbered_lua() {
  cat <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
LUA
}

# cpu_ticks PID → the process's CPU so far (utime + stime), in clock ticks (getconf CLK_TCK per second)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# wrk_percentile FILE PCT → that latency percentile (50, 99, …) of a `wrk --latency` output, in ms
wrk_percentile() {
  awk -v pct="$2%" '
    $1 == pct {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      printf "%.3f\n", v
    }' "$1"
}

# wrk_stats FILE → "requests requests_per_s p99_ms" from a `wrk --latency` output; dies on socket errors or non-2xx
# answers unless FILE's name starts with warmup- (cold replicas may time out while warming up)
wrk_stats() {
  if grep -qE 'Non-2xx|Socket errors' "$1" && [[ $1 != */warmup-* ]]; then cat "$1" >&2; die "wrk saw errors ($1)"; fi
  awk -v p="$(wrk_percentile "$1" 99)" '
    / requests in / { n = $1 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%d %.1f %.3f\n", n, rps, p }' "$1"
}

# median — the median of the numbers on stdin, one per line (the mean of the middle two for an even count)
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
