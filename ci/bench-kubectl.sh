#!/usr/bin/env bash
# Benchmarks a read through the core's Kubernetes API with the real kubectl (issue 13's target: `kubectl get pods -A`
# ≤ 0.3 s; `./berth get pods`, gone since, took 2.6 s) beside a `./berth` command's one read of the same API (a JVM with
# the platform's classpath and fabric8's client per call: `berth rollout status` of a Deployment that is not there,
# answered 404 — issue 14's target for a berth command is ≤ 0.5 s). A core of its own (empty state, ports 7299/7499) holds BENCH_PODS Pods bound to a node no
# kubelet runs (they stay Pending, nothing else moves); hyperfine runs every command BENCH_RUNS times, in
# BENCH_CLI_ROUNDS rounds (default 3, so a drift of the machine's load meets each command alike), and the medians of all
# runs are printed; where a JDK 25+ is under /usr/lib/jvm, the same ./berth command on it too (BERTH_JAVA_HOME: its AOT
# cache, made in the background after a first command). Part 2 (issue 13's target: server-side apply of the kit's overlay with nothing changed ≤ 100 ms): the rendered
# k8s/overlays/local applied server-side once, then again unchanged, timed by hyperfine beside `kubectl get ns` (the
# same kubectl's start, config and one round trip), so the difference is what the unchanged apply costs. The virtual
# nodes are cordoned first: the overlay's pods stay Pending and nothing else writes. Stops the core at the end.
#
# BEFORE_APP (an earlier build's platform/target/quarkus-app) with BEFORE_REV (the commit it was built from) adds that
# build's ./berth (the launcher of BEFORE_REV, its own class-data archive) to part 1, in the same hyperfine runs, on the
# java on PATH and on the JDK 25+ if there is one.
#
#   ci/bench-kubectl.sh                  # both parts, 100 pods, 10 runs each
#   BENCH_PODS=1000 BENCH_RUNS=20 PARTS=get ci/bench-kubectl.sh
#   BEFORE_APP=/tmp/before-app BEFORE_REV=HEAD~3 PARTS=get ci/bench-kubectl.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

PODS=${BENCH_PODS:-100}
PARTS=${PARTS:-get ssa}
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

if [[ " $PARTS " == *" get "* ]]; then
say "creating namespace bench and $PODS pods"
{
  printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n'
  for i in $(seq 1 "$PODS"); do
    printf -- '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-%s\n  namespace: bench\n  labels: {app: bench}\nspec:\n  nodeName: no-kubelet\n  containers:\n  - name: app\n    image: 127.0.0.1:5000/none:1\n' "$i"
  done
} >"$work/pods.yaml"
kubectl apply -f "$work/pods.yaml" >/dev/null
[ "$(kubectl get pods -A --no-headers | wc -l)" = "$PODS" ] || die "expected $PODS pods"

say "hyperfine: kubectl get pods -A vs ./berth rollout status deployment/absent --no-watch (one GET, 404), with and without its class-data archive, and with the JVM's default flags ($RUNS runs each)"
# the same berth command with its class-data archive (./berth, after the warm-up wrote it), without (the JVM alone,
# berth's flags), and without berth's flags (C1 only, serial GC) either
cp="$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*"
before=()
if [ -n "${BEFORE_APP:-}" ]; then
  # the earlier launcher in a tree of its own (it finds its build beside it), with its own state: each launcher keeps
  # one CLI archive per state directory and would delete the other's
  mkdir -p "$work/before/platform/target" "$work/before-state"
  ln -s "$(cd "$BEFORE_APP" && pwd)" "$work/before/platform/target/quarkus-app"
  git show "${BEFORE_REV:?BEFORE_REV: the commit BEFORE_APP was built from}:berth" >"$work/before/berth"
  chmod +x "$work/before/berth"
  cp "$work/token" "$work/before-state/token"
  before=(-n before "env BERTH_STATE=$work/before-state $work/before/berth rollout status deployment/absent -n bench --no-watch")
fi
# ./berth on a JDK 25+ too, where there is one (BERTH_JAVA_HOME): its AOT cache is made in the background after the
# first command, so that command runs first and the cache is waited for (for the earlier build's launcher too)
jdk25=()
home=$(jdk25_home)
if [ -n "$home" ]; then
  aot_cache() { # STATE LAUNCHER: a first command on JDK 25+, then its cache waited for
    BERTH_STATE="$1" BERTH_SERVER=http://127.0.0.1:7299 BERTH_JAVA_HOME="$home" \
      "$2" rollout status deployment/absent -n bench --no-watch >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do compgen -G "$1/class-data/cli-*.aot.stamp" >/dev/null && break; sleep 0.5; done
    compgen -G "$1/class-data/cli-*.aot.stamp" >/dev/null || { cat "$1/class-data/cli-aot.log" >&2; die "no AOT cache for $home"; }
  }
  mkdir -p "$work/jdk25-state"
  cp "$work/token" "$work/jdk25-state/token"
  aot_cache "$work/jdk25-state" "$BERTH_ROOT/berth"
  jdk25=(-n "berth-jdk$(java_feature "$home")" "env BERTH_STATE=$work/jdk25-state BERTH_JAVA_HOME=$home $BERTH_ROOT/berth rollout status deployment/absent -n bench --no-watch")
  if [ -n "${BEFORE_APP:-}" ]; then
    mkdir -p "$work/before-jdk25-state"
    cp "$work/token" "$work/before-jdk25-state/token"
    aot_cache "$work/before-jdk25-state" "$work/before/berth"
    jdk25+=(-n "before-jdk$(java_feature "$home")" "env BERTH_STATE=$work/before-jdk25-state BERTH_JAVA_HOME=$home $work/before/berth rollout status deployment/absent -n bench --no-watch")
  fi
fi
# BENCH_CLI_ROUNDS rounds of RUNS runs of each command, so every command meets the machine's drifts alike; the medians
# are of every run of all rounds
ROUNDS=${BENCH_CLI_ROUNDS:-3}
for round in $(seq 1 "$ROUNDS"); do
  BERTH_STATE="$work" BERTH_SERVER=http://127.0.0.1:7299 hyperfine --warmup 2 --runs "$RUNS" -N -i \
    --export-json "$work/result-$round.json" \
    -n kubectl "kubectl get pods -A" \
    -n berth "$BERTH_ROOT/berth rollout status deployment/absent -n bench --no-watch" \
    -n no-archive "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp $cp dev.berth.platform.cli.BerthCli rollout status deployment/absent -n bench --no-watch" \
    -n jvm-defaults "java -Xshare:auto -Xlog:disable -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp $cp dev.berth.platform.cli.BerthCli rollout status deployment/absent -n bench --no-watch" \
    "${before[@]}" "${jdk25[@]}" >/dev/null 2>"$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
done
python3 - "$PODS" "$work"/result-*.json <<'PY'
import json, statistics, sys
times, cpu, codes = {}, {}, {}
for f in sys.argv[2:]:
    for r in json.load(open(f))["results"]:
        name = r["command"]
        times.setdefault(name, []).extend(r["times"])
        cpu.setdefault(name, []).append(r["user"] + r["system"])  # hyperfine keeps means per run set
        codes.setdefault(name, set()).update(r["exit_codes"])
medians = {k: statistics.median(v) for k, v in times.items()}
cpu = {k: statistics.median(v) for k, v in cpu.items()}
print(f"{len(sys.argv) - 2} rounds, {len(times['berth'])} runs of each command; medians of all runs")
k, b, c, d = "kubectl", "berth", "no-archive", "jvm-defaults"
print(f"{sys.argv[1]} pods: median {medians[k]*1000:.0f} ms (kubectl get pods -A) vs {medians[b]*1000:.0f} ms "
      f"(./berth rollout status, a 404, with its class-data archive) vs {medians[c]*1000:.0f} ms (the same without): "
      f"{medians[b]/medians[k]:.1f}x kubectl; the archive saves {(1 - medians[b]/medians[c])*100:.0f} %")
print(f"berth's JVM flags (C1 only, serial GC) vs the JVM's defaults, both without the archive: {medians[c]*1000:.0f} vs "
      f"{medians[d]*1000:.0f} ms, CPU (user + system, means) {cpu[c]*1000:.0f} vs {cpu[d]*1000:.0f} ms")
if "before" in medians:
    e = "before"
    print(f"./berth now vs the earlier build's (BEFORE_APP, its launcher and archive): {medians[b]*1000:.0f} vs "
          f"{medians[e]*1000:.0f} ms ({(medians[b]/medians[e] - 1)*100:+.0f} %), CPU {cpu[b]*1000:.0f} vs {cpu[e]*1000:.0f} ms")
for name in medians:
    if name.startswith("berth-jdk"):
        print(f"./berth on {name[6:].upper()} (BERTH_JAVA_HOME, its AOT cache) vs on the java on PATH (its AppCDS archive): "
              f"{medians[name]*1000:.0f} vs {medians[b]*1000:.0f} ms, CPU {cpu[name]*1000:.0f} vs {cpu[b]*1000:.0f} ms")
        e = "before-" + name[6:]
        if e in medians:
            print(f"./berth on {name[6:].upper()} now vs the earlier build's: {medians[name]*1000:.0f} vs {medians[e]*1000:.0f} ms "
                  f"({(medians[name]/medians[e] - 1)*100:+.0f} %), CPU {cpu[name]*1000:.0f} vs {cpu[e]*1000:.0f} ms")
assert all(codes[name] == {1} for name in codes if name != k), "berth rollout status of an absent Deployment must exit 1 (not found)"
PY
fi

if [[ " $PARTS " == *" ssa "* ]]; then
  say "server-side apply of k8s/overlays/local, unchanged ($RUNS runs, beside kubectl get ns)"
  kubectl cordon node-1 node-2 node-3 >/dev/null
  kubectl kustomize k8s/overlays/local >"$work/overlay.yaml"
  kubectl apply --server-side --force-conflicts -f "$work/overlay.yaml" >/dev/null
  objects=$(kubectl apply --server-side --force-conflicts -f "$work/overlay.yaml" | tee "$work/again.txt" | wc -l)
  grep -qv "serverside-applied" "$work/again.txt" && die "an unchanged apply reported something other than serverside-applied"
  hyperfine --warmup 2 --runs "$RUNS" -N --export-json "$work/ssa.json" \
    "kubectl get ns" \
    "kubectl apply --server-side --force-conflicts -f $work/overlay.yaml"
  python3 - "$work/ssa.json" "$objects" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base, apply = r[0]["median"], r[1]["median"]
print(f"unchanged server-side apply of {sys.argv[2]} objects: median {apply*1000:.0f} ms vs kubectl get ns {base*1000:.0f} ms: "
      f"{(apply-base)*1000:.0f} ms for the apply itself")
PY
  say "the same unchanged apply as the server sees it: one PATCH (apply-patch+yaml, fieldManager kubectl) per object on one kept-alive connection, 20 rounds"
  python3 - "$work/overlay.yaml" "$(cat "$work/token")" <<'PY'
import http.client, json, statistics, sys, time, yaml
PATHS = {"Namespace": ("/api/v1", "namespaces", False), "ConfigMap": ("/api/v1", "configmaps", True),
         "Secret": ("/api/v1", "secrets", True), "Service": ("/api/v1", "services", True),
         "Deployment": ("/apis/apps/v1", "deployments", True), "StatefulSet": ("/apis/apps/v1", "statefulsets", True)}
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
conn = http.client.HTTPConnection("127.0.0.1", 7299)
headers = {"Authorization": "Bearer " + sys.argv[2], "Content-Type": "application/apply-patch+yaml"}
def apply_all():
    for d in docs:
        prefix, plural, namespaced = PATHS[d["kind"]]
        meta = d["metadata"]
        path = prefix + (f"/namespaces/{meta.get('namespace', 'default')}" if namespaced else "") + f"/{plural}/{meta['name']}"
        conn.request("PATCH", path + "?fieldManager=kubectl&force=true", body=json.dumps(d), headers=headers)
        r = conn.getresponse(); r.read()
        assert r.status == 200, (path, r.status)
apply_all()
rounds = []
for _ in range(20):
    t0 = time.perf_counter(); apply_all(); rounds.append(time.perf_counter() - t0)
print(f"unchanged server-side apply of {len(docs)} objects, server side: median {statistics.median(rounds)*1000:.1f} ms "
      f"(min {min(rounds)*1000:.1f}, max {max(rounds)*1000:.1f}) per round of {len(docs)} PATCHes")
PY
fi
