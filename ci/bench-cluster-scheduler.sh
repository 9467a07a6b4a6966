#!/usr/bin/env bash
# Benchmark (not a test): binds per second of the secondary scheduler (k8s/platform) against fabric8's mock API server
# in CRUD mode with 5,000 nodes and 10,000 pending pods, the Binding's HTTP round trip included
# (platform/src/test/java/dev/berth/platform/cluster/bench/BindingBenchmark.java). Runs use 16 concurrent
# binders (or the counts given) on a fresh server each, each beside a "raw" run POSTing the same Bindings straight from as many threads
# (what the mock itself sustains); the summary gives the median per configuration. kube-scheduler's CI floor is
# 270 pods/s. Takes about 7 minutes, mostly creating the 15,000 objects per run.
#
#   ci/bench-cluster-scheduler.sh [nodes] [pods] [runs] [binders,binders…]
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
ensure_java

OUT="$BERTH_ROOT/platform/target/bench-cluster-scheduler"
mkdir -p "$OUT"
say "compiling platform test classes"
./mvnw -B -q test-compile dependency:build-classpath -pl platform -am -Dmdep.outputFile=target/classpath.txt
CP="platform/target/test-classes:platform/target/classes:$(cat platform/target/classpath.txt)"

say "running (one fresh mock server per run)"
java -Xmx4g -cp "$CP" dev.berth.platform.cluster.bench.BindingBenchmark "$@" 2>"$OUT/stderr.log" | tee "$OUT/result.tsv"

say "median binds/s per binder count"
python3 - "$OUT/result.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l[:1].isdigit()]
for binders in sorted({r[1] for r in rows}):
    rates = [float(r[5]) for r in rows if r[1] == binders]
    print(f"binders={binders}: median {statistics.median(rates):.0f} binds/s (runs: {', '.join(f'{x:.0f}' for x in rates)})")
PY
