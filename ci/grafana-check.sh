#!/usr/bin/env bash
# Checks the Grafana dashboards (observability/grafana/dashboards/*.json, or the files given as arguments) against
# Grafana's published schema types (npm @grafana/schema, via tsc), the structural rules the types cannot express,
# and promtool's PromQL parser. The pinned npm packages are installed into observability/grafana/check/node_modules
# from its package-lock.json when missing or out of date (npm's cache makes repeat installs offline).
source "$(dirname "$0")/lib.sh"

check="$BERTH_ROOT/observability/grafana/check"
command -v npm >/dev/null || apt_install nodejs npm
command -v promtool >/dev/null || apt_install prometheus

if [ ! -f "$check/node_modules/.package-lock.json" ] || [ "$check/package-lock.json" -nt "$check/node_modules/.package-lock.json" ]; then
  say "installing the dashboard check's npm packages (@grafana/schema, typescript)"
  (cd "$check" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
fi

files=()
for f in "$@"; do files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done
cd "$check"
node check-dashboards.mjs "${files[@]}"
