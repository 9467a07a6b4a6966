#!/usr/bin/env bash
# What the data plane costs the application, measured against the kit's own order-service under `./berth up`
# (started with --detach when the core is not answering; left running — `./berth down` stops it):
# wrk GET /api/orders?size=1
#   straight:  two wrk processes at once, one per Ready replica of order-service, CONNECTIONS/2 connections each;
#   Service:   one wrk, CONNECTIONS connections, at the Service's local port (the core's proxy);
#   kernel:    the same at the Service's virtual address (berth.dev/cluster-ip, port 80), when the core has the kernel
#              path (root and nftables): the kernel forwards each connection to a replica, the core carries none of it;
# in turn (each round starting with the next side), ROUNDS rounds of DURATION after a warm-up of each side. Per run: requests/s (the straight pair summed),
# p99 (of the straight pair, the larger), and the core's CPU per request: its process's utime + stime from /proc
# around the run, and the part of it spent on its Vert.x event-loop threads (where the proxy runs).
# Prints every sample and the medians; wrk's outputs stay in target/bench/dataplane/. wrk's timeout is 10 s, so only
# real failures count as errors; any error outside the warm-up fails the run.
#
#   ci/bench-dataplane.sh                                   # 3 rounds x 15 s, 2 threads, 16 connections
#   BENCH_ROUNDS=5 BENCH_DURATION=30s ci/bench-dataplane.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

DURATION=${BENCH_DURATION:-15s}
WARMUP=${BENCH_WARMUP:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
ROUNDS=${BENCH_ROUNDS:-3}
PATH_QUERY=${BENCH_PATH:-/api/orders?size=1}
command -v wrk >/dev/null || apt_install wrk
command -v python3 >/dev/null || apt_install python3
out_dir="$BERTH_ROOT/target/bench/dataplane"
mkdir -p "$out_dir"

token() { cat "$BERTH_STATE/token"; }
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:7070$1"; }
api /q/health/ready >/dev/null 2>&1 || "$BERTH_ROOT/berth" up --detach
core_pid=$(cat "$BERTH_STATE/core/core.pid")
[ -d "/proc/$core_pid" ] || die "the core's pid file names $core_pid, which is not running"

# the Service's local port and the two Ready endpoints, from the core's Kubernetes API
service_port=$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"]["berth.dev/local-port"])')
mapfile -t replicas < <(api /api/v1/namespaces/berth/endpoints/order-service | python3 -c '
import json,sys
ep=json.load(sys.stdin)
for s in ep.get("subsets") or []:
    for a in s.get("addresses") or []:
        print("%s:%d" % (a["ip"], s["ports"][0]["port"]))')
[ "${#replicas[@]}" -eq 2 ] || die "order-service has ${#replicas[@]} Ready endpoints, this benchmark wants 2: ${replicas[*]}"
cluster_ip=$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"].get("berth.dev/cluster-ip", ""))')
sides="straight service"
[ -n "$cluster_ip" ] && sides="straight service kernel"
say "order-service: Service 127.0.0.1:$service_port${cluster_ip:+ and $cluster_ip:80 (kernel path)}, replicas ${replicas[*]}; core pid $core_pid"

# cpu_ticks → "process event_loops" CPU ticks of the core so far
cpu_ticks() {
  local total loops
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$core_pid/stat")
  loops=$(for t in /proc/"$core_pid"/task/*; do cat "$t/stat" 2>/dev/null; done |
    awk '/\(vert\.x-eventloo/ { sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }')
  echo "$total $loops"
}

# run SIDE DURATION TAG → "requests_per_s p99_ms core_us_per_request loops_us_per_request"
run() {
  local side=$1 duration=$2 tag=$3 before after n rps p99 hz
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks)
  if [ "$side" = straight ]; then
    local half=$((CONNECTIONS / 2))
    wrk -t1 -c"$half" -d"$duration" --timeout 10s --latency "http://${replicas[0]}$PATH_QUERY" >"$out_dir/$tag-a.txt" 2>&1 &
    local a=$!
    wrk -t1 -c"$half" -d"$duration" --timeout 10s --latency "http://${replicas[1]}$PATH_QUERY" >"$out_dir/$tag-b.txt" 2>&1
    wait "$a"
    after=$(cpu_ticks)
    read -r na ra pa < <(wrk_stats "$out_dir/$tag-a.txt")
    read -r nb rb pb < <(wrk_stats "$out_dir/$tag-b.txt")
    n=$((na + nb)); rps=$(awk -v a="$ra" -v b="$rb" 'BEGIN { print a + b }')
    p99=$(awk -v a="$pa" -v b="$pb" 'BEGIN { print (a > b) ? a : b }')
  else
    local target="127.0.0.1:$service_port"
    [ "$side" = kernel ] && target="$cluster_ip:80"
    wrk -t2 -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency "http://$target$PATH_QUERY" >"$out_dir/$tag.txt" 2>&1
    after=$(cpu_ticks)
    read -r n rps p99 < <(wrk_stats "$out_dir/$tag.txt")
  fi
  awk -v n="$n" -v r="$rps" -v p="$p99" -v hz="$hz" -v b="$before" -v a="$after" 'BEGIN {
    split(b, B, " "); split(a, A, " ")
    printf "%.1f %.3f %.1f %.1f\n", r, p, (A[1] - B[1]) / hz * 1e6 / n, (A[2] - B[2]) / hz * 1e6 / n }'
}

load_before=$(cut -d' ' -f1 /proc/loadavg)
say "warm-up: $WARMUP per side ($sides)"
for side in $sides; do run "$side" "$WARMUP" "warmup-$side" >/dev/null; done

say "$ROUNDS rounds x $DURATION per side, $CONNECTIONS connections in all, GET $PATH_QUERY"
for side in $sides; do : >"$out_dir/$side"; done
printf '%-6s %-9s %12s %10s %14s %14s\n' round side requests/s p99 'core µs/req' 'loops µs/req'
read -r -a side_list <<<"$sides"
for round in $(seq 1 "$ROUNDS"); do
  # each round starts with the next side, so no side always runs on the warmest services
  order=("${side_list[@]:$(((round - 1) % ${#side_list[@]}))}" "${side_list[@]:0:$(((round - 1) % ${#side_list[@]}))}")
  for side in "${order[@]}"; do
    read -r rps p99 core loops < <(run "$side" "$DURATION" "$side-$round")
    echo "$rps $p99 $core $loops" >>"$out_dir/$side"
    printf '%-6s %-9s %12s %8sms %14s %14s\n' "$round" "$side" "$rps" "$p99" "$core" "$loops"
  done
done
col() { cut -d' ' -f"$2" "$out_dir/$1" | median; }
s_rps=$(col straight 1); s_p99=$(col straight 2); s_core=$(col straight 3)
for side in $sides; do
  printf '%-6s %-9s %12s %8sms %14s %14s\n' median "$side" "$(col "$side" 1)" "$(col "$side" 2)" "$(col "$side" 3)" "$(col "$side" 4)"
done
for side in $sides; do
  [ "$side" = straight ] && continue
  awk -v side="$side" -v s="$s_rps" -v v="$(col "$side" 1)" -v sl="$s_p99" -v vl="$(col "$side" 2)" -v vc="$(col "$side" 3)" -v sc="$s_core" 'BEGIN {
    printf "through the Service (%s): %.1f%% of straight throughput, p99 %+.2f ms; core CPU per request %.0f µs (%+.0f µs vs straight)\n",
           side == "service" ? "its proxy" : "kernel path", v / s * 100, vl - sl, vc, vc - sc }'
done
echo "1-min load average before the run: $load_before"
