#!/usr/bin/env bash
# Lints what Prometheus would scrape: starts both packaged services (ci/run-local.sh --detach on spare ports),
# drives a little traffic so every business metric exists, then runs `promtool check metrics` on each
# /q/metrics (Prometheus text format, as Prometheus negotiates it). Fails on any reported problem.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
command -v promtool >/dev/null || apt_install prometheus

export ORDER_PORT="${ORDER_PORT:-18080}" PAYMENT_PORT="${PAYMENT_PORT:-18081}"
ci/run-local.sh --detach --no-build >/dev/null
trap 'ci/run-local.sh stop >/dev/null 2>&1' EXIT

order() { # card token
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$ORDER_PORT/api/orders" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: metrics-$(cat /proc/sys/kernel/random/uuid)" \
    -d "{\"customerId\":\"metrics\",\"currency\":\"EUR\",\"cardToken\":\"$1\",\"items\":[{\"sku\":\"M-1\",\"quantity\":1,\"unitPrice\":\"9.90\"}]}"
}
order tok_visa
order tok_decline

status=0
for svc_port in "order-service:$ORDER_PORT" "payment-service:$PAYMENT_PORT"; do
  svc=${svc_port%%:*} port=${svc_port##*:}
  scrape=$(curl -fsS -H 'Accept: text/plain; version=0.0.4; charset=utf-8' "http://127.0.0.1:$port/q/metrics")
  if problems=$(printf '%s\n' "$scrape" | promtool check metrics 2>&1); then
    say "promtool check metrics: $svc clean ($(printf '%s\n' "$scrape" | grep -c '^# TYPE') metric families)"
  else
    warn "promtool check metrics: $svc"; printf '%s\n' "$problems" >&2; status=1
  fi
done
exit $status
