#!/usr/bin/env bash
# Builds the service images with Jib (no Docker engine) and pushes them to $BERTH_REGISTRY
# (default 127.0.0.1:5000, started by ci/registry.sh when local), then checks what arrived:
#   - the tag's digest is the one this build pushed (target/jib-image.digest), so a stale tag never passes;
#   - at least 2 layers (dependencies apart from the application);
#   - OCI labels source, revision (= `git rev-parse HEAD`) and version (= the pom's version);
#   - a non-root user.
# Writes target/images/digests.txt (`<service> <repository>@sha256:...`) for the stages that pin by digest,
# target/images/images.json (per image: digest, the digest the tag had before this build, compressed size, and the
# bytes pushed — the compressed layers and config that the tag's previous image did not have, which Jib skips
# uploading when the registry has them) and target/images/build.log.
#
#   ci/images.sh [extra Maven args...]        e.g. ci/images.sh -Prelease (with BERTH_REGISTRY=ghcr.io/...)
#   ci/images.sh --no-build                   only check what an earlier `./mvnw package -Pimages` pushed
#   BERTH_IMAGE_SERVICES=order-service ci/images.sh   only these images (the pipeline's image stage rebuilds only what
#                                             changed; Maven's -am may still build and push a module they depend on)
source "$(dirname "$0")/lib.sh"

BUILD=1
if [ "${1:-}" = --no-build ]; then BUILD=0; shift; fi

BERTH_REGISTRY="${BERTH_REGISTRY:-127.0.0.1:5000}"
read -r -a SERVICES <<<"${BERTH_IMAGE_SERVICES:-order-service payment-service}"
for svc in "${SERVICES[@]}"; do
  [ -f "$BERTH_ROOT/services/$svc/pom.xml" ] || die "BERTH_IMAGE_SERVICES: no service $svc under services/"
done
export BERTH_REGISTRY

case "$BERTH_REGISTRY" in
  127.0.0.1:*|localhost:*) LOCAL=1 ;;
  *) LOCAL=0 ;;
esac
# the local registry speaks plain HTTP; anything else is verified
TLS_VERIFY="${BERTH_REGISTRY_TLS_VERIFY:-$([ "$LOCAL" = 1 ] && echo false || echo true)}"

command -v skopeo >/dev/null || apt_install skopeo
command -v jq >/dev/null || apt_install jq
ensure_java

if [ "$LOCAL" = 1 ]; then
  "$BERTH_ROOT/ci/registry.sh" start
else
  say "using registry $BERTH_REGISTRY (not started here)"
fi

cd "$BERTH_ROOT" || die "cannot enter $BERTH_ROOT"
BERTH_GIT_REVISION="$(git rev-parse HEAD)"
export BERTH_GIT_REVISION
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] ||
  warn "the working tree has uncommitted changes: the images are labelled with HEAD ($BERTH_GIT_REVISION) all the same"

# the project version, cheaply: the first <version> of the root pom (it has no <parent>)
VERSION="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' pom.xml | head -n1)"
if [[ ! "$VERSION" =~ ^[A-Za-z0-9._-]+$ ]]; then
  VERSION="$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout)"
fi
[ -n "$VERSION" ] || die "could not determine the project version from pom.xml"

OUT="$BERTH_ROOT/target/images"
mkdir -p "$OUT"
LOG="$OUT/build.log"
modules=$(printf 'services/%s,' "${SERVICES[@]}"); modules=${modules%,}
declare -A previous_blobs previous_digest
if [ "$BUILD" = 1 ]; then
  for svc in "${SERVICES[@]}"; do
    rm -f "services/$svc/target/jib-image.digest"
    # what the tag held before this build: the baseline for the bytes this build pushes
    if raw=$(skopeo inspect --tls-verify="$TLS_VERIFY" --raw "docker://$BERTH_REGISTRY/berth/$svc:$VERSION" 2>/dev/null); then
      previous_blobs[$svc]=$(jq -c '[.config.digest] + [.layers[].digest]' <<<"$raw")
      previous_digest[$svc]=$(skopeo inspect --tls-verify="$TLS_VERIFY" --format '{{.Digest}}' "docker://$BERTH_REGISTRY/berth/$svc:$VERSION")
    fi
  done
  say "building and pushing ${SERVICES[*]} $VERSION to $BERTH_REGISTRY with Jib (log: $LOG)"
  if ! ./mvnw -B package -Pimages -DskipTests -pl "$modules" -am "$@" 2>&1 | tee "$LOG"; then
    die "the Maven image build failed (see $LOG)"
  fi
fi

fail=0
# expect MESSAGE COMMAND... — records a failure (and prints MESSAGE) unless COMMAND succeeds
expect() {
  local msg=$1; shift
  if ! "$@"; then printf '\033[1;31mFAIL\033[0m %s\n' "$msg" >&2; fail=1; fi
}
non_root() { case "${1%%:*}" in ""|0|root) return 1 ;; *) return 0 ;; esac; }

rows=()
: >"$OUT/digests.txt.tmp"
: >"$OUT/images.ndjson.tmp"
for svc in "${SERVICES[@]}"; do
  repo="$BERTH_REGISTRY/berth/$svc"
  ref="docker://$repo:$VERSION"
  say "checking $repo:$VERSION"

  if [ "$BUILD" = 1 ]; then
    expect "$svc: the build log does not say Jib pushed $repo:$VERSION" grep -q "Pushed container image $repo:$VERSION" "$LOG"
  fi
  built=$(cat "services/$svc/target/jib-image.digest" 2>/dev/null || true)

  if ! inspect=$(skopeo inspect --tls-verify="$TLS_VERIFY" "$ref"); then
    expect "$svc: skopeo cannot find $repo:$VERSION" false; continue
  fi
  config=$(skopeo inspect --tls-verify="$TLS_VERIFY" --config "$ref")
  raw=$(skopeo inspect --tls-verify="$TLS_VERIFY" --raw "$ref")
  echo "$inspect"
  echo "$config" | jq -c '{user: .config.User, workdir: .config.WorkingDir, entrypoint: .config.Entrypoint, cmd: .config.Cmd, ports: (.config.ExposedPorts // {} | keys)}'

  digest=$(jq -r .Digest <<<"$inspect")
  expect "$svc: the registry's $VERSION tag is $digest, but this build pushed ${built:-nothing} (stale tag?)" \
    [ "$digest" = "${built:-none}" ]

  layers=$(jq '.layers | length' <<<"$raw")
  expect "$svc: $layers layer(s); expected separate dependency and application layers (>= 2)" [ "$layers" -ge 2 ]

  for label in source revision version; do
    value=$(jq -r --arg k "org.opencontainers.image.$label" '.Labels[$k] // empty' <<<"$inspect")
    expect "$svc: label org.opencontainers.image.$label missing" [ -n "$value" ]
  done
  revision=$(jq -r '.Labels["org.opencontainers.image.revision"] // empty' <<<"$inspect")
  expect "$svc: revision label '$revision' is not HEAD $BERTH_GIT_REVISION" [ "$revision" = "$BERTH_GIT_REVISION" ]
  version=$(jq -r '.Labels["org.opencontainers.image.version"] // empty' <<<"$inspect")
  expect "$svc: version label '$version' is not the pom's $VERSION" [ "$version" = "$VERSION" ]

  user=$(jq -r '.config.User // empty' <<<"$config")
  expect "$svc: image user '${user}' is root or unset; expected a non-root user" non_root "$user"

  size=$(jq '[.layers[].size] | add' <<<"$raw")
  rows+=("$svc|$digest|$layers|$size")
  echo "$svc $repo@$digest" >>"$OUT/digests.txt.tmp"
  # bytes pushed: null with --no-build (this script pushed nothing); everything when the tag is new
  jq -c --arg svc "$svc" --arg repo "$repo" --arg tag "$VERSION" --arg digest "$digest" \
     --arg prev "${previous_digest[$svc]:-}" --argjson known "${previous_blobs[$svc]:-[]}" --argjson built "$BUILD" '
    ([.config] + .layers) as $blobs
    | {service: $svc, repository: $repo, tag: $tag, digest: $digest,
       previousDigest: (if $prev == "" then null else $prev end),
       layers: (.layers | length), bytes: ([$blobs[].size] | add),
       pushedBytes: (if $built == 1 then ([$blobs[] | select(.digest as $d | $known | index($d) | not) | .size] | add // 0) else null end)}' \
    <<<"$raw" >>"$OUT/images.ndjson.tmp"
done

[ "$fail" = 0 ] || { rm -f "$OUT/digests.txt.tmp" "$OUT/images.ndjson.tmp"; die "image checks failed"; }
mv "$OUT/digests.txt.tmp" "$OUT/digests.txt"
jq -s . "$OUT/images.ndjson.tmp" >"$OUT/images.json" && rm -f "$OUT/images.ndjson.tmp"

human() { numfmt --to=iec --suffix=B --format='%.1f' "$1" 2>/dev/null || echo "$1 B"; }
printf '\n%-32s %-71s %6s %10s %12s %10s\n' IMAGE DIGEST LAYERS COMPRESSED BYTES PUSHED
for row in "${rows[@]}"; do
  IFS='|' read -r svc digest layers size <<<"$row"
  pushed=$(jq -r --arg s "$svc" '.[] | select(.service == $s) | .pushedBytes // "-"' "$OUT/images.json")
  printf '%-32s %-71s %6s %10s %12s %10s\n' "$svc:$VERSION" "$digest" "$layers" "$(human "$size")" "$size" "$([ "$pushed" = - ] && echo - || human "$pushed")"
done
echo
say "digests written to ${OUT#"$BERTH_ROOT"/}/digests.txt, sizes and bytes pushed to ${OUT#"$BERTH_ROOT"/}/images.json"
