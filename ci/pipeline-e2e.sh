#!/usr/bin/env bash
# `berth pipeline run` end to end on the local engine, as a newcomer would run it on a clean clone (after the build):
#   1. --from image: Jib images built and pushed, manifests rendered and pinned by digest, validated, deployed on a
#      core this script starts, smoke-tested (an order PAID through the Service) — every stage succeeded, per the report;
#   2. the same again with nothing changed: the image stage pushes nothing and the deploy is skipped, per the report,
#      and the smoke test passes again.
# The core runs with its own state directory and port, so a `./berth up` already running is left alone; it is
# stopped at the end. The reports are kept as target/pipeline/e2e-{1,2}.json.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
command -v jq >/dev/null || apt_install jq

export BERTH_STATE="$BERTH_ROOT/target/pipeline-e2e/state"
export BERTH_SERVER="http://127.0.0.1:${BERTH_E2E_PORT:-7171}"
export BERTH_APISERVER_SECURE_PORT=0 # its Kubernetes API over TLS: any free port, beside a running ./berth up
mkdir -p "$BERTH_STATE"
cleanup() {
  java -cp "platform/target/quarkus-app/app/*:platform/target/quarkus-app/lib/main/*:platform/target/quarkus-app/lib/boot/*" \
    dev.berth.platform.cli.BerthCli down >/dev/null 2>&1 || warn "could not stop the e2e core (state $BERTH_STATE)"
}
trap cleanup EXIT

# expect REPORT JQ-FILTER MESSAGE — the filter must hold on the report
expect() {
  jq -e "$2" "$1" >/dev/null || { jq . "$1" >&2; die "$(basename "$1"): $3"; }
}

say "pipeline run 1: build images, deploy, verify"
./berth pipeline run --from image || { cat target/pipeline/report.md >&2; die "the first pipeline run failed"; }
cp target/pipeline/report.json target/pipeline/e2e-1.json
r=target/pipeline/e2e-1.json
expect $r '.verdict == "succeeded"' "the run did not succeed"
expect $r '[.stages[] | select(.name == "image" or .name == "manifests" or .name == "validate" or .name == "deploy" or .name == "verify") | .status] == ["succeeded","succeeded","succeeded","succeeded","succeeded"]' \
  "every stage from image to verify should have succeeded"
expect $r '(.images | length) == 2 and all(.images[]; .reference | test("@sha256:[0-9a-f]{64}$"))' "two images, each by digest"
expect $r '[.deployed[].deployment] | sort == ["order-service","payment-service"]' "both services deployed"
grep -q '127.0.0.1:5000/berth/order-service@sha256:' target/pipeline/manifests.yaml || die "manifests.yaml does not pin order-service by digest"
jsa=$(ls "$BERTH_STATE"/class-data/cli-*.jsa 2>/dev/null | head -1)
[ -n "$jsa" ] && [ "$(stat -c '%s %Y' "$jsa")" = "$(cat "$jsa.stamp" 2>/dev/null)" ] \
  || die "the first ./berth command after the build should have written the CLI's class-data archive (BERTH_STATE/class-data)"
core_jsa=$(ls "$BERTH_STATE"/class-data/core-*.jsa 2>/dev/null | head -1)
[ -n "$core_jsa" ] && [ -s "$core_jsa.crc32c" ] \
  || die "the core the first run started should have written its sealed class-data archive (BERTH_STATE/class-data/core-*.jsa)"
say "run 1: $(jq -r '[.stages[] | select(.status != "not_run") | "\(.name) \(.durationMs / 1000 | floor) s"] | join(", ")' $r)"

say "pipeline run 2: nothing changed"
./berth pipeline run --from image || { cat target/pipeline/report.md >&2; die "the second pipeline run failed"; }
cp target/pipeline/report.json target/pipeline/e2e-2.json
r=target/pipeline/e2e-2.json
expect $r '.verdict == "succeeded"' "the re-run did not succeed"
expect $r '.stages[] | select(.name == "image") | .status == "skipped"' "the image stage should skip: the sources did not change"
expect $r 'all(.images[]; .pushedBytes == 0)' "nothing should be pushed"
expect $r '.stages[] | select(.name == "deploy") | .status == "skipped"' "the deploy should skip: the digests did not change"
expect $r '.stages[] | select(.name == "verify") | .status == "succeeded"' "the smoke test should pass again"
expect $r '(.deployed | length) == 0' "nothing deployed"
[ "$(ls "$BERTH_STATE"/class-data/cli-*.jsa)" = "$jsa" ] && [ "$(stat -c '%s %Y' "$jsa")" = "$(cat "$jsa.stamp")" ] \
  || die "the second run should have used the CLI's archive, not written another"
app=platform/target/quarkus-app
# -Xshare:on fails instead of starting cold when the archive does not map: it is valid for this JVM and classpath
java -Xshare:on -XX:SharedArchiveFile="$jsa" -Xlog:disable -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" dev.berth.platform.cli.BerthCli --version \
  | grep -q '^berth ' || die "the CLI's archive does not map (java -Xshare:on)"
say "run 2: image and deploy skipped, verify passed ($(jq -r '.durationMs / 1000' $r) s)"

# Bad arguments change nothing: `up` refuses them before it installs, builds or starts anything (no step line of its
# own precedes the refusal), and `down` with one stops nothing (the registry this run uses still answers).
say "./berth up and down with bad arguments"
refused() { # refused EXPECTED-TEXT COMMAND...: exit 2 (a usage error), the text printed, nothing done before it
  local out status=0
  out=$("${@:2}" 2>&1) || status=$?
  [ "$status" = 2 ] || die "$*: exit $status, expected 2 (a usage error): $out"
  grep -qF "$1" <<<"$out" || die "$*: no '$1' in: $out"
  if grep -q '==>' <<<"$out"; then die "$*: did something before refusing its arguments: $out"; fi
}
refused "Unknown option: '--no-such-option'" ./berth up --no-such-option
refused "Invalid value for option '--timeout'" ./berth up --timeout soon
refused "Unknown option: '--no-such-option'" ./berth down --no-such-option
curl -sf "http://${BERTH_REGISTRY:-127.0.0.1:5000}/v2/" >/dev/null || die "./berth down --no-such-option stopped the registry"
out=$(./berth up --help 2>&1) || die "./berth up --help failed: $out"
grep -q '^Usage: berth up' <<<"$out" || die "./berth up --help printed no usage: $out"
if grep -q '==>' <<<"$out"; then die "./berth up --help did more than print its usage: $out"; fi
out=$(./berth down --help 2>&1) || die "./berth down --help failed: $out"
grep -q '^Usage: berth down' <<<"$out" || die "./berth down --help printed no usage: $out"
curl -sf "http://${BERTH_REGISTRY:-127.0.0.1:5000}/v2/" >/dev/null || die "./berth down --help stopped the registry"

# A TERM to the launcher reaches its command's JVM (a supervisor's stop): bash alone dies of it at once and leaves the
# JVM — under `berth up`, the core too — running. A command waiting on a server that accepts and never answers (120 s)
# ends within seconds of the TERM, and the launcher exits with the command's status (143).
say "a TERM to ./berth ends its command"
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16); s.settimeout(1)
print(s.getsockname()[1], flush=True)
held, end = [], time.time() + 120
while time.time() < end:
    try: held.append(s.accept()[0])
    except socket.timeout: pass
' >"$BERTH_STATE/silent.port" &
silent=$!
for _ in $(seq 1 50); do [ -s "$BERTH_STATE/silent.port" ] && break; sleep 0.1; done
./berth rollout status deployment/none --server "http://127.0.0.1:$(cat "$BERTH_STATE/silent.port")" >/dev/null 2>&1 &
launcher=$!
jvm=
for _ in $(seq 1 100); do jvm=$(pgrep -P "$launcher" java || true); [ -n "$jvm" ] && break; sleep 0.1; done
[ -n "$jvm" ] || die "./berth started no JVM"
sleep 3 # its request is out: the command waits on the silent server
kill -TERM "$launcher"
status=0; wait "$launcher" || status=$?
for _ in $(seq 1 150); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$jvm" 2>/dev/null; then kill -9 "$jvm"; kill "$silent"; die "the command's JVM ($jvm) outlived the TERM to ./berth by 15 s"; fi
kill "$silent" 2>/dev/null || true
[ "$status" = 143 ] || die "./berth exited $status after a TERM, expected the command's 143"

# The CLI on a JDK 25+ (BERTH_JAVA_HOME), where this machine has one: the first command makes its AOT cache in the
# background, the cache then loads (-XX:AOTMode=on fails instead of starting without it), and a cache changed after it
# was written is not used: the command still runs, and a new cache is made.
jdk25=$(jdk25_home)
if [ -z "$jdk25" ]; then
  say "no JDK 25+ under /usr/lib/jvm: the CLI's AOT-cache path has nothing to run on here"
  exit 0
fi
aot_ready() { # waits for a cache whose size and time are the ones recorded, other than $1; prints its path
  local aot
  for _ in $(seq 1 120); do
    aot=$(ls "$BERTH_STATE"/class-data/cli-*.aot 2>/dev/null | head -1)
    if [ -n "$aot" ] && [ "$(stat -c '%s %Y' "$aot")" = "$(cat "$aot.stamp" 2>/dev/null)" ] && [ "$(stat -c '%Y' "$aot")" != "${1:-}" ]; then
      echo "$aot"; return 0
    fi
    sleep 0.5
  done
  cat "$BERTH_STATE/class-data/cli-aot.log" >&2 || true
  return 1
}
say "the CLI on $jdk25: its AOT cache"
BERTH_JAVA_HOME="$jdk25" ./berth --version | grep -q '^berth ' || die "./berth --version on $jdk25 failed"
aot=$(aot_ready) || die "no AOT cache for the CLI on $jdk25 after its first command (BERTH_STATE/class-data/cli-aot.log above)"
"$jdk25/bin/java" -XX:AOTMode=on -XX:AOTCache="$aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" \
  dev.berth.platform.cli.BerthCli --version | grep -q '^berth ' || die "the CLI's AOT cache does not load (java -XX:AOTMode=on)"
sleep 1.1 # a new cache must have another time than the damaged one
printf 'damaged' | dd of="$aot" bs=1 seek=8192 conv=notrunc status=none
BERTH_JAVA_HOME="$jdk25" ./berth --version | grep -q '^berth ' || die "a command failed on a damaged AOT cache"
aot_ready "$(stat -c '%Y' "$aot")" >/dev/null || die "no new AOT cache after the damaged one"
say "the CLI's AOT cache on $jdk25: made after the first command, loaded, and made anew when damaged"
