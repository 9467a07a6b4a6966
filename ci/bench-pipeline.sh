#!/usr/bin/env bash
# Benchmark (not a test): from a one-line code change in order-service to its new revision Ready on the local
# engine, through `berth pipeline run --from image --to deploy` (Jib build and push, manifests pinned by digest,
# validate, deploy and the rolling update until every new replica is Ready), and the bytes that change pushes.
#
# In a temporary clone of HEAD (never the caller's tree), with its own core (state under the clone, port 7272):
# a baseline run deploys the application, then hyperfine times BENCH_RUNS (3) runs, each prepared by a different
# one-line change to the first LOG.infof message of OrderService.java. Every run's report is kept in target/bench/
# (pipeline-<n>.json); the summary prints hyperfine's median and, per run, the stages' durations, order-service's
# bytes pushed and the revision it reached.
#
#   ci/bench-pipeline.sh
source "$(dirname "$0")/lib.sh"

RUNS="${BENCH_RUNS:-3}"
command -v hyperfine >/dev/null || apt_install hyperfine
command -v jq >/dev/null || apt_install jq
"$BERTH_ROOT/ci/registry.sh" start

WORK="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-pipeline.XXXXXX")"
OUT="$BERTH_ROOT/target/bench"
mkdir -p "$OUT"
export BERTH_STATE="$WORK/state" BERTH_SERVER="http://127.0.0.1:7272" BERTH_APISERVER_SECURE_PORT=0
cleanup() {
  if [ -x "$WORK/src/berth" ]; then (cd "$WORK/src" && ./berth down >/dev/null 2>&1) || true; "$BERTH_ROOT/ci/registry.sh" start >/dev/null 2>&1 || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then say "kept $WORK (BENCH_KEEP)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say "cloning HEAD into $WORK/src"
git clone -q "$BERTH_ROOT" "$WORK/src"
cd "$WORK/src" || die "cannot enter $WORK/src"
CHANGED_FILE=services/order-service/src/main/java/dev/berth/order/service/OrderService.java

say "baseline: build, deploy and verify once (./berth pipeline run --from image; the first run also builds the CLI)"
./berth pipeline run --from image >"$OUT/pipeline-baseline.log" 2>&1 || { tail -30 "$OUT/pipeline-baseline.log" >&2; die "the baseline run failed"; }

# each run: a different one-line change (the first LOG.infof message gets "[bench N]"), committed so the images'
# revision label is honest; then the pipeline up to deploy; then its report is kept
cat >"$WORK/change.sh" <<SH
#!/usr/bin/env bash
set -e
cd "$WORK/src"
n=\$(( \$(cat "$WORK/n" 2>/dev/null || echo 0) + 1 )); echo \$n >"$WORK/n"
sed -i -E '0,/LOG\.infof\("(\[bench [0-9]+\] )?/s//LOG.infof("[bench '\$n'] /' "$CHANGED_FILE"
[ "\$(git diff --numstat | awk '{a += \$1; d += \$2} END {print a "+" d}')" = "1+1" ]
git -c user.name=bench -c user.email=bench@berth.dev commit -qam "bench change \$n"
SH
cat >"$WORK/run.sh" <<SH
#!/usr/bin/env bash
set -e
cd "$WORK/src"
./berth pipeline run --from image --to deploy >>"$OUT/pipeline-runs.log" 2>&1
cp target/pipeline/report.json "$OUT/pipeline-\$(cat "$WORK/n").json"
SH
chmod +x "$WORK/change.sh" "$WORK/run.sh"
: >"$OUT/pipeline-runs.log"
hyperfine --runs "$RUNS" --prepare "$WORK/change.sh" --export-json "$OUT/pipeline-hyperfine.json" "$WORK/run.sh"

echo
printf '%-4s %9s %9s %9s %9s %12s %10s\n' run image manifests validate deploy pushed revision
for n in $(seq 1 "$RUNS"); do
  r="$OUT/pipeline-$n.json"
  [ -f "$r" ] || die "no report for run $n"
  jq -e '.verdict == "succeeded"' "$r" >/dev/null || die "run $n did not succeed (see $r)"
  jq -r --arg n "$n" '
    def s($x): (.stages[] | select(.name == $x) | .durationMs / 1000 | tostring | .[0:5]) + " s";
    [$n, s("image"), s("manifests"), s("validate"), s("deploy"),
     ((.images[] | select(.service == "order-service") | .pushedBytes | tostring) + " B"),
     (.deployed[] | select(.deployment == "order-service") | .revision | tostring)] | @tsv' "$r" |
    awk -F'\t' '{printf "%-4s %9s %9s %9s %9s %12s %10s\n", $1, $2, $3, $4, $5, $6, $7}'
done
jq -r '.results[0] | "change → Ready (median of \(.times | length)): \(.median | . * 10 | round / 10) s (min \(.min | . * 10 | round / 10), max \(.max | . * 10 | round / 10))"' "$OUT/pipeline-hyperfine.json"
