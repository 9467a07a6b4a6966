#!/usr/bin/env bash
# Benchmarks the core's Kubernetes API (issue targets: list 10,000 pods ≤ 200 ms as JSON and as a Table; 100 watches
# while 1,000 objects/s change, none lost, delivery lag p99 ≤ 100 ms; pods created through the API bound by the core's
# scheduler on 5,000 nodes and seen bound by a watcher ≥ 2,000 pods/s). Starts the packaged core
# (platform/target/quarkus-app) in a temporary state dir on free ports, plain HTTP on loopback, bearer token; the
# seeding and the watch and bind clients are platform/src/test/java/dev/berth/platform/apiserver/bench/ApiServerBenchmark.java.
#
#   list : a core holding BENCH_PODS (10,000) Pods bound to a Node registered through the API (no kubelet runs them:
#          nothing moves); wrk, 1 thread, 1 connection, BENCH_SECONDS each: the median of wrk's latency distribution is
#          the server time of one list on loopback (request sent → last byte read), JSON then Table.
#   watch: the same core; BENCH_WATCHERS (100) watches of ConfigMaps while 32 writers PATCH ConfigMaps at BENCH_RATE (1,000)/s
#          for BENCH_SECONDS; lag = request sent → event line read by a watcher (the write's own latency included).
#          The same load runs BENCH_WARMUP (20) seconds first, not measured (0: none, as a freshly started core).
#   bind : a fresh core; the 3 virtual nodes cordoned, BENCH_NODES (5,000) Nodes registered through the API (Ready, no
#          kubelet, as upstream's scheduler_perf), BENCH_BIND_PODS (10,000) pending Pods POSTed by 16 clients; first POST
#          → last pod seen bound by a watcher. The pods never start (no kubelet serves those nodes): what is measured is
#          the API, the store, the scheduling controller and the watch, not container start-up.
#   patch: the write path alone: a fresh core per round, 64 ConfigMaps, wrk PATCHing them (JSON merge patch, a new value
#          each time, so each is a stored write) with BENCH_PATCH_CONNECTIONS (16) connections on 2 threads, a
#          BENCH_SECONDS warm-up then BENCH_SECONDS measured; writes/s, p50/p99 and the core's CPU per write (from
#          /proc). With BEFORE_APP=<another build's quarkus-app> both builds run alternately, BENCH_ROUNDS (3) rounds.
#          Not in the default PARTS.
#
# The state dir is on tmpfs (/dev/shm) unless BENCH_STATE_ROOT says otherwise: the store fsyncs every write (file and
# directory), and on this VM's disk that alone is ≈ 260 fsyncs/s — it would measure the disk, not the API. Run once
# with BENCH_STATE_ROOT=/var/tmp to see the durable figure. BENCH_JFR=1 records each core with JFR into target/bench-apiserver/;
# BENCH_PROFILE=itimer|wall profiles each core with async-profiler instead (CPU, or wall clock: where threads wait),
# as collapsed stacks per thread into target/bench-apiserver/<part>-profile.txt.
#
#   ci/bench-apiserver.sh                       # list, watch, bind
#   PARTS="list" BENCH_PODS=1000 ci/bench-apiserver.sh
#   PARTS=patch BEFORE_APP=<the previous build's platform/target/quarkus-app> ci/bench-apiserver.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

PARTS=${PARTS:-list watch bind}
PODS=${BENCH_PODS:-10000}
SECONDS_EACH=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-20}
WATCHERS=${BENCH_WATCHERS:-100}
RATE=${BENCH_RATE:-1000}
NODES=${BENCH_NODES:-5000}
BIND_PODS=${BENCH_BIND_PODS:-10000}
HEAP=${BENCH_CORE_HEAP:-1g}
APP=${BENCH_APP:-platform/target/quarkus-app}
OUT="$BERTH_ROOT/platform/target/bench-apiserver"
ensure_java
command -v wrk >/dev/null || apt_install wrk
mkdir -p "$OUT"
if [ ! -f "$APP/quarkus-run.jar" ] || [ -n "${BENCH_REBUILD:-}" ]; then
  say "building the core (./mvnw package -pl platform -am)"
  ./mvnw -B -q package -DskipTests -DskipITs -pl platform -am
fi
say "compiling the benchmark client (platform test classes)"
./mvnw -B -q ${BENCH_MAVEN_FLAGS:-} test-compile -pl platform
CP="platform/target/test-classes:$APP/lib/main/*" # the client needs the JDK and Jackson only

work=$(mktemp -d "${BENCH_STATE_ROOT:-/dev/shm}/berth-bench-apiserver.XXXXXX")
core=""
stop_core() {
  [ -z "$core" ] || { kill "$core" 2>/dev/null || true; wait "$core" 2>/dev/null || true; }
  core=""
}
trap 'stop_core; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_core NAME — a core with an empty state dir of its own; sets PORT and TOKEN_FILE.
start_core() {
  local name=$1
  PORT=$(free_port)
  TOKEN_FILE="$work/$name.token"
  local jfr=()
  [ -z "${BENCH_PROFILE:-}" ] || jfr=("-agentpath:$(async_profiler)=start,event=$BENCH_PROFILE,interval=${BENCH_PROFILE_INTERVAL:-1ms},file=$OUT/$name-profile.txt,collapsed,threads")
  [ -z "${BENCH_JFR:-}" ] || jfr=("-XX:FlightRecorderOptions:stackdepth=256" "-XX:StartFlightRecording=filename=$OUT/$name.jfr,settings=profile")
  BERTH_STREAMS_MAX_WATCHES_PER_USER=$((WATCHERS + 10)) BERTH_STATE_DIR="$work/$name" BERTH_AUTH_ADMIN_TOKEN_FILE="$TOKEN_FILE" QUARKUS_HTTP_PORT=$PORT BERTH_APISERVER_SECURE_PORT=$(free_port) \
    java "-Xmx$HEAP" "${jfr[@]}" -jar "$APP/quarkus-run.jar" >"$OUT/$name-core.log" 2>&1 &
  core=$!
  wait_for_http "http://127.0.0.1:$PORT/q/health/ready" 120 || { tail -30 "$OUT/$name-core.log" >&2; die "the core did not start"; }
}

client() { java -Xmx1g -Dbench.core.pid="$core" -Dbench.bind.seconds="${BENCH_BIND_CAP:-300}" -cp "$CP" dev.berth.platform.apiserver.bench.ApiServerBenchmark "http://127.0.0.1:$PORT" "$TOKEN_FILE" "$@"; }

# list_median ACCEPT LABEL — wrk's median latency of GET all pods in namespace bench.
list_median() {
  local accept=$1 label=$2 url="http://127.0.0.1:$PORT/api/v1/namespaces/bench/pods"
  local items
  items=$(curl -fsS -H "Authorization: Bearer $(cat "$TOKEN_FILE")" -H "Accept: $accept" "$url" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d.get("items", d.get("rows", []))))')
  [ "$items" = "$PODS" ] || die "$label: expected $PODS items, got $items"
  wrk -t1 -c1 -d"${SECONDS_EACH}s" --latency -H "Authorization: Bearer $(cat "$TOKEN_FILE")" -H "Accept: $accept" "$url" >"$OUT/wrk-$label.txt"
  local median requests
  median=$(awk '$1 == "50%" {print $2}' "$OUT/wrk-$label.txt")
  requests=$(awk '/requests in/ {print $1}' "$OUT/wrk-$label.txt")
  printf 'list %s pods as %s: median %s (%s requests in %ss, wrk -t1 -c1)\n' "$PODS" "$label" "$median" "$requests" "$SECONDS_EACH"
}

exec > >(tee "$OUT/result.txt") # not a pipeline: the core's pid must stay in this shell for the EXIT trap
if [[ " $PARTS " == *" list "* || " $PARTS " == *" watch "* ]]; then
  say "core 1: $PODS pods for list, then $WATCHERS watches at $RATE changes/s"
  start_core list
  client seed-list "$PODS"
  if [[ " $PARTS " == *" list "* ]]; then
    list_median "application/json" json
    list_median "application/json;as=Table;g=meta.k8s.io;v=v1" table
  fi
  if [[ " $PARTS " == *" watch "* ]]; then
    # a BENCH_WARMUP-second run of the same load first, in the same client JVM, not measured: both JVMs' JIT
    # compilers would otherwise take much of the 2 cores during the measured run; client_cpu_s and core_cpu_s are the
    # measured run's
    client watch "$WATCHERS" "$RATE" "$SECONDS_EACH" "$WARMUP"
  fi
  stop_core
fi
if [[ " $PARTS " == *" bind "* ]]; then
  say "core 2: $NODES nodes, $BIND_PODS pods to bind"
  start_core bind
  core_before=$(cpu_ticks "$core")
  client bind "$NODES" "$BIND_PODS" 16
  printf 'core_cpu_s=%.1f (the core from Ready to the last pod bound: registering the nodes, then creating and binding the pods)\n' \
    "$(echo "($(cpu_ticks "$core") - $core_before) / $(getconf CLK_TCK)" | bc -l)"
  stop_core
fi
if [[ " $PARTS " == *" patch "* ]]; then
  { wrk_numbered_lua; cat <<'LUA'
-- PATCH one of 64 ConfigMaps in namespace bench with a value no other request sends: "<thread>-<n>"
function init(args)
  token = args[1]
  n = 0
end
function request()
  n = n + 1
  local body = string.format('{"data":{"v":"%d-%d"}}', tid, n)
  return wrk.format("PATCH", string.format("/api/v1/namespaces/bench/configmaps/bench-%d", (n * 7 + tid) % 64),
    {["Content-Type"] = "application/merge-patch+json", ["Authorization"] = "Bearer " .. token}, body)
end
LUA
  } >"$work/patch.lua"
  # patch_round NAME APP — sets RESULT to "writes/s p50_ms p99_ms core_µs_per_write" (not a subshell: the core's pid
  # must stay in this shell for the EXIT trap)
  patch_round() {
    local name=$1 before n rps p99 p50 i
    APP=$2 start_core "$name"
    local auth=(-H "Authorization: Bearer $(cat "$TOKEN_FILE")" -H "Content-Type: application/json")
    curl -fsS -o /dev/null "${auth[@]}" -X POST "http://127.0.0.1:$PORT/api/v1/namespaces" -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}'
    for i in $(seq 0 63); do
      curl -fsS -o /dev/null "${auth[@]}" -X POST "http://127.0.0.1:$PORT/api/v1/namespaces/bench/configmaps" \
        -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench-$i\"},\"data\":{\"v\":\"0\"}}"
    done
    local c=${BENCH_PATCH_CONNECTIONS:-16}
    wrk -t2 -c"$c" -d"${SECONDS_EACH}s" --latency -s "$work/patch.lua" "http://127.0.0.1:$PORT" -- "$(cat "$TOKEN_FILE")" >"$OUT/warmup-patch-$name.txt" 2>&1
    before=$(cpu_ticks "$core")
    wrk -t2 -c"$c" -d"${SECONDS_EACH}s" --latency -s "$work/patch.lua" "http://127.0.0.1:$PORT" -- "$(cat "$TOKEN_FILE")" >"$OUT/patch-$name.txt" 2>&1
    read -r n rps p99 < <(wrk_stats "$OUT/patch-$name.txt")
    p50=$(wrk_percentile "$OUT/patch-$name.txt" 50)
    RESULT=$(awk -v r="$rps" -v p50="$p50" -v p99="$p99" -v n="$n" -v b="$before" -v a="$(cpu_ticks "$core")" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f %.1f %.1f %.0f\n", r, p50, p99, (n > 0 ? (a - b) / hz * 1e6 / n : 0) }')
    stop_core
  }
  rounds=${BENCH_ROUNDS:-3}
  say "PATCH of 64 ConfigMaps, ${BENCH_PATCH_CONNECTIONS:-16} connections, ${SECONDS_EACH}s warm-up + ${SECONDS_EACH}s measured, $rounds rounds"
  apps=("$APP"); labels=(now)
  if [ -n "${BEFORE_APP:-}" ]; then apps=("$BEFORE_APP" "$APP"); labels=(before now); fi
  : >"$OUT/patch-rounds.txt"
  for round in $(seq 1 "$rounds"); do
    for i in "${!apps[@]}"; do
      patch_round "patch-${labels[$i]}-$round" "${apps[$i]}"
      read -r rps p50 p99 us <<<"$RESULT"
      echo "${labels[$i]} $rps $p50 $p99 $us" >>"$OUT/patch-rounds.txt"
      printf 'round %d %-6s %6s writes/s  p50 %6s ms  p99 %6s ms  core %5s µs/write\n' "$round" "${labels[$i]}" "$rps" "$p50" "$p99" "$us"
    done
  done
  for label in "${labels[@]}"; do
    printf 'median %-6s %s writes/s  p99 %s ms  core %s µs/write\n' "$label" \
      "$(awk -v l="$label" '$1 == l {print $2}' "$OUT/patch-rounds.txt" | median)" \
      "$(awk -v l="$label" '$1 == l {print $4}' "$OUT/patch-rounds.txt" | median)" \
      "$(awk -v l="$label" '$1 == l {print $5}' "$OUT/patch-rounds.txt" | median)"
  done
fi
