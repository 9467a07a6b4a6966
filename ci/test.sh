#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need (idempotently, on a fresh Debian/Ubuntu
# machine), then runs every check Berth has:
#   1. both service images built with Jib, pushed to the local registry and inspected (layers, OCI labels,
#      non-root user) — first, because the core's integration tests run them;
#   2. ./mvnw verify — unit, service, resource, *IT and system tests against real PostgreSQL, the real registry,
#      real processes and sockets;
#   3. both kustomize overlays rendered and checked;
#   4. live /q/metrics of both services linted by promtool;
#   5. the GitHub Actions workflows linted by actionlint.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
started=$SECONDS

ci/bootstrap.sh
ci/postgres.sh --reset-test
ci/registry.sh start
BERTH_GIT_REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
export BERTH_GIT_REVISION

say "1/5 images (Jib) and their checks"
ci/images.sh
say "2/5 ./mvnw verify"
./mvnw -B verify
say "3/5 kustomize overlays"
k8s/check.sh
say "4/5 promtool check metrics on live scrapes"
ci/metrics-check.sh
say "5/5 actionlint"
ci/lint-workflows.sh

say "all checks passed in $((SECONDS - started)) s"
