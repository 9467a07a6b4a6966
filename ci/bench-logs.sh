#!/usr/bin/env bash
# Benchmarks the log shipper against a raw _bulk load of the same documents into the same local Elasticsearch
# (dev.berth.platform.logs.ShipperBench), alternating sides for BENCH_ROUNDS rounds. Prints each run and the
# medians: documents/s of each, the shipper's share of raw (target >= 90 %), and the shipper's peak heap in use.
#
#   ci/bench-logs.sh                            # 4 files x 50,000 lines, 1 warm-up round (not counted), 3 rounds
#   BENCH_FILES=8 BENCH_LINES=25000 BENCH_ROUNDS=5 BENCH_WARMUP_ROUNDS=2 ci/bench-logs.sh
#   BENCH_CONCURRENT=3 ci/bench-logs.sh         # concurrent bulk requests of both sides (default 2, the core's default)
#   BENCH_RAW_CHUNK=8192 ci/bench-logs.sh       # the raw side sends its bodies in HTTP chunks of this size (default: one body)
#
# BENCH_PROFILE=itimer|wall profiles the benchmark's JVM (shipper and raw client; threads by name) with async-profiler
# into platform/target/bench-logs-profile.txt (collapsed stacks).
#
# Elasticsearch runs on 127.0.0.1:$BENCH_ES_PORT (default 9251) with its own node directory, so a running
# `./berth up` is not disturbed; it is stopped at the end.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

FILES=${BENCH_FILES:-4}
LINES=${BENCH_LINES:-50000}
ROUNDS=${BENCH_ROUNDS:-3}
export BERTH_ES_PORT=${BENCH_ES_PORT:-9251}
if [ "$(id -u)" -eq 0 ]; then export BERTH_ES_DIR=/var/lib/berth/elasticsearch-bench; else export BERTH_ES_DIR="$BERTH_STATE/elasticsearch-bench"; fi

ensure_java
work=$(mktemp -d)
cleanup() { ci/elasticsearch.sh stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

say "compiling platform tests and resolving their classpath"
./mvnw -B -q -pl platform test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test >/dev/null
ci/elasticsearch.sh start >/dev/null
es_pid=$(cat "$BERTH_ES_DIR/elasticsearch.pid" 2>/dev/null || echo -1) # its CPU per document is reported
say "shipper vs raw _bulk: $FILES files x $LINES lines, $ROUNDS rounds"
profile=()
[ -z "${BENCH_PROFILE:-}" ] || profile=("-agentpath:$(async_profiler)=start,event=$BENCH_PROFILE,interval=${BENCH_PROFILE_INTERVAL:-1ms},file=$BERTH_ROOT/platform/target/bench-logs-profile.txt,collapsed,threads")
# the core's collector (CoreProcess: -XX:+UseSerialGC); a larger heap than its 384m, since the raw side holds its
# pre-built bodies (≈ 250 MB) in this JVM too
java -Xmx512m -XX:+UseSerialGC -Dbench.raw.chunk="${BENCH_RAW_CHUNK:-0}" -Dbench.warmup="${BENCH_WARMUP_ROUNDS:-1}" -Dbench.concurrent="${BENCH_CONCURRENT:-2}" "${profile[@]}" -cp "platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")" \
  dev.berth.platform.logs.ShipperBench "http://127.0.0.1:$BERTH_ES_PORT" "$work" "$FILES" "$LINES" "$ROUNDS" "$es_pid"
