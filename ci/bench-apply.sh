#!/usr/bin/env bash
# Benchmark (not a test): the Kubernetes API's create and apply paths under the fuzz corpus
# (platform/src/test/java/dev/berth/platform/apiserver/bench/ApplyBenchmark.java): the API over HTTP in the benchmark's
# JVM over a real store, fed 2,000 seeded random and mutated manifests in turn (each document POSTed or server-side
# applied where kubectl would send it), in a 256 MB heap like the core's.
# Prints documents/s accepted and refused, the 500s (must be 0) and the heap's high-water mark.
#
#   ci/bench-apply.sh [extra JMH arguments]
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
ensure_java

OUT="$BERTH_ROOT/platform/target/bench-apply"
mkdir -p "$OUT"

say "compiling platform test classes (the JMH annotation processor generates the benchmark harness)"
./mvnw -B -q test-compile dependency:build-classpath -pl platform -am -Dmdep.outputFile=target/classpath.txt
CP="platform/target/test-classes:platform/target/classes:$(cat platform/target/classpath.txt)"

say "running JMH"
java -cp "$CP" org.openjdk.jmh.Main 'dev\.berth\.platform\.apiserver\.bench\.ApplyBenchmark' \
  -f 1 -jvmArgs '-Xmx256m' -wi 2 -w 5s -i 5 -r 5s -rf json -rff "$OUT/result.json" "$@" | tee "$OUT/output.txt"
