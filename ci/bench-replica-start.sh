#!/usr/bin/env bash
# Benchmarks a replica's start with and without its image's class-data archive
# (dev.berth.platform.runtime.ReplicaStartBench): payment-service's image, started by the kubelet as it starts a 1-CPU,
# 384Mi replica, from process start to 200 on /q/health/ready, against the local PostgreSQL. Three modes alternate in
# each round: off (no archive), first (the first start of the image, which writes the archive once Ready; how long that
# takes is printed too) and archive (a later start). Prints every run and the medians, per JVM in BENCH_JAVA_HOMES
# (default: the core's JVM and a JDK 25+ under /usr/lib/jvm if there is one).
#
# BENCH_IMAGES="label=image label=image …" compares images side by side instead: per JVM, each round starts every
# image once in each mode (off, first, archive; a fresh archive directory per image and round), images alternating,
# and the medians per image are printed at the end.
#
#   ci/bench-replica-start.sh                     # 3 rounds per JVM
#   BENCH_ROUNDS=5 BENCH_JAVA_HOMES=/usr/lib/jvm/java-17-openjdk-amd64 ci/bench-replica-start.sh
#   BENCH_IMAGES="fast-jar=127.0.0.1:5000/berth/payment-service@sha256:… aot-jar=…" ci/bench-replica-start.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

ROUNDS=${BENCH_ROUNDS:-3}
ensure_java
[ -f target/images/digests.txt ] && grep -q '^payment-service ' target/images/digests.txt ||
  BERTH_IMAGE_SERVICES=payment-service ci/images.sh
IMAGE=$(awk '$1 == "payment-service" {print $2}' target/images/digests.txt)
"$BERTH_ROOT/ci/postgres.sh" >/dev/null

BENCH_JAVA_HOMES=${BENCH_JAVA_HOMES:-$(bench_java_homes)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "compiling platform tests and resolving their classpath"
./mvnw -B -q -pl platform -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test >/dev/null

export BENCH_ENV_QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/berth"
export BENCH_ENV_QUARKUS_DATASOURCE_USERNAME=berth BENCH_ENV_QUARKUS_DATASOURCE_PASSWORD=berth
bench() { # WORK-DIR IMAGE ROUNDS JAVA-HOME
  java -Xmx256m -cp "platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")" \
    dev.berth.platform.runtime.ReplicaStartBench "$@"
}
if [ -z "${BENCH_IMAGES:-}" ]; then
  for home in $BENCH_JAVA_HOMES; do
    say "replica start off / first / archive on $home: $ROUNDS rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    bench "$work/$(basename "$home")" "$IMAGE" "$ROUNDS" "$home"
  done
  exit 0
fi
for home in $BENCH_JAVA_HOMES; do
  for round in $(seq 1 "$ROUNDS"); do
    for pair in $BENCH_IMAGES; do
      label=${pair%%=*}
      say "$(basename "$home"), round $round, $label (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
      bench "$work/$(basename "$home")@$label@$round" "${pair#*=}" 1 "$home" | tee "$work/$(basename "$home")@$label@$round.out" | grep '^round'
    done
  done
done
python3 - "$work" <<'PY'
import collections, glob, os, re, statistics, sys
runs = collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.out"))):
    jvm, label, _ = os.path.basename(f).split("@")
    for line in open(f):
        m = re.match(r"round \d+ (\w+)\s*: ready ([\d.]+) s after process start, ([\d.]+) s of CPU", line)
        if m:
            runs[(jvm, label, m.group(1))].append((float(m.group(2)), float(m.group(3))))
for jvm in sorted({k[0] for k in runs}):
    cold = {label: statistics.median(r[0] for r in runs[(j, label, "off")]) for (j, label, mode) in runs if j == jvm and mode == "off"}
    for (j, label, mode) in sorted(k for k in runs if k[0] == jvm):
        ready = statistics.median(r[0] for r in runs[(j, label, mode)])
        cpu = statistics.median(r[1] for r in runs[(j, label, mode)])
        others = ", ".join(f"{100 * ready / c:.0f} % of {l}'s off" for l, c in sorted(cold.items()))
        print(f"{jvm} {label:10} {mode:7}: ready {ready:.2f} s, CPU {cpu:.2f} s (medians of {len(runs[(j, label, mode)])}); {others}")
PY
