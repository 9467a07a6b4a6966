#!/usr/bin/env bash
# Benchmarks a read through the core's Kubernetes API with the real kubectl against the same read with the berth CLI
# (issue 13's target: `kubectl get pods -A` ≤ 0.3 s; `./berth get pods` took 2.6 s, a JVM with the platform's
# classpath per call). A core of its own (empty state, ports 7299/7499) holds BENCH_PODS Pods bound to a node no
# kubelet runs (they stay Pending, nothing else moves); hyperfine runs both commands alternately and prints the
# medians. Stops the core at the end.
#
#   ci/bench-kubectl.sh                  # 100 pods, 10 runs each
#   BENCH_PODS=1000 BENCH_RUNS=20 ci/bench-kubectl.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

PODS=${BENCH_PODS:-100}
RUNS=${BENCH_RUNS:-10}
APP=platform/target/quarkus-app
ensure_java
command -v hyperfine >/dev/null || apt_install hyperfine
"$BERTH_ROOT/ci/bootstrap.sh"
if [ ! -f "$APP/quarkus-run.jar" ]; then
  say "building the core (./mvnw package -pl platform -am)"
  ./mvnw -B -q package -DskipTests -DskipITs -pl platform -am
fi

work=$(mktemp -d)
core=""
cleanup() {
  [ -z "$core" ] || { kill "$core" 2>/dev/null || true; wait "$core" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

BERTH_STATE_DIR="$work/core" BERTH_AUTH_ADMIN_TOKEN_FILE="$work/token" QUARKUS_HTTP_PORT=7299 BERTH_APISERVER_SECURE_PORT=7499 \
  java -Xmx384m -XX:+UseSerialGC -jar "$APP/quarkus-run.jar" >"$work/core.log" 2>&1 &
core=$!
wait_for_http http://127.0.0.1:7299/q/health/ready 90 || { tail -30 "$work/core.log" >&2; die "the core did not start"; }

export KUBECONFIG="$work/kubeconfig"
kubectl config set-cluster bench --server=https://127.0.0.1:7499 --certificate-authority="$work/core/pki/apiserver.crt" --embed-certs >/dev/null
kubectl config set-credentials bench --token="$(cat "$work/token")" >/dev/null
kubectl config set-context bench --cluster=bench --user=bench --namespace=bench >/dev/null
kubectl config use-context bench >/dev/null

say "creating namespace bench and $PODS pods"
{
  printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n'
  for i in $(seq 1 "$PODS"); do
    printf -- '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-%s\n  namespace: bench\n  labels: {app: bench}\nspec:\n  nodeName: no-kubelet\n  containers:\n  - name: app\n    image: 127.0.0.1:5000/none:1\n' "$i"
  done
} >"$work/pods.yaml"
kubectl apply -f "$work/pods.yaml" >/dev/null
[ "$(kubectl get pods -A --no-headers | wc -l)" = "$PODS" ] || die "expected $PODS pods"

say "hyperfine: kubectl get pods -A vs ./berth get pods -A ($RUNS runs each)"
BERTH_STATE="$work" BERTH_SERVER=http://127.0.0.1:7299 hyperfine --warmup 2 --runs "$RUNS" -N \
  --export-json "$work/result.json" \
  "kubectl get pods -A" \
  "$BERTH_ROOT/berth get pods -A"
python3 - "$work/result.json" "$PODS" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: r["median"] for r in results}
k, b = results[0]["command"], results[1]["command"]
print(f"{sys.argv[2]} pods: median {medians[k]*1000:.0f} ms ({k}) vs {medians[b]*1000:.0f} ms ({b.split('/')[-1]}): {medians[b]/medians[k]:.1f}x")
PY
