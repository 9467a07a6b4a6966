#!/usr/bin/env bash
# Benchmarks the Service proxy with wrk: one backend replica (a trivial 15-byte answer) and, each in its own JVM,
# proxies in front of it (dev.berth.platform.proxy.bench.ProxyBench): per request (http) and per connection (tcp),
# on the JDK's NIO transport and on Netty's native epoll transport. wrk runs straight at the backend and through
# each proxy, same threads/connections/duration, alternating for BENCH_ROUNDS rounds after a warm-up. Prints the
# medians of requests/s and p99, the share of the straight throughput each proxy keeps, the p99 it adds, and its
# CPU per request (the proxy JVM's utime + stime from /proc around its run).
#
#   ci/bench-proxy.sh                               # 3 rounds x 10 s per side, 2 threads, 50 connections
#   BENCH_PROXIES="http:nio http:epoll" BENCH_DURATION=30s ci/bench-proxy.sh
#
# Everything runs on 127.0.0.1. Targets: >= 90 % of the straight throughput, <= 1 ms added p99 (see README).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-3}
BACKEND_EVENT_LOOPS=${BENCH_BACKEND_EVENT_LOOPS:-1}   # one small replica
PROXY_EVENT_LOOPS=${BENCH_PROXY_EVENT_LOOPS:-2}       # ServiceProxyConfig.DEFAULT_EVENT_LOOPS
PROXIES=${BENCH_PROXIES:-http:nio http:epoll tcp:nio tcp:epoll}

ensure_java
command -v wrk >/dev/null || apt_install wrk

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

say "compiling platform tests and resolving their classpath"
./mvnw -B -q -pl platform test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test >/dev/null
cp="platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")"

# start NAME ARGS... → starts a ProxyBench role, waits for its port; sets started_pid and started_port
start() {
  local name=$1; shift
  java -cp "$cp" dev.berth.platform.proxy.bench.ProxyBench "$@" >"$work/$name.out" 2>"$work/$name.err" &
  started_pid=$!
  pids+=("$started_pid")
  local deadline=$((SECONDS + 60))
  until grep -q '^port=' "$work/$name.out" 2>/dev/null; do
    kill -0 "$started_pid" 2>/dev/null || { cat "$work/$name.err" >&2; die "ProxyBench $* exited"; }
    [ $SECONDS -lt $deadline ] || die "ProxyBench $* did not print its port within 60 s"
    sleep 0.2
  done
  started_port=$(sed -n 's/^port=//p' "$work/$name.out")
}

say "starting the backend and the proxies ($PROXIES)"
start backend backend "$BACKEND_EVENT_LOOPS"
backend_port=$started_port
declare -A url pid_of
url[direct]="http://127.0.0.1:$backend_port/"
pid_of[direct]=
for proxy in $PROXIES; do
  start "${proxy/:/-}" proxy "$backend_port" "${proxy%%:*}" "${proxy##*:}" "$PROXY_EVENT_LOOPS"
  url[$proxy]="http://127.0.0.1:$started_port/"
  pid_of[$proxy]=$started_pid
done

ticks() { [ -n "$1" ] && awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" || echo 0; }

# run SIDE DURATION → "requests_per_second p99_ms proxy_cpu_us_per_request"; fails on socket errors or non-2xx answers.
run_wrk() {
  local out="$work/wrk.txt" before after
  before=$(ticks "${pid_of[$1]}")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency "${url[$1]}" >"$out"
  after=$(ticks "${pid_of[$1]}")
  local n rps p99
  read -r n rps p99 < <(wrk_stats "$out") || die "wrk saw errors against $1"
  awk -v n="$n" -v r="$rps" -v p="$p99" -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f %.3f %.1f\n", r, p, (a - b) / hz * 1e6 / n }'
}

sides="direct $PROXIES"
load_before=$(cut -d' ' -f1 /proc/loadavg)
say "warm-up: $WARMUP per side"
for side in $sides; do run_wrk "$side" "$WARMUP" >/dev/null; done

say "$ROUNDS rounds x $DURATION per side, wrk $THREADS threads $CONNECTIONS connections; backend $BACKEND_EVENT_LOOPS, proxies $PROXY_EVENT_LOOPS event loop(s)"
for side in $sides; do : >"$work/${side/:/-}.samples"; done
printf '%-6s %-11s %12s %10s %14s\n' round side requests/s p99 'proxy µs/req'
for round in $(seq 1 "$ROUNDS"); do
  for side in $sides; do
    read -r rps p99 cpu < <(run_wrk "$side" "$DURATION")
    echo "$rps $p99 $cpu" >>"$work/${side/:/-}.samples"
    printf '%-6s %-11s %12s %8sms %14s\n' "$round" "$side" "$rps" "$p99" "$([ "$side" = direct ] && echo - || echo "$cpu")"
  done
done

col() { cut -d' ' -f"$2" "$work/${1/:/-}.samples" | median; }
d_rps=$(col direct 1); d_p99=$(col direct 2)
echo "medians of $ROUNDS rounds:"
printf '  %-11s %12s requests/s  p99 %8s ms\n' direct "$d_rps" "$d_p99"
for side in $PROXIES; do
  awk -v side="$side" -v d="$d_rps" -v dl="$d_p99" -v p="$(col "$side" 1)" -v pl="$(col "$side" 2)" -v c="$(col "$side" 3)" 'BEGIN {
    printf "  %-11s %12.1f requests/s  p99 %8.3f ms   %.1f%% of straight, p99 %+.3f ms, proxy CPU %.1f µs/request\n",
           side, p, pl, p / d * 100, pl - dl, c }'
done
# Other work on the machine skews every side: a 1-minute load well above 0 before the run means rerun.
echo "1-min load average before the run: $load_before ($(nproc) cores; wrk, the backend and the proxies share them)"
