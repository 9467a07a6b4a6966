#!/usr/bin/env bash
# The order flow under Berth against the same two services run bare (issue 14's target: under `./berth up` ≥ 80 % of
# bare, same replicas and JVM flags). wrk POSTs /api/orders with a unique Idempotency-Key per request (THREADS threads,
# CONNECTIONS connections):
#   berth: at order-service's Service (its virtual address on the kernel path, else its local port; BENCH_VIA=proxy
#          forces the local port) under `./berth up` (started with --detach when the core is not
#          answering; left running — `./berth down` stops it), both Deployments scaled to 1 replica and restarted (fresh
#          JVMs, as the bare side's) for the run, scaled back after; the kit's own PostgreSQL;
#   bare:  order-service and payment-service as plain processes (their packaged jars, services/*/target/quarkus-app)
#          with the JVM flags the kubelet gave the running replicas (read from /proc), against the local PostgreSQL
#          (database BENCH_DB, made fresh), order-service calling payment-service straight;
# alternating, ROUNDS rounds of DURATION after a warm-up of each side. Per run: orders/s (201 answers), p99, and under
# Berth the core's CPU per order (/proc). Prints every sample and the medians; wrk's outputs stay in
# target/bench/orderflow/. Any non-2xx answer or socket error outside the warm-up fails the run.
#
#   ci/bench-orderflow.sh                                  # 120 s warm-up, 5 rounds x 20 s, 2 threads, 16 connections
#   BENCH_ROUNDS=3 BENCH_WARMUP=60s BENCH_DURATION=30s ci/bench-orderflow.sh
# The warm-up is 120 s and the rounds 5 because freshly started JVMs are still compiling after 60 s: with 60 s and 3
# rounds every round of both sides was faster than the one before (README, Benchmarks).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-120s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-5}
DB=${BENCH_DB:-berth_orderflow}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGADMIN=${PGADMIN:-postgres}
command -v wrk >/dev/null || apt_install wrk
command -v psql >/dev/null || apt_install postgresql-client
out_dir="$BERTH_ROOT/target/bench/orderflow"
mkdir -p "$out_dir"
work=$(mktemp -d)

token() { cat "$BERTH_STATE/token"; }
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:7070$1"; }
scale() { # DEPLOYMENT REPLICAS
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $(token)" -H 'Content-Type: application/merge-patch+json' \
    -d "{\"spec\":{\"replicas\":$2}}" "http://127.0.0.1:7070/apis/apps/v1/namespaces/berth/deployments/$1/scale"
}
ready_endpoints() { # SERVICE → its Ready addresses, one per line
  api "/api/v1/namespaces/berth/endpoints/$1" | python3 -c '
import json,sys
for s in json.load(sys.stdin).get("subsets") or []:
    for a in s.get("addresses") or []:
        print("%s:%d" % (a["ip"], s["ports"][0]["port"]))'
}
replicas_of() { api "/apis/apps/v1/namespaces/berth/deployments/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["spec"]["replicas"])'; }

api /q/health/ready >/dev/null 2>&1 || "$BERTH_ROOT/berth" up --detach
core_pid=$(cat "$BERTH_STATE/core/core.pid")
[ -d "/proc/$core_pid" ] || die "the core's pid file names $core_pid, which is not running"

bare_pids=()
declare -A restore
cleanup() {
  for pid in "${bare_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bare_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for d in "${!restore[@]}"; do scale "$d" "${restore[$d]}" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# one replica of each, as the bare side runs, and fresh ones (a rollout restart, as `kubectl rollout restart` does it):
# the bare processes start cold, so the replicas must too, or the side whose JVMs served earlier runs is the warmer one
rolled_out() { # DEPLOYMENT → true once it has exactly 1 replica, updated and ready, of its current generation
  api "/apis/apps/v1/namespaces/berth/deployments/$1" | python3 -c '
import json,sys
d=json.load(sys.stdin); s=d.get("status") or {}
ok = (s.get("observedGeneration") == d["metadata"]["generation"] and s.get("replicas") == 1
      and s.get("updatedReplicas") == 1 and s.get("readyReplicas") == 1)
sys.exit(0 if ok else 1)'
}
for d in order-service payment-service; do
  restore[$d]=$(replicas_of "$d")
  scale "$d" 1
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $(token)" -H 'Content-Type: application/strategic-merge-patch+json' \
    -d "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"$(date -u +%FT%TZ)\"}}}}}" \
    "http://127.0.0.1:7070/apis/apps/v1/namespaces/berth/deployments/$d"
done
deadline=$((SECONDS + 300))
until rolled_out order-service && rolled_out payment-service && [ "$(ready_endpoints order-service | wc -l)" -eq 1 ] &&
      [ "$(ready_endpoints payment-service | wc -l)" -eq 1 ]; do
  [ $SECONDS -lt $deadline ] || die "order-service and payment-service did not settle at 1 fresh Ready replica each in 300 s"
  sleep 1
done
service_port=$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"]["berth.dev/local-port"])')
# the Service as replicas and clients on this machine reach it: its virtual address on the kernel path (root and
# nftables), else its 127.0.0.1 listener (BENCH_VIA=proxy forces the listener)
service_addr=127.0.0.1:$service_port
cluster_ip=$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"].get("berth.dev/cluster-ip", ""))')
[ -n "$cluster_ip" ] && [ "${BENCH_VIA:-}" != proxy ] && service_addr=$cluster_ip:80

# jvm_flags HOST:PORT → the -X/-XX flags of the process listening there (a replica, as the kubelet started it), without
# its class-data archive flags (the bare processes have no archive; throughput after a warm-up does not depend on one)
jvm_flags() {
  local port=${1##*:} pid
  pid=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [ -n "$pid" ] || die "no process listens on $1"
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -E '^-X' | grep -vE 'SharedArchiveFile|ArchiveClassesAtExit|AOTCache|AOTMode|AOTConfiguration|RecordDynamicDumpInfo|Xlog|Xshare' | tr '\n' ' '
}
order_flags=$(jvm_flags "$(ready_endpoints order-service)")
payment_flags=$(jvm_flags "$(ready_endpoints payment-service)")
say "under Berth: order-service at $service_addr (1 replica each); replicas' JVM flags: order-service $order_flags| payment-service $payment_flags"

# the bare side: a fresh database, both services on ports of their own
export PGOPTIONS="-c client_min_messages=warning"
psql -qAt -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -d postgres \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB OWNER berth" ||
  die "cannot make database $DB on $PGHOST:$PGPORT (ci/postgres.sh sets up the local PostgreSQL)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bare_start() { # SERVICE PORT FLAGS ENV...
  local svc=$1 port=$2 flags=$3; shift 3
  # shellcheck disable=SC2086 # the flags are words
  env POSTGRES_SERVICE_HOST="$PGHOST" POSTGRES_SERVICE_PORT="$PGPORT" POSTGRES_DB="$DB" \
      QUARKUS_DATASOURCE_USERNAME=berth QUARKUS_DATASOURCE_PASSWORD=berth \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" "$@" \
      java $flags -jar "services/$svc/target/quarkus-app/quarkus-run.jar" >>"$out_dir/bare-$svc.log" 2>&1 &
  bare_pids+=($!)
}
[ -f services/order-service/target/quarkus-app/quarkus-run.jar ] || die "build the services first (./berth up builds them)"
payment_port=$(free_port); order_port=$(free_port)
bare_start payment-service "$payment_port" "$payment_flags"
bare_start order-service "$order_port" "$order_flags" PAYMENT_SERVICE_SERVICE_HOST=127.0.0.1 PAYMENT_SERVICE_SERVICE_PORT="$payment_port"
wait_for_http "http://127.0.0.1:$payment_port/q/health/ready" 120 || die "bare payment-service not ready; see $out_dir/bare-payment-service.log"
wait_for_http "http://127.0.0.1:$order_port/q/health/ready" 120 || die "bare order-service not ready; see $out_dir/bare-order-service.log"
say "bare: order-service at 127.0.0.1:$order_port, payment-service at 127.0.0.1:$payment_port, database $DB"

{ wrk_numbered_lua; cat <<'LUA'
-- POST /api/orders, each request with an Idempotency-Key of its own: "<run tag>-<thread>-<n>"
function init(args)
  tag = args[1]
  n = 0
  body = '{"customerId":"bench","currency":"EUR","items":[{"sku":"BENCH-1","quantity":1,"unitPrice":"9.99"}]}'
end
function request()
  n = n + 1
  return wrk.format("POST", "/api/orders", {["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", tag, tid, n)}, body)
end
LUA
} >"$work/post.lua"

core_ticks() { cpu_ticks "$core_pid"; }

# run SIDE DURATION TAG → "orders_per_s p99_ms core_us_per_order"
run() {
  local side=$1 duration=$2 tag=$3 url before after
  if [ "$side" = berth ]; then url="http://$service_addr"; else url="http://127.0.0.1:$order_port"; fi
  before=$(core_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency -s "$work/post.lua" "$url" -- "$tag-$RANDOM$RANDOM" \
    >"$out_dir/$tag.txt" 2>&1
  after=$(core_ticks)
  read -r n rps p99 < <(wrk_stats "$out_dir/$tag.txt")
  awk -v r="$rps" -v p="$p99" -v n="$n" -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f %.3f %.0f\n", r, p, (n > 0 ? (a - b) / hz * 1e6 / n : 0) }'
}
load_before=$(cut -d' ' -f1 /proc/loadavg)
say "warm-up: $WARMUP per side"
run berth "$WARMUP" warmup-berth >/dev/null
run bare "$WARMUP" warmup-bare >/dev/null

say "$ROUNDS rounds x $DURATION per side, POST /api/orders, $THREADS threads, $CONNECTIONS connections"
: >"$out_dir/berth"; : >"$out_dir/bare"
printf '%-6s %12s %10s %12s %10s %16s\n' round berth/s p99 bare/s p99 'core µs/order'
for round in $(seq 1 "$ROUNDS"); do
  # alternate which side goes first
  if [ $((round % 2)) -eq 1 ]; then
    read -r b_rps b_p99 b_core < <(run berth "$DURATION" "berth-$round")
    read -r x_rps x_p99 _ < <(run bare "$DURATION" "bare-$round")
  else
    read -r x_rps x_p99 _ < <(run bare "$DURATION" "bare-$round")
    read -r b_rps b_p99 b_core < <(run berth "$DURATION" "berth-$round")
  fi
  echo "$b_rps $b_p99 $b_core" >>"$out_dir/berth"
  echo "$x_rps $x_p99" >>"$out_dir/bare"
  printf '%-6s %12s %8sms %12s %8sms %16s\n' "$round" "$b_rps" "$b_p99" "$x_rps" "$x_p99" "$b_core"
done
col() { cut -d' ' -f"$2" "$out_dir/$1" | median; }
b_rps=$(col berth 1); b_p99=$(col berth 2); b_core=$(col berth 3); x_rps=$(col bare 1); x_p99=$(col bare 2)
printf '%-6s %12s %8sms %12s %8sms %16s\n' median "$b_rps" "$b_p99" "$x_rps" "$x_p99" "$b_core"
awk -v b="$b_rps" -v x="$x_rps" -v bl="$b_p99" -v xl="$x_p99" 'BEGIN {
  printf "order flow under Berth: %.1f%% of bare (%.0f vs %.0f orders/s), p99 %+.1f ms\n", b / x * 100, b, x, bl - xl }'
echo "1-min load average before the run: $load_before"
