#!/usr/bin/env bash
# Benchmarks a replica's start with and without its image's class-data archive
# (dev.berth.platform.runtime.ReplicaStartBench): payment-service's image, started by the kubelet as it starts a 1-CPU,
# 384Mi replica, from process start to 200 on /q/health/ready, against the local PostgreSQL. Three modes alternate in
# each round: off (no archive), first (the first start of the image, which writes the archive once Ready; how long that
# takes is printed too) and archive (a later start). Prints every run and the medians, per JVM in BENCH_JAVA_HOMES
# (default: the core's JVM and a JDK 25+ under /usr/lib/jvm if there is one).
#
#   ci/bench-replica-start.sh                     # 3 rounds per JVM
#   BENCH_ROUNDS=5 BENCH_JAVA_HOMES=/usr/lib/jvm/java-17-openjdk-amd64 ci/bench-replica-start.sh
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
for home in $BENCH_JAVA_HOMES; do
  say "replica start off / first / archive on $home: $ROUNDS rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  java -Xmx256m -cp "platform/target/classes:platform/target/test-classes:$(cat "$work/classpath")" \
    dev.berth.platform.runtime.ReplicaStartBench "$work/$(basename "$home")" "$IMAGE" "$ROUNDS" "$home"
done
