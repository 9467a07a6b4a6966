#!/usr/bin/env bash
# Benchmarks of the core's local engine, run against the kit's own application (started with
# `./berth up --detach` after part 1 if it is not running; it is left running — `./berth down` stops it):
#   1. core start-up: time from launch to /q/health/ready, cold and from a class-data archive written by jcmd as
#      `berth up` does, alternating, and resident memory when idle (5 runs each, fresh state; PARTS=1: this part only, PARTS=2,3: the other two);
#   2. crash recovery: kill -9 an order-service replica; time until the core has seen the exit (restartCount
#      +1) and until the replica is Ready again, beside the service's own Quarkus start-up time (5 runs);
#   3. node failure: `berth nodes fail` the node of an order-service replica; time until every Deployment is
#      fully Ready again on the other nodes (3 runs).
# Prints every sample and the medians. BEFORE_APP=<another build's platform/target/quarkus-app>: part 1 becomes cold
# starts of that build and this one, alternating (wall and CPU to Ready), for a before/after pair measured side by side.
# BENCH_JAVA_HOME=<a JDK>: part 1 on that JVM (on JDK 25+ the archive is the AOT cache, as berth up writes it there).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
RUNS="${RUNS:-5}"
APP="$BERTH_ROOT/platform/target/quarkus-app"
[ -f "$APP/quarkus-run.jar" ] || die "build first: ./berth up"
berth() { java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*" dev.berth.platform.cli.BerthCli "$@"; }
token() { cat "$BERTH_STATE/token"; }
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:7070$1"; }
now() { date +%s.%N; }
# within SECONDS WHAT COMMAND...: polls COMMAND every 20 ms until it succeeds; dies naming WHAT after SECONDS
within() {
  local seconds=$1 deadline=$(( $(date +%s) + $1 )) what=$2; shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within $seconds s"
    sleep 0.02
  done
}
say "1/3 core start-up and idle memory ($RUNS runs each, empty state, port 7199): cold, and from its class-data archive"
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:7070$1"; }
if api /q/health/ready >/dev/null 2>&1; then warn "Berth is running: start-up is measured on a busy machine (run ./berth down first for idle numbers)"; fi
# BENCH_JAVA_HOME: the JVM part 1 starts the core on (default: the java on PATH); on JDK 25+ the archive is the AOT
# cache, as berth up writes it there (-XX:AOTCacheOutput, then jcmd AOT.end_recording once ready)
jhome=${BENCH_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
java="$jhome/bin/java"
if [ "$(java_feature "$jhome")" -ge 25 ]; then
  archive="$(mktemp -d)/core.aot"
  record=(-XX:AOTCacheOutput="$archive" -Xlog:aot=error) dump=(AOT.end_recording) mapped=(-XX:AOTCache="$archive" -Xlog:aot=error)
  quiet=(-Xlog:aot=error)
else
  archive="$(mktemp -d)/core.jsa"
  record=(-XX:+RecordDynamicDumpInfo -Xlog:cds=error) dump=(VM.cds dynamic_dump "$archive") mapped=(-XX:SharedArchiveFile="$archive" -Xlog:cds=error)
  quiet=(-Xlog:cds=error)
fi
say "the core's JVM: $java ($(java_feature "$jhome"))"
# one start that records, dumped by jcmd once ready (as berth up does), then cold and archived starts alternating
start_core() { # $1: "dump" (have the JVM write its archive once ready) or ""; the rest: JVM flags. Prints "seconds MiB
  # cpu-seconds" (CPU: the JVM's utime + stime when Ready). CORE_APP: the build to start (default: this one).
  local todo=$1 state t0 t1 kb pid cpu; shift
  state=$(mktemp -d)
  t0=$(now)
  BERTH_STATE_DIR="$state" QUARKUS_HTTP_PORT=7199 BERTH_APISERVER_SECURE_PORT=0 env --default-signal=QUIT \
    "$java" -Xmx384m -XX:+UseSerialGC "$@" -jar "${CORE_APP:-$APP}/quarkus-run.jar" >"$state/core.log" 2>&1 &
  pid=$!
  within 120 "the core's start" curl -fsS -o /dev/null http://127.0.0.1:7199/q/health/ready 2>/dev/null
  t1=$(now)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat")
  sleep 2
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  [ -z "$todo" ] || "$jhome/bin/jcmd" "$pid" "${dump[@]}" >/dev/null
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$state"
  echo "$(echo "$t1 - $t0" | bc) $((kb / 1024)) $cpu"
}
if [ -n "${BEFORE_APP:-}" ]; then # side by side: another build's quarkus-app (e.g. the previous commit's), both cold
  [ -f "$BEFORE_APP/quarkus-run.jar" ] || die "BEFORE_APP=$BEFORE_APP holds no quarkus-run.jar"
  say "cold start-up, $BEFORE_APP (before) vs $APP (after), alternating, $RUNS runs each"
  bw=() bcpu=() aw=() acpu=()
  for i in $(seq 1 "$RUNS"); do
    read -r s _ c < <(CORE_APP="$BEFORE_APP" start_core "" "${quiet[@]}"); bw+=("$s"); bcpu+=("$c")
    read -r s _ c < <(start_core "" "${quiet[@]}"); aw+=("$s"); acpu+=("$c")
    echo "  run $i: before ${bw[-1]} s (CPU ${bcpu[-1]} s), after ${aw[-1]} s (CPU ${acpu[-1]} s)"
  done
  echo "  median: before $(printf '%s\n' "${bw[@]}" | median) s (CPU $(printf '%s\n' "${bcpu[@]}" | median) s)," \
       "after $(printf '%s\n' "${aw[@]}" | median) s (CPU $(printf '%s\n' "${acpu[@]}" | median) s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
if [ "${PARTS:-all}" != 2,3 ]; then
  start_core dump "${record[@]}" >/dev/null
  [ -s "$archive" ] || die "jcmd wrote no class-data archive"
  startup=() rss=() archived=()
  for i in $(seq 1 "$RUNS"); do
    read -r s m c < <(start_core "" "${quiet[@]}"); startup+=("$s"); rss+=("$m")
    read -r a _ ca < <(start_core "" "${mapped[@]}"); archived+=("$a")
    echo "  run $i: ready in ${startup[-1]} s cold (RSS ${rss[-1]} MiB, CPU $c s), ${archived[-1]} s from the archive (CPU $ca s)"
  done
  echo "  median: start-up $(printf '%s\n' "${startup[@]}" | median) s cold, $(printf '%s\n' "${archived[@]}" | median) s from the archive; RSS $(printf '%s\n' "${rss[@]}" | median) MiB"
fi
[ "${PARTS:-all}" = 1 ] && exit 0

api /q/health/ready >/dev/null 2>&1 || "$BERTH_ROOT/berth" up --detach

pod_json() { api "/api/v1/namespaces/berth/pods/$1"; }
restarts() { pod_json "$1" | python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["status"]["containerStatuses"][0].get("restartCount",0))'; }
ready() { pod_json "$1" | python3 -c 'import json,sys; p=json.load(sys.stdin); print(any(c["type"]=="Ready" and c["status"]=="True" for c in p["status"].get("conditions",[])))'; }
pid_of() { pod_json "$1" | python3 -c 'import json,sys,re; p=json.load(sys.stdin); print(re.match(r"berth://(\d+)@", p["status"]["containerStatuses"][0]["containerID"]).group(1))'; }

say "2/3 crash recovery: kill -9 each of 4 fresh order-service replicas once (a first crash restarts at once)"
kubectl --context berth scale deployment/order-service --replicas 4 -n berth >/dev/null
# replicas that crashed before (an earlier run) would restart after a back-off: they are replaced by fresh ones first
for p in $(kubectl --context berth get pods -n berth -l app.kubernetes.io/name=order-service -o name | cut -d/ -f2); do
  [ "$(restarts "$p")" = 0 ] || kubectl --context berth delete pod -n berth "$p" --wait=false >/dev/null
done
four_ready() { [ "$(api "/apis/apps/v1/namespaces/berth/deployments/order-service" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status",{}).get("readyReplicas",0))')" = 4 ]; }
within 300 "4 order-service replicas Ready" four_ready
detect=() readyt=() own=()
for i in 1 2 3 4; do
  # the replica restarted least: repeated crashes of one replica back off (CrashLoopBackOff), as they should
  # (of those not being deleted)
  pod=$(api "/api/v1/namespaces/berth/pods?labelSelector=app.kubernetes.io/name%3Dorder-service" | python3 -c '
import json, sys
pods = [p for p in json.load(sys.stdin)["items"] if "deletionTimestamp" not in p["metadata"]]
print(min(pods, key=lambda p: p["status"]["containerStatuses"][0].get("restartCount", 0))["metadata"]["name"])')
  before=$(restarts "$pod")
  kill -9 "$(pid_of "$pod")"; t0=$(now)
  restarted() { [ "$(restarts "$pod")" -gt "$before" ]; }
  is_ready() { [ "$(ready "$pod")" = True ]; }
  within 60 "the exit of $pod seen" restarted; t1=$(now)
  within 120 "$pod Ready again" is_ready; t2=$(now)
  # the restarted instance's own log (each instance of a container writes its own file; kubectl logs reads the current)
  started=$(kubectl --context berth logs -n berth "$pod" | grep -o 'started in [0-9.]*s' | tail -1 | grep -o '[0-9.]*')
  detect+=("$(echo "$t1 - $t0" | bc)"); readyt+=("$(echo "$t2 - $t0" | bc)"); own+=("$started")
  echo "  run $i: exit seen after ${detect[-1]} s, Ready after ${readyt[-1]} s (the service's own start-up: ${started} s)"
  sleep 2
done
echo "  median: detection $(printf '%s\n' "${detect[@]}" | median) s, Ready $(printf '%s\n' "${readyt[@]}" | median) s, service start-up $(printf '%s\n' "${own[@]}" | median) s"
kubectl --context berth scale deployment/order-service --replicas 2 -n berth >/dev/null

say "3/3 node failure: fail the node of an order-service replica (3 runs)"
all_ready() {
  api "/apis/apps/v1/namespaces/berth/deployments" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(all(x.get("status",{}).get("readyReplicas",0)==x["spec"]["replicas"] for x in d["items"]))'
}
nodefail=()
for i in 1 2 3; do
  # the node of a Ready order-service replica that is not being deleted (part 2's scale-down leaves some terminating:
  # failing the node of one of those loses nothing)
  node=$(api "/api/v1/namespaces/berth/pods?labelSelector=app.kubernetes.io/name%3Dorder-service" | python3 -c '
import json, sys
pods = [p for p in json.load(sys.stdin)["items"] if "deletionTimestamp" not in p["metadata"]
        and any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))]
print(pods[0]["spec"]["nodeName"])')
  berth nodes fail "$node" >/dev/null; t0=$(now)
  # first the loss is seen (a Deployment short of Ready replicas), then the recovery
  short() { [ "$(all_ready)" = False ]; }
  whole() { [ "$(all_ready)" = True ]; }
  within 30 "the loss of $node's replicas seen" short
  within 180 "every Deployment Ready again after $node failed" whole; t1=$(now)
  nodefail+=("$(echo "$t1 - $t0" | bc)")
  echo "  run $i: $node failed; every Deployment Ready again after ${nodefail[-1]} s"
  berth nodes recover "$node" >/dev/null
  sleep 3
done
echo "  median: rescheduled and Ready after $(printf '%s\n' "${nodefail[@]}" | median) s"
