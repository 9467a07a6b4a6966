#!/usr/bin/env bash
# Benchmarks what log rotation costs a replica (dev.berth.platform.runtime.LogRotationBench): lines/s a JVM writes
# to its log with rotation off, on (10Mi x 5, a pass every second) and through a pipe to a writer process (the
# rotatelogs/multilog design, for comparison), alternating modes for BENCH_ROUNDS rounds. Prints each run and the
# medians: lines/s, peak blocks on disk, and how long a releasing rotation pass takes.
#
#   ci/bench-log-rotation.sh                          # 2,000,000 lines (about 250 MB) per run, 3 rounds
#   BENCH_LINES=500000 BENCH_ROUNDS=5 ci/bench-log-rotation.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

LINES=${BENCH_LINES:-2000000}
ROUNDS=${BENCH_ROUNDS:-3}

ensure_java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "compiling platform tests and resolving their classpath"
./mvnw -B -q -pl platform -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test >/dev/null
say "rotation off / on / pipe: $LINES lines per run, $ROUNDS rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
java -Xmx256m -cp "platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")" \
  dev.berth.platform.runtime.LogRotationBench "$work/runs" "$LINES" "$ROUNDS"
