#!/usr/bin/env bash
# Benchmarks how fast a backlog of PENDING orders settles once payment-service returns (issue 12's target:
# 1,000 orders within 30 s). Per round: a fresh database, order-service started while payment-service is
# down, BENCH_ORDERS orders placed (each answered 201 PENDING), then payment-service started; the time from
# starting payment-service (its JVM start-up included) until no order is PENDING. Prints every round and the
# median. The services run bare as processes against local PostgreSQL, with their production settings, as
# ci/run-local.sh runs them.
#
#   ci/bench-backlog.sh                  # 3 rounds of 1,000 orders
#   BENCH_ROUNDS=5 BENCH_ORDERS=2000 ci/bench-backlog.sh --no-build
#
# Uses (and drops between rounds) the database BENCH_DB (default berth_bench), administered as PGADMIN
# (default postgres) over TCP on PGHOST:PGPORT.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

ROUNDS=${BENCH_ROUNDS:-3}
ORDERS=${BENCH_ORDERS:-1000}
CLIENTS=${BENCH_CLIENTS:-8}
DB=${BENCH_DB:-berth_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGADMIN=${PGADMIN:-postgres}
build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *) die "unknown option $arg (see the header of $0)" ;;
  esac
done

ensure_java
command -v psql >/dev/null || apt_install postgresql-client
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
admin() { psql -qAt -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -d postgres "$@"; }
pending() { psql -qAt -h "$PGHOST" -p "$PGPORT" -U berth -d "$DB" -c "SELECT count(*) FROM orders.orders WHERE status = 'PENDING'"; }
now_ms() { date +%s%3N; }

# start NAME PORT ENV... — runs a packaged service in the background; its pid in $service_pid
start() {
  local svc=$1 port=$2; shift 2
  env POSTGRES_SERVICE_HOST="$PGHOST" POSTGRES_SERVICE_PORT="$PGPORT" POSTGRES_DB="$DB" \
      QUARKUS_DATASOURCE_USERNAME=berth QUARKUS_DATASOURCE_PASSWORD=berth \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" "$@" \
      java -Xmx256m -jar "services/$svc/target/quarkus-app/quarkus-run.jar" >>"$work/$svc.log" 2>&1 &
  service_pid=$!
}

stop() { # PID
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

if $build; then
  say "building both services (./mvnw package)"
  ./mvnw -B -q package -DskipTests -pl services/order-service,services/payment-service -am
fi

export PGOPTIONS="-c client_min_messages=warning"
results=()
for round in $(seq 1 "$ROUNDS"); do
  admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB OWNER berth"
  order_port=$(free_port) payment_port=$(free_port)

  start order-service "$order_port" PAYMENT_SERVICE_SERVICE_HOST=127.0.0.1 PAYMENT_SERVICE_SERVICE_PORT="$payment_port"
  order_pid=$service_pid
  pids=("$order_pid")
  wait_for_http "http://127.0.0.1:$order_port/q/health/ready" 120 || die "order-service not ready; see $work/order-service.log"

  say "round $round: placing $ORDERS orders while payment-service is down"
  seq 1 "$ORDERS" | xargs -P "$CLIENTS" -I{} curl -fsS -o /dev/null -X POST "http://127.0.0.1:$order_port/api/orders" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: bench-$round-{}" \
    -d '{"customerId":"bench","currency":"EUR","items":[{"sku":"BENCH-1","quantity":1,"unitPrice":"9.99"}]}'
  [ "$(pending)" -eq "$ORDERS" ] || die "expected $ORDERS PENDING orders, found $(pending)"

  started=$(now_ms)
  start payment-service "$payment_port"
  payment_pid=$service_pid
  pids=("$order_pid" "$payment_pid")
  deadline=$((SECONDS + 300))
  until [ "$(pending)" -eq 0 ]; do
    [ $SECONDS -lt $deadline ] || die "orders still PENDING after 300 s: $(pending)"
    sleep 0.2
  done
  took=$(( $(now_ms) - started ))
  say "round $round: $ORDERS PENDING orders settled $(awk -v ms="$took" 'BEGIN{printf "%.1f", ms/1000}') s after payment-service was started"
  results+=("$took")
  stop "$payment_pid"; stop "$order_pid"; pids=()
done

median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
printf 'backlog of %d PENDING orders, %d rounds: median %.1f s from payment-service start to none PENDING (rounds: %s ms)\n' \
  "$ORDERS" "$ROUNDS" "$(awk -v ms="$median" 'BEGIN{print ms/1000}')" "${results[*]}"
