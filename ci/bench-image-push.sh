#!/usr/bin/env bash
# Benchmark (not a test): how many bytes an order-service image rebuild pushes after a one-line code change.
#
# In a temporary clone of HEAD (never the caller's tree) it pushes the order-service image three times to
# $BERTH_REGISTRY/berth-bench/order-service with Jib (the `images` profile, local `scratch` base):
#   1. baseline            tag bench-base
#   2. rebuild, no change  tag bench-same     (what a rebuild costs by itself: timestamps in the layers)
#   3. one-line change     tag bench-change   (the message of the first LOG.infof in OrderService.java)
# and compares the manifests (`skopeo inspect --raw`): the bytes pushed by a build are the compressed sizes of
# the layers, plus the config, whose digests the registry did not have before. When the registry is the one
# ci/registry.sh started, its log is cross-checked (the upload state of each finished blob PUT holds its
# byte count). Only order-service's uploads count (`-am` also builds and pushes payment-service, which
# order-service's tests run). The bench tags are deleted at the end; the temporary clone is removed (kept with BENCH_KEEP=1).
#
#   ci/bench-image-push.sh [extra Maven args for every build, e.g. -Dquarkus.jib.use-current-timestamp=false]
source "$(dirname "$0")/lib.sh"

BERTH_REGISTRY="${BERTH_REGISTRY:-127.0.0.1:5000}"
export BERTH_REGISTRY
case "$BERTH_REGISTRY" in 127.0.0.1:*|localhost:*) TLS=false ;; *) TLS=true ;; esac
GROUP=berth-bench
SVC=order-service
REPO="$BERTH_REGISTRY/$GROUP/$SVC"
CHANGED_FILE=services/order-service/src/main/java/dev/berth/order/service/OrderService.java
REG_LOG="$BERTH_STATE/registry/registry.log"
REG_PID="$BERTH_STATE/registry/registry.pid"
MAVEN_ARGS_EXTRA=("$@")

command -v skopeo >/dev/null || apt_install skopeo
command -v jq >/dev/null || apt_install jq
ensure_java
"$BERTH_ROOT/ci/registry.sh" start

WORK="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench.XXXXXX")"
cleanup() {
  # order-service's test-scoped dependency on payment-service makes `-am` build (and push) that image too
  local s t
  for s in order-service payment-service; do
    for t in bench-base bench-same bench-change; do
      skopeo delete --tls-verify="$TLS" "docker://$BERTH_REGISTRY/$GROUP/$s:$t" >/dev/null 2>&1 || true
    done
  done
  if [ -n "${BENCH_KEEP:-}" ]; then say "kept $WORK (BENCH_KEEP)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say "cloning HEAD into $WORK/src"
git clone -q --no-checkout "$BERTH_ROOT" "$WORK/src"
git -C "$WORK/src" checkout -q --detach "$(git -C "$BERTH_ROOT" rev-parse HEAD)"
cd "$WORK/src" || die "cannot enter $WORK/src"

# our registry's log, when this script's registry is the one answering (for the cross-check)
own_log=0
if [ -f "$REG_PID" ] && [ -f "$REG_LOG" ] && kill -0 "$(cat "$REG_PID")" 2>/dev/null; then own_log=1; fi
log_lines() { if [ "$own_log" = 1 ]; then wc -l <"$REG_LOG"; else echo 0; fi; }

# push TAG — builds and pushes order-service as $REPO:TAG; saves the manifest to $WORK/TAG.json,
# the registry log lines of this push to $WORK/TAG.reglog
push() {
  local tag=$1 start end
  start=$(log_lines)
  SECONDS_BEFORE=$SECONDS
  if ! ./mvnw -B package -Pimages -DskipTests -pl "services/$SVC" -am \
      -Dquarkus.container-image.group="$GROUP" -Dquarkus.container-image.tag="$tag" "${MAVEN_ARGS_EXTRA[@]}" \
      >"$WORK/$tag.build.log" 2>&1; then
    tail -n 40 "$WORK/$tag.build.log" >&2
    die "build of $tag failed"
  fi
  grep -q "Pushed container image $REPO:$tag" "$WORK/$tag.build.log" || die "Jib did not push $REPO:$tag (see the build log)"
  end=$(log_lines)
  skopeo inspect --tls-verify="$TLS" --raw "docker://$REPO:$tag" >"$WORK/$tag.json"
  if [ "$own_log" = 1 ]; then sed -n "$((start + 1)),${end}p" "$REG_LOG" >"$WORK/$tag.reglog"; else : >"$WORK/$tag.reglog"; fi
  say "pushed $REPO:$tag in $((SECONDS - SECONDS_BEFORE))s"
}

# blobs MANIFEST — "digest size" of the config and every layer
blobs() { jq -r '.config, .layers[] | "\(.digest) \(.size)"' "$1"; }

# new_bytes NEW OLD... — bytes of NEW's blobs that none of the OLD manifests has
new_bytes() {
  local new=$1; shift
  blobs "$new" | while read -r d s; do
    grep -qs "^$d " <(for o in "$@"; do blobs "$o"; done) || echo "$s"
  done | awk '{t += $1} END {print t + 0}'
}

# uploaded_bytes REGLOG REPOSITORY — bytes of the blob uploads to REPOSITORY (e.g. berth-bench/order-service)
# the registry completed (access log: PUT ...&digest= 201);
# the upload _state (base64url: 32-byte HMAC + JSON) carries the final Offset = the blob's size
uploaded_bytes() {
  command -v python3 >/dev/null || { echo "? ?"; return; }
  python3 - "$1" "$2" 2>/dev/null <<'EOF'
import base64, json, re, sys, urllib.parse
total, n = 0, 0
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r'"PUT /v2/' + re.escape(sys.argv[2]) + r'/blobs/uploads/\S*?_state=([^&\s]+)&digest=(sha256:[0-9a-f]+) HTTP/[0-9.]+" 201', line)
    if not m:
        continue
    raw = urllib.parse.unquote(m.group(1))
    data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    state = json.loads(data[data.index(b'{"Name"'):])
    total += int(state["Offset"]); n += 1
print(f"{total} {n}")
EOF
}

# describe DIGEST — what a layer holds (its top directory under the working dir and its file count)
describe() {
  local list
  list=$(curl -fsS "http://$BERTH_REGISTRY/v2/$GROUP/$SVC/blobs/$1" 2>/dev/null | tar -tzf - 2>/dev/null) || true
  [ -n "$list" ] || { printf '?'; return; }
  grep -v '/$' <<<"$list" |
    awk -F/ '{n++; p=$0; sub(/\/[^\/]*$/, "", p); if (!(p in seen)) {seen[p]=1; dirs = dirs (dirs ? "," : "") p}}
             END {if (n) printf "%d file(s) in %s", n, dirs; else printf "directories only"}'
}

push bench-base
push bench-same

sed -i '0,/LOG\.infof("/s//LOG.infof("[bench] /' "$CHANGED_FILE"
[ "$(git diff --numstat | awk '{a += $1; d += $2} END {print a "+" d}')" = "1+1" ] || die "the one-line change did not apply to $CHANGED_FILE"
say "one-line change: $(git diff -U0 | grep '^+ ' | sed 's/^+ *//')"
push bench-change

human() { numfmt --to=iec --suffix=B --format='%.1f' "$1" 2>/dev/null || echo "$1 B"; }
total=$(blobs "$WORK/bench-base.json" | awk '{t += $2} END {print t}')
same=$(new_bytes "$WORK/bench-same.json" "$WORK/bench-base.json")
change=$(new_bytes "$WORK/bench-change.json" "$WORK/bench-base.json" "$WORK/bench-same.json")

echo
echo "order-service layers (bench-same -> bench-change); * = new digest, pushed"
printf '  %-3s %-14s %-14s %10s  %s\n' '#' same change size content
paste <(jq -r '.layers[] | "\(.digest) \(.size)"' "$WORK/bench-same.json") \
      <(jq -r '.layers[] | "\(.digest) \(.size)"' "$WORK/bench-change.json") |
  awk '{print NR, $1, $3, $4}' | while read -r i d_same d_change size; do
    mark=" "; [ "$d_same" = "$d_change" ] || mark="*"
    printf '  %-3s %-14s %-13s%s %10s  %s\n' "$i" "${d_same:7:12}" "${d_change:7:12}" "$mark" "$size" "$(describe "$d_change")"
  done
printf '  cfg %-14s %-13s%s %10s\n' "$(jq -r '.config.digest[7:19]' "$WORK/bench-same.json")" \
  "$(jq -r '.config.digest[7:19]' "$WORK/bench-change.json")" "*" "$(jq -r .config.size "$WORK/bench-change.json")"
echo
printf 'image (compressed, layers + config):          %12s B  (%s)\n' "$total" "$(human "$total")"
printf 'pushed by a rebuild without changes:          %12s B  (%s)\n' "$same" "$(human "$same")"
printf 'pushed by a rebuild after a one-line change:  %12s B  (%s)\n' "$change" "$(human "$change")"
if [ "$own_log" = 1 ]; then
  read -r logged count <<<"$(uploaded_bytes "$WORK/bench-change.reglog" "$GROUP/$SVC" || echo "? ?")"
  printf 'registry log, blob uploads of that push:      %12s B  (%s blob(s))\n' "$logged" "$count"
  [ "$logged" = "$change" ] || warn "the registry log ($logged B) disagrees with the manifest comparison ($change B)"
else
  echo "registry log: not ours (registry not started by ci/registry.sh), no cross-check"
fi
echo "BENCH image_bytes=$total rebuild_nochange_bytes=$same rebuild_onelinechange_bytes=$change"
