#!/usr/bin/env bash
# Runs order-service and payment-service on this machine against PostgreSQL, the way a cluster would wire
# them (POSTGRES_SERVICE_HOST/PORT, PAYMENT_SERVICE_SERVICE_HOST/PORT). Until the orchestration core's
# `./berth up` lands, this is the README's run command.
#
#   ci/run-local.sh             build, start both, print the URLs, stop both on Ctrl-C
#   ci/run-local.sh --detach    same, but return once both are ready (stop with: ci/run-local.sh stop)
#   ci/run-local.sh stop
# Options: --no-build (use the jars already packaged). Ports: ORDER_PORT (8080), PAYMENT_PORT (8081).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

ORDER_PORT="${ORDER_PORT:-8080}"
PAYMENT_PORT="${PAYMENT_PORT:-8081}"
RUN_DIR="$BERTH_STATE/run"
mkdir -p "$RUN_DIR"

stop_services() {
  for svc in order-service payment-service; do
    local pidfile="$RUN_DIR/$svc.pid"
    [ -f "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
      say "stopped $svc (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = stop ]; then stop_services; exit 0; fi

detach=false build=true
for arg in "$@"; do
  case "$arg" in
    --detach) detach=true ;;
    --no-build) build=false ;;
    *) die "unknown option $arg (see the header of $0)" ;;
  esac
done

ci/bootstrap.sh
ci/postgres.sh
if $build; then
  say "building both services (./mvnw package)"
  ./mvnw -B -q package -DskipTests -pl services/order-service,services/payment-service -am
fi
stop_services

start() { # name port env...
  local svc=$1 port=$2; shift 2
  local jar="services/$svc/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: run without --no-build"
  env POSTGRES_SERVICE_HOST=127.0.0.1 POSTGRES_SERVICE_PORT="${PGPORT:-5432}" POSTGRES_DB=berth \
      QUARKUS_DATASOURCE_USERNAME=berth QUARKUS_DATASOURCE_PASSWORD=berth \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" "$@" \
      java -Xmx256m -jar "$jar" >"$RUN_DIR/$svc.log" 2>&1 &
  echo $! >"$RUN_DIR/$svc.pid"
}

start payment-service "$PAYMENT_PORT"
start order-service "$ORDER_PORT" PAYMENT_SERVICE_SERVICE_HOST=127.0.0.1 PAYMENT_SERVICE_SERVICE_PORT="$PAYMENT_PORT"
$detach || trap 'stop_services; exit 0' INT TERM

for svc_port in "payment-service:$PAYMENT_PORT" "order-service:$ORDER_PORT"; do
  svc=${svc_port%%:*} port=${svc_port##*:}
  printf '%s' "waiting for $svc " >&2
  deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    kill -0 "$(cat "$RUN_DIR/$svc.pid")" 2>/dev/null || { echo >&2; tail -20 "$RUN_DIR/$svc.log" >&2; stop_services; die "$svc exited"; }
    [ $SECONDS -lt $deadline ] || { echo >&2; stop_services; die "$svc not ready after 90 s; see $RUN_DIR/$svc.log"; }
    printf '.' >&2; sleep 0.5
  done
  echo " ready" >&2
done

cat <<MSG

  order-service    http://127.0.0.1:$ORDER_PORT/api/orders      (OpenAPI: /q/openapi, health: /q/health)
  payment-service  http://127.0.0.1:$PAYMENT_PORT/api/payments
  logs             $RUN_DIR/{order,payment}-service.log

  Place an order:
    curl -s -X POST http://127.0.0.1:$ORDER_PORT/api/orders -H 'Content-Type: application/json' \\
      -H "Idempotency-Key: \$(uuidgen || date +%s%N)" \\
      -d '{"customerId":"c-42","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":"12.50"}]}'

MSG
if $detach; then
  say "running in the background; stop with: ci/run-local.sh stop"
else
  say "Ctrl-C stops both"
  wait
fi
