#!/usr/bin/env bash
# Benchmark (not a test): the store's write path (platform/src/test/java/dev/berth/platform/store/bench/
# StoreWriteBenchmark.java) — 16 threads creating pods and binding them into a store on tmpfs with one in-process
# watcher; JMH prints writes as pod pairs (create + bind) per ms. With BEFORE_REV=<commit>, the store package of that
# commit is compiled beside this one and both run alternately (BENCH_ROUNDS pairs, default 3), each in its own JMH fork,
# for a before/after measured side by side; the summary prints each round and the medians.
#
#   ci/bench-store.sh
#   BEFORE_REV=HEAD~1 BENCH_ROUNDS=3 ci/bench-store.sh
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
ensure_java
ROUNDS=${BENCH_ROUNDS:-3}
OUT="$BERTH_ROOT/platform/target/bench-store"
mkdir -p "$OUT"

say "compiling platform test classes (the JMH annotation processor generates the benchmark harness)"
./mvnw -B -q test-compile dependency:build-classpath -pl platform -am -Dmdep.outputFile=target/classpath.txt
CP="platform/target/test-classes:platform/target/classes:$(cat platform/target/classpath.txt)"

run() { # $1: label, $2: classes to put first (or "")
  local first=${2:+$2:}
  java -cp "$first$CP" org.openjdk.jmh.Main 'dev\.berth\.platform\.store\.bench\.StoreWriteBenchmark' \
    -f 1 -wi 3 -w 3s -i 5 -r 3s -rf json -rff "$OUT/$1.json" >"$OUT/$1.log" 2>&1 || { tail -20 "$OUT/$1.log" >&2; die "JMH failed ($1)"; }
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))[0]["primaryMetric"]["score"])' "$OUT/$1.json"
}

if [ -z "${BEFORE_REV:-}" ]; then
  say "running JMH"
  echo "create + bind pairs/ms: $(run now "")"
  exit 0
fi

say "compiling the store package of $BEFORE_REV"
before="$OUT/before-classes"
src="$OUT/before-src"
rm -rf "$before" "$src"
mkdir -p "$before" "$src"
git ls-tree --name-only "$BEFORE_REV" platform/src/main/java/dev/berth/platform/store/ | while read -r f; do
  git show "$BEFORE_REV:$f" >"$src/$(basename "$f")"
done
javac -nowarn -d "$before" -cp "platform/target/classes:$(cat platform/target/classpath.txt)" "$src"/*.java

now=(); was=()
for i in $(seq 1 "$ROUNDS"); do
  b=$(run "before-$i" "$before"); n=$(run "now-$i" "")
  echo "round $i: before $b, now $n create+bind pairs/ms"
  was+=("$b"); now+=("$n")
done
mb=$(printf '%s\n' "${was[@]}" | median); mn=$(printf '%s\n' "${now[@]}" | median)
echo "medians: before $mb, now $mn pairs/ms (writes/s: before $(python3 -c "print(round($mb*2000))"), now $(python3 -c "print(round($mn*2000))"); ratio $(python3 -c "print(round($mn/$mb,2))"))"
