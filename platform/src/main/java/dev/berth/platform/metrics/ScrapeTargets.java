package dev.berth.platform.metrics;

import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.PodStatuses;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus HTTP service discovery ({@code http_sd_configs}) of the local engine: one target group per Ready
 * replica that asks to be scraped the Kubernetes way ({@code prometheus.io/scrape: "true"}, {@code /path},
 * {@code /port}, {@code /scheme} annotations), at the host port its metrics port was given, labelled with
 * namespace, service, replica, node, zone and revision; plus the core itself. What kubernetes_sd with the usual
 * relabelling yields on a cluster, so dashboards and rules work on both. Pure.
 */
public final class ScrapeTargets {

    public static final String SCRAPE = "prometheus.io/scrape";
    public static final String PATH = "prometheus.io/path";
    public static final String PORT = "prometheus.io/port";
    public static final String SCHEME = "prometheus.io/scheme";

    private ScrapeTargets() {}

    /** One {@code http_sd} target group: {@code {"targets": ["host:port"], "labels": {...}}}. */
    public record TargetGroup(List<String> targets, Map<String, String> labels) {}

    /**
     * @param corePort the core's own HTTP port (its metrics at {@code /q/metrics})
     * @param replicaSets the ReplicaSets owning the pods (for the revision number); others are ignored
     */
    public static List<TargetGroup> of(List<Pod> pods, List<Node> nodes, List<ReplicaSet> replicaSets, int corePort) {
        List<TargetGroup> groups = new ArrayList<>();
        Map<String, String> core = new LinkedHashMap<>();
        core.put("__metrics_path__", "/q/metrics");
        core.put("job", "berth-core");
        groups.add(new TargetGroup(List.of("127.0.0.1:" + corePort), core));
        for (Pod p : pods) {
            Map<String, String> a = p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
            if (!"true".equals(a.get(SCRAPE)) || !PodStatuses.isReady(p) || PodStatuses.isTerminating(p)) {
                continue;
            }
            Optional<Integer> hostPort = metricsPort(p, a.get(PORT));
            if (hostPort.isEmpty()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("__metrics_path__", a.getOrDefault(PATH, "/metrics"));
            labels.put("__scheme__", a.getOrDefault(SCHEME, "http"));
            labels.put("job", "berth-replicas");
            labels.put("namespace", p.getMetadata().getNamespace());
            labels.put("service", service(p));
            labels.put("replica", p.getMetadata().getName());
            labels.put("node", p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName());
            labels.put("zone", zone(nodes, p.getSpec().getNodeName()));
            labels.put("revision", revision(p, replicaSets));
            groups.add(new TargetGroup(List.of("127.0.0.1:" + hostPort.get()), labels));
        }
        return groups;
    }

    /** The host port of the annotated container port, or of the pod's only port when the annotation names none. */
    private static Optional<Integer> metricsPort(Pod p, String annotated) {
        Map<Integer, Integer> ports = HostPorts.of(p);
        if (annotated != null) {
            try {
                return Optional.ofNullable(ports.get(Integer.parseInt(annotated.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return ports.size() == 1 ? Optional.of(ports.values().iterator().next()) : Optional.empty();
    }

    /** The service a replica belongs to: its app.kubernetes.io/name or app label, else its own name. */
    public static String service(Pod p) {
        Map<String, String> l = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        return l.getOrDefault("app.kubernetes.io/name", l.getOrDefault("app", p.getMetadata().getName()));
    }

    /** The topology.kubernetes.io/zone of the named node ("" when unknown). */
    public static String zone(List<Node> nodes, String node) {
        return nodes.stream().filter(n -> n.getMetadata().getName().equals(node)).findFirst()
                .map(n -> n.getMetadata().getLabels() == null ? "" : n.getMetadata().getLabels().getOrDefault("topology.kubernetes.io/zone", ""))
                .orElse("");
    }

    /** The owning ReplicaSet's revision number; a StatefulSet's pod has none ("" ). */
    public static String revision(Pod p, List<ReplicaSet> replicaSets) {
        return Owners.controllerOf(p).filter(ref -> "ReplicaSet".equals(ref.getKind()))
                .flatMap(ref -> replicaSets.stream().filter(rs -> rs.getMetadata().getName().equals(ref.getName())
                        && rs.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())).findFirst())
                .map(rs -> rs.getMetadata().getAnnotations() == null ? "" : rs.getMetadata().getAnnotations().getOrDefault("deployment.kubernetes.io/revision", ""))
                .orElse("");
    }
}
