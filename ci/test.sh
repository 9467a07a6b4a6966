#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need (idempotently, on a fresh Debian/Ubuntu
# machine), then runs every check Berth has:
#   1. both service images built with Jib, pushed to the local registry and inspected (layers, OCI labels,
#      non-root user) — first, because the core's integration tests run them;
#   2. ./mvnw verify — unit, service, resource, *IT and system tests against real PostgreSQL, the real registry,
#      real processes and sockets;
#   3. both kustomize overlays rendered and checked;
#   4. the observability files: Prometheus config, rules and rule unit tests (promtool), the Kubernetes variant,
#      the Grafana dashboards (@grafana/schema types, structure, PromQL syntax);
#   5. live /q/metrics of both services linted by promtool;
#   6. the GitHub Actions workflows linted by actionlint;
#   7. `berth pipeline run --from image` end to end on the local engine, then again with nothing changed (image and
#      deploy skipped, per the report).
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
started=$SECONDS

ci/bootstrap.sh
ci/postgres.sh --reset-test
ci/registry.sh start
ci/elasticsearch.sh install # the log-shipping tests start their own Elasticsearch nodes from it
BERTH_GIT_REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
export BERTH_GIT_REVISION

say "1/7 images (Jib) and their checks"
ci/images.sh
say "2/7 ./mvnw verify"
./mvnw -B verify
say "3/7 kustomize overlays"
k8s/check.sh
say "4/7 observability files"
ci/observability-check.sh
ci/grafana-check.sh
say "5/7 promtool check metrics on live scrapes"
ci/metrics-check.sh
say "6/7 actionlint"
ci/lint-workflows.sh
say "7/7 berth pipeline run, end to end"
ci/pipeline-e2e.sh

say "all checks passed in $((SECONDS - started)) s"
