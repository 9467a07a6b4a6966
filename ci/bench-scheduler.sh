#!/usr/bin/env bash
# Benchmark (not a test): the scheduler's placement rate and per-decision latency. One placement is the full
# filter + score pipeline over 5,000 generated nodes plus snapshot.assume, against clusters already running
# 10,000 and 150,000 replicas (platform/src/test/java/dev/berth/platform/scheduler/bench/PlacementBenchmark.java).
# JMH measures throughput and sampled latency (p50/p99/p99.9); the summary prints placements/s and µs.
# Target ≥ 10,000 placements/s (kube-scheduler's CI floor is 270 pods/s). Takes about two minutes.
#
#   ci/bench-scheduler.sh [extra JMH arguments, e.g. -p existingReplicas=150000 -i 10]
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
ensure_java
command -v jq >/dev/null || apt_install jq

OUT="$BERTH_ROOT/platform/target/bench-scheduler"
mkdir -p "$OUT"

say "compiling platform test classes (the JMH annotation processor generates the benchmark harness)"
# one reactor run with -am: modules platform depends on resolve to their target/classes, nothing needs installing;
# each module writes its classpath to its own target/classpath.txt
./mvnw -B -q test-compile dependency:build-classpath -pl platform -am -Dmdep.outputFile=target/classpath.txt
CP="platform/target/test-classes:platform/target/classes:$(cat platform/target/classpath.txt)"

say "running JMH"
java -cp "$CP" org.openjdk.jmh.Main 'dev\.berth\.platform\.scheduler\.bench\.PlacementBenchmark' \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$OUT/result.json" "$@"

say "summary (5,000 nodes; full filter + score + assume per placement)"
jq -r '
  def us: . * 1000 | . * 10 | round / 10;
  ["existing replicas", "placements/s", "mean µs", "p50 µs", "p99 µs", "p99.9 µs"],
  ( group_by(.params.existingReplicas)[]
    | (map(select(.mode == "thrpt"))[0]) as $t
    | (map(select(.mode == "sample"))[0]) as $s
    | [ ($t // $s).params.existingReplicas,
        (if $t then ($t.primaryMetric.score * 1000 | round) else "-" end),
        (if $s then ($s.primaryMetric.score | us) else "-" end),
        (if $s then ($s.primaryMetric.scorePercentiles["50.0"] | us) else "-" end),
        (if $s then ($s.primaryMetric.scorePercentiles["99.0"] | us) else "-" end),
        (if $s then ($s.primaryMetric.scorePercentiles["99.9"] | us) else "-" end) ] )
  | @tsv' "$OUT/result.json" | column -t -s $'\t'
say "raw results: $OUT/result.json"
