#!/usr/bin/env bash
# Benchmarks of rollouts on the local engine, against the kit's own application (started with
# `./berth up --detach` if it is not running; left running — `./berth down` stops it):
#   1. rolling update of order-service under steady load: wrk sends GET /api/orders?size=1 through the Service (at
#      its virtual address on the kernel path, else its 127.0.0.1 listener; BENCH_VIA=proxy forces the listener)
#      for the whole rollout (`kubectl rollout restart`); failed requests (non-2xx + socket errors) of all sent,
#      and the rollout's duration beside the sum of the new replicas' own Quarkus start-up times (RUNS runs);
#   2. automatic rollback: payment-service gets a revision that never becomes ready (PAYMENT_CHAOS_UNREADY=true);
#      time from its first failing readiness probe to the rollback being complete (the old revision alone and
#      whole again), default thresholds (RUNS runs).
# Prints every sample and the medians; wrk's full outputs stay in target/bench/. PARTS=1 runs part 1 only.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
RUNS="${RUNS:-3}"
APP="$BERTH_ROOT/platform/target/quarkus-app"
[ -f "$APP/quarkus-run.jar" ] || die "build first: ./berth up"
command -v wrk >/dev/null || apt_install wrk
berth() { java -cp "$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*" dev.berth.platform.cli.BerthCli "$@"; }
token() { cat "$BERTH_STATE/token"; }
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:7070$1" "${@:2}"; }
now() { date +%s.%N; }
api /q/health/ready >/dev/null 2>&1 || "$BERTH_ROOT/berth" up --detach
# settled first (a rollback left over from an earlier run still reads "rolled back": that is no reason to stop)
berth rollout status deployment/order-service -n berth --timeout 5m >/dev/null 2>&1 || true
berth rollout status deployment/payment-service -n berth --timeout 5m >/dev/null 2>&1 || true

target=127.0.0.1:$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"]["berth.dev/local-port"])')
cluster_ip=$(api /api/v1/namespaces/berth/services/order-service | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"].get("berth.dev/cluster-ip", ""))')
[ -n "$cluster_ip" ] && [ "${BENCH_VIA:-}" != proxy ] && target=$cluster_ip:80
say "1/2 rolling update of order-service at $target (2 replicas, maxSurge 1, maxUnavailable 0) under wrk load, 4 connections ($RUNS runs)"
failed=() total=() took=() starts=()
for i in $(seq 1 "$RUNS"); do
  mkdir -p "$BERTH_ROOT/target/bench"; out="$BERTH_ROOT/target/bench/rollout-wrk-$i.txt"
  # wrk's own timeout (default 2 s) would count a slow answer as an error: 10 s, so only real failures count
  wrk -t2 -c4 -d100s --timeout 10s --latency "http://$target/api/orders?size=1" >"$out" 2>&1 &
  wrk_pid=$!
  sleep 5
  t0=$(now)
  kubectl --context berth rollout restart deployment/order-service -n berth >/dev/null
  berth rollout status deployment/order-service -n berth --timeout 5m >/dev/null
  t1=$(now)
  wait "$wrk_pid"
  sent=$(awk '/requests in/ {print $1}' "$out")
  non2xx=$(awk -F': ' '/Non-2xx/ {print $2}' "$out"); non2xx=${non2xx:-0}
  # "Socket errors: connect 0, read 1, write 0, timeout 0" appears only when there were some
  sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $5 + $7 + $9 + $11}' "$out"); sockerr=${sockerr:-0}
  # the new replicas' own start-up, from their logs ("started in X.XXXs")
  sum=0
  for pod in $(kubectl --context berth get pods -n berth -l app.kubernetes.io/name=order-service -o name | cut -d/ -f2); do
    s=$(grep -o 'started in [0-9.]*s' "$BERTH_STATE/core/pods/berth/$pod/logs/order-service.log" | tail -1 | grep -o '[0-9.]*')
    sum=$(echo "$sum + ${s:-0}" | bc)
  done
  failed+=("$((non2xx + sockerr))"); total+=("$sent"); took+=("$(echo "$t1 - $t0" | bc)"); starts+=("$sum")
  echo "  run $i: ${failed[-1]} failed of ${sent} requests; rollout ${took[-1]} s, new replicas' own start-up ${sum} s in sum"
  grep -E 'Latency|99%|Socket errors|Non-2xx' "$out" | sed 's/^/    /'   # the whole output stays in target/bench/
done
echo "  median: $(printf '%s\n' "${failed[@]}" | median) failed of $(printf '%s\n' "${total[@]}" | median) requests;" \
     "rollout $(printf '%s\n' "${took[@]}" | median) s vs start-up sum $(printf '%s\n' "${starts[@]}" | median) s"

[ "${PARTS:-12}" = 1 ] && exit 0
say "2/2 broken payment-service revision (readiness never UP) → automatic rollback ($RUNS runs)"
DEPLOYMENT=/apis/apps/v1/namespaces/berth/deployments/payment-service
add_env() { # one more env var on the first container: a JSON merge patch of the containers (a list is replaced whole),
  # based on the resourceVersion read (409 if the Deployment changed meanwhile)
  api "$DEPLOYMENT" | python3 -c '
import json,sys
d=json.load(sys.stdin); containers=d["spec"]["template"]["spec"]["containers"]
containers[0].setdefault("env",[]).append({"name":"PAYMENT_CHAOS_UNREADY","value":"true"})
print(json.dumps({"metadata":{"resourceVersion":d["metadata"]["resourceVersion"]},"spec":{"template":{"spec":{"containers":containers}}}}))' \
    | api "$DEPLOYMENT" -X PATCH -H 'Content-Type: application/merge-patch+json' --data-binary @- >/dev/null
}
unhealthy_new() { # an Unhealthy (readiness) event of a payment-service pod created after $1 (epoch seconds)
  api /api/v1/namespaces/berth/events | python3 -c '
import json,sys,datetime
since=float(sys.argv[1])
for e in json.load(sys.stdin)["items"]:
    o=e["involvedObject"]["name"]
    if e["reason"]=="Unhealthy" and o.startswith("payment-service-") and "Readiness" in e.get("message",""):
        t=datetime.datetime.fromisoformat(e["firstTimestamp"].replace("Z","+00:00")).timestamp()
        if t>=since-1: print(o); break' "$1"
}
back_and_whole() {
  api "$DEPLOYMENT" | python3 -c '
import json,sys
d=json.load(sys.stdin); s=d.get("status",{}); env=d["spec"]["template"]["spec"]["containers"][0].get("env",[])
ok=not any(e["name"]=="PAYMENT_CHAOS_UNREADY" for e in env) and s.get("replicas")==s.get("availableReplicas")==s.get("updatedReplicas")==d["spec"]["replicas"]
print(ok)'
}
rollback=()
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  add_env
  until [ -n "$(unhealthy_new "$start")" ]; do sleep 0.1; done; t0=$(now)
  until [ "$(back_and_whole)" = True ]; do sleep 0.1; done; t1=$(now)
  rollback+=("$(echo "$t1 - $t0" | bc)")
  echo "  run $i: first failed readiness probe → rollback complete in ${rollback[-1]} s"
  sleep 3
done
echo "  median: $(printf '%s\n' "${rollback[@]}" | median) s (threshold berth.dev/rollback-after-unready-seconds = 20 s)"
