#!/usr/bin/env bash
# Benchmarks the Service proxy with wrk: one backend replica and the proxy in front of it
# (dev.berth.platform.proxy.bench.ProxyBench), then wrk straight at the backend and through the proxy,
# same threads/connections/duration, alternating for BENCH_ROUNDS rounds after a warm-up. Prints the
# medians of requests/s and p99 latency, the throughput lost to the proxy and the p99 it adds.
#
#   ci/bench-proxy.sh                       # 3 rounds x 10 s per side, 2 threads, 50 connections
#   BENCH_DURATION=30s BENCH_CONNECTIONS=100 ci/bench-proxy.sh
#
# Everything runs on 127.0.0.1. Targets: <= 10% throughput loss, <= 1 ms added p99 (see README).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-3}
BACKEND_EVENT_LOOPS=${BENCH_BACKEND_EVENT_LOOPS:-1}   # one small replica
PROXY_EVENT_LOOPS=${BENCH_PROXY_EVENT_LOOPS:-2}       # ServiceProxyConfig.DEFAULT_EVENT_LOOPS

ensure_java
command -v wrk >/dev/null || apt_install wrk

work=$(mktemp -d)
bench_pid=
cleanup() {
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say "compiling platform tests and resolving their classpath"
./mvnw -B -q -pl platform test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test >/dev/null

say "starting backend + proxy"
java -cp "platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")" \
  dev.berth.platform.proxy.bench.ProxyBench "$BACKEND_EVENT_LOOPS" "$PROXY_EVENT_LOOPS" >"$work/bench.out" 2>"$work/bench.err" &
bench_pid=$!
deadline=$((SECONDS + 60))
until grep -q '^backend=' "$work/bench.out" 2>/dev/null; do
  kill -0 "$bench_pid" 2>/dev/null || { cat "$work/bench.err" >&2; die "ProxyBench exited"; }
  [ $SECONDS -lt $deadline ] || die "ProxyBench did not print its ports within 60 s"
  sleep 0.2
done
read -r backend_port proxy_port < <(sed -n 's/^backend=\([0-9]*\) proxy=\([0-9]*\)$/\1 \2/p' "$work/bench.out")
direct_url="http://127.0.0.1:$backend_port/"
proxy_url="http://127.0.0.1:$proxy_port/"

# run_wrk URL DURATION → "requests_per_second p99_ms"; fails on socket errors or non-2xx answers.
run_wrk() {
  local out="$work/wrk.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency "$1" >"$out"
  if grep -qE 'Non-2xx|Socket errors' "$out"; then cat "$out" >&2; die "wrk saw errors against $1"; fi
  awk '
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      p99 = v
    }
    END { printf "%.1f %.3f\n", rps, p99 }' "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

load_before=$(cut -d' ' -f1 /proc/loadavg)
say "warm-up: $WARMUP per side"
run_wrk "$direct_url" "$WARMUP" >/dev/null
run_wrk "$proxy_url" "$WARMUP" >/dev/null

say "$ROUNDS rounds x $DURATION per side, wrk $THREADS threads $CONNECTIONS connections; backend $BACKEND_EVENT_LOOPS, proxy $PROXY_EVENT_LOOPS event loop(s)"
: >"$work/direct" ; : >"$work/proxy"
printf '%-6s %14s %12s %14s %12s\n' round direct_rps direct_p99 proxy_rps proxy_p99
for round in $(seq 1 "$ROUNDS"); do
  read -r d_rps d_p99 < <(run_wrk "$direct_url" "$DURATION")
  read -r p_rps p_p99 < <(run_wrk "$proxy_url" "$DURATION")
  echo "$d_rps $d_p99" >>"$work/direct"
  echo "$p_rps $p_p99" >>"$work/proxy"
  printf '%-6s %14s %10sms %14s %10sms\n' "$round" "$d_rps" "$d_p99" "$p_rps" "$p_p99"
done

d_rps=$(cut -d' ' -f1 "$work/direct" | median)
d_p99=$(cut -d' ' -f2 "$work/direct" | median)
p_rps=$(cut -d' ' -f1 "$work/proxy" | median)
p_p99=$(cut -d' ' -f2 "$work/proxy" | median)
printf '%-6s %14s %10sms %14s %10sms\n' median "$d_rps" "$d_p99" "$p_rps" "$p_p99"
awk -v d="$d_rps" -v p="$p_rps" -v dl="$d_p99" -v pl="$p_p99" -v cores="$(nproc)" 'BEGIN {
  printf "throughput loss through the proxy: %.1f%%   added p99: %.3f ms   (%d cores, wrk on the same machine)\n",
         (d - p) / d * 100, pl - dl, cores }'
# Other work on the machine skews both sides: a 1-minute load well above 0 before the run means rerun.
echo "1-min load average before the run: $load_before"
