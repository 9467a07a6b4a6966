#!/usr/bin/env bash
# Benchmarks what JVM flags (BENCH_TRY, default -XX:TieredStopAtLevel=1) would change in a service's start and in its
# steady state. Each service's packaged jar is started as Berth's kubelet starts a 1-CPU, 384Mi replica
# (JavaImageRuntime's flags: -XX:MaxRAM, -XX:MaxRAMPercentage=75, -XX:ActiveProcessorCount=1, then the image's own
# arguments: Jib's default and quarkus.jib.jvm-additional-arguments if the service sets any), against the local
# PostgreSQL, in two modes alternating in each round: `image` (as the image runs) and `try` (plus BENCH_TRY).
# Start: process start → 200 on /q/health/ready, polled every 50 ms; wall time and the JVM's CPU (utime + stime) until
# then. Steady state (payment-service): after BENCH_WARM seconds of wrk POSTing payments (a new Idempotency-Key each),
# 20 s measured: payments/s and the JVM's CPU per payment. Prints every run and the medians.
#
#   ci/bench-service-start.sh        # 5 rounds per service and JVM (the default JVM and a JDK 25+), then 3 steady-state rounds
#   BENCH_ROUNDS=3 BENCH_STEADY_ROUNDS=0 BENCH_JAVA_HOMES=/usr/lib/jvm/temurin-25-jdk-amd64 ci/bench-service-start.sh
# Packages a service only when its target/quarkus-app is missing: after a change, package it first.
#
# Uses the database BENCH_DB (default berth), as ci/bench-replica-start.sh does.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
ensure_java
command -v wrk >/dev/null || apt_install wrk

SERVICES=${BENCH_SERVICES:-payment-service order-service}
ROUNDS=${BENCH_ROUNDS:-5} STEADY_ROUNDS=${BENCH_STEADY_ROUNDS:-3} WARM=${BENCH_WARM:-120} DB=${BENCH_DB:-berth}
"$BERTH_ROOT/ci/postgres.sh" >/dev/null
for svc in $SERVICES; do
  [ -f "services/$svc/target/quarkus-app/quarkus-run.jar" ] && continue
  say "packaging $svc"
  ./mvnw -B -q -pl "services/$svc" -am package -DskipTests >/dev/null
done
BENCH_JAVA_HOMES=${BENCH_JAVA_HOMES:-$(bench_java_homes)}

work=$(mktemp -d)
replica=""
cleanup() {
  [ -n "$replica" ] && kill -KILL "$replica" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

TRY=${BENCH_TRY:--XX:TieredStopAtLevel=1}

# jvm_args SERVICE MODE — the image's JVM arguments (Jib's default first), then BENCH_TRY in mode `try`
jvm_args() {
  echo "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
  sed -n 's/^quarkus\.jib\.jvm-additional-arguments=//p' "services/$1/src/main/resources/application.properties" | tr ',' '\n'
  [ "$2" = try ] && tr ' ' '\n' <<<"$TRY"
  return 0
}

# launch JAVA_HOME SERVICE MODE — starts the replica's JVM; its pid in $replica
launch() {
  local args
  mapfile -t args < <(jvm_args "$2" "$3")
  env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" POSTGRES_SERVICE_HOST="${PGHOST:-127.0.0.1}" \
      POSTGRES_SERVICE_PORT="${PGPORT:-5432}" POSTGRES_DB="$DB" QUARKUS_DATASOURCE_USERNAME=berth QUARKUS_DATASOURCE_PASSWORD=berth \
      PAYMENT_SERVICE_SERVICE_HOST=127.0.0.1 PAYMENT_SERVICE_SERVICE_PORT=1 \
      "$1/bin/java" -XX:MaxRAM=402653184 -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -Djava.io.tmpdir="$work/tmp" \
      "${args[@]}" -jar "services/$2/target/quarkus-app/quarkus-run.jar" >"$work/$2-$3.log" 2>&1 &
  replica=$!
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now_ns() { date +%s%N; }

# start_once JAVA_HOME SERVICE MODE — prints "ready-seconds cpu-seconds"
start_once() {
  local t0 ticks
  t0=$(now_ns)
  launch "$@"
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "$replica" 2>/dev/null || { tail -20 "$work/$2-$3.log" >&2; die "$2 ($3) exited before Ready"; }
    sleep 0.05
  done
  ticks=$(cpu_ticks "$replica")
  awk -v t0="$t0" -v t1="$(now_ns)" -v c="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f %.2f\n", (t1 - t0) / 1e9, c / hz}'
  kill -KILL "$replica"; wait "$replica" 2>/dev/null || true; replica=""
}

cat >"$work/post.lua" <<'EOF'
counter = 0
request = function()
  counter = counter + 1
  local key = string.format("bench-%d-%d-%d", os.time(), math.random(1, 1e9), counter)
  local body = string.format('{"orderId":"%08x-0000-4000-8000-%012x","amount":"3.00","currency":"EUR","cardToken":"tok_visa"}',
    math.random(1, 2^31 - 1), counter)
  return wrk.format("POST", "/api/payments", {["Content-Type"] = "application/json", ["Idempotency-Key"] = key}, body)
end
EOF

# steady_once JAVA_HOME MODE — payment-service warmed up, then prints "payments/s cpu-ms-per-payment non-2xx"
steady_once() {
  local before after out n
  launch "$1" payment-service "$2"
  wait_for_http "http://127.0.0.1:$port/q/health/ready" 120 || die "payment-service ($2) did not get Ready"
  wrk -t1 -c4 -d"${WARM}s" -s "$work/post.lua" "http://127.0.0.1:$port/" >/dev/null
  before=$(cpu_ticks "$replica")
  out=$(wrk -t1 -c4 -d20s -s "$work/post.lua" "http://127.0.0.1:$port/")
  after=$(cpu_ticks "$replica")
  kill -KILL "$replica"; wait "$replica" 2>/dev/null || true; replica=""
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v n="$n" -v c=$((after - before)) -v hz="$(getconf CLK_TCK)" -v bad="$(awk '/Non-2xx/ {print $NF}' <<<"$out")" \
    'BEGIN {printf "%.1f %.3f %d\n", n / 20, 1000 * c / hz / n, bad}'
}

for home in $BENCH_JAVA_HOMES; do
  for svc in $SERVICES; do
    say "$svc start, image / try ($TRY), $ROUNDS rounds on $home (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    : >"$work/runs"
    for round in $(seq 1 "$ROUNDS"); do
      order="image try"; [ $((round % 2)) -eq 0 ] && order="try image"
      for mode in $order; do
        start_once "$home" "$svc" "$mode" >"$work/run"  # not in a subshell: the trap must see the replica
        read -r ready cpu <"$work/run"
        echo "$mode $ready $cpu" >>"$work/runs"
        printf '%s round %d %-6s: Ready %.2f s after process start, %.2f s of CPU (load %s)\n' "$svc" "$round" "$mode" "$ready" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
      done
    done
    for mode in image try; do
      printf '%s median %-6s: Ready %.2f s, CPU %.2f s\n' "$svc" "$mode" \
        "$(awk -v m=$mode '$1 == m {print $2}' "$work/runs" | median)" "$(awk -v m=$mode '$1 == m {print $3}' "$work/runs" | median)"
    done
  done
  [ "$STEADY_ROUNDS" -gt 0 ] && [[ " $SERVICES " == *" payment-service "* ]] || continue
  say "payment-service steady state, image / try ($TRY), $STEADY_ROUNDS rounds on $home (${WARM} s warm-up, 20 s measured)"
  : >"$work/steady"
  for round in $(seq 1 "$STEADY_ROUNDS"); do
    order="image try"; [ $((round % 2)) -eq 0 ] && order="try image"
    for mode in $order; do
      steady_once "$home" "$mode" >"$work/run"
      read -r rate cpu bad <"$work/run"
      echo "$mode $rate $cpu" >>"$work/steady"
      printf 'steady round %d %-6s: %s payments/s, %s ms of CPU per payment, %s non-2xx (load %s)\n' "$round" "$mode" "$rate" "$cpu" "$bad" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
  for mode in image try; do
    printf 'steady median %-6s: %s payments/s, %s ms of CPU per payment\n' "$mode" \
      "$(awk -v m=$mode '$1 == m {print $2}' "$work/steady" | median)" "$(awk -v m=$mode '$1 == m {print $3}' "$work/steady" | median)"
  done
done
