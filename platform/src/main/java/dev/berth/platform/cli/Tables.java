package dev.berth.platform.cli;

import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** kubectl-shaped tables for {@code berth get}. Pure. */
final class Tables {

    /** Annotation the core puts on a Service: the 127.0.0.1 port its proxy listens on. */
    static final String LOCAL_PORT_ANNOTATION = "berth.dev/local-port";

    private Tables() {}

    static String render(ResourceKind kind, List<? extends HasMetadata> items, boolean wide, boolean allNamespaces, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(header(kind, wide));
        if (allNamespaces && kind.namespaced()) {
            header.add(0, "NAMESPACE");
        }
        rows.add(header);
        for (HasMetadata o : items) {
            List<String> row = new ArrayList<>(row(kind, o, wide, now));
            if (allNamespaces && kind.namespaced()) {
                row.add(0, o.getMetadata().getNamespace());
            }
            rows.add(row);
        }
        return format(rows);
    }

    static String format(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** kubectl's TARGETS column: current/target per metric ({@code cpu: 45%/50%}, {@code 12.5/5}). */
    static String hpaTargets(HorizontalPodAutoscaler hpa) {
        List<String> out = new ArrayList<>();
        var specs = hpa.getSpec().getMetrics() == null ? List.<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec>of() : hpa.getSpec().getMetrics();
        var current = hpa.getStatus() == null || hpa.getStatus().getCurrentMetrics() == null
                ? List.<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus>of() : hpa.getStatus().getCurrentMetrics();
        for (var spec : specs) {
            if (spec.getResource() != null && spec.getResource().getTarget() != null) {
                String now = current.stream().filter(m -> m.getResource() != null && m.getResource().getName().equals(spec.getResource().getName()))
                        .map(m -> m.getResource().getCurrent().getAverageUtilization() + "%").findFirst().orElse("<unknown>");
                out.add(spec.getResource().getName() + ": " + now + "/" + spec.getResource().getTarget().getAverageUtilization() + "%");
            } else if (spec.getPods() != null && spec.getPods().getTarget() != null) {
                String now = current.stream().filter(m -> m.getPods() != null && m.getPods().getMetric().getName().equals(spec.getPods().getMetric().getName()))
                        .map(m -> m.getPods().getCurrent().getAverageValue().toString()).findFirst().orElse("<unknown>");
                out.add(now + "/" + spec.getPods().getTarget().getAverageValue());
            } else {
                out.add("<unknown>/" + spec.getType());
            }
        }
        return out.isEmpty() ? "<none>" : String.join(", ", out);
    }

    private static List<String> header(ResourceKind kind, boolean wide) {
        return switch (kind) {
            case POD -> wide ? List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE") : List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE");
            case DEPLOYMENT -> List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
            case REPLICASET -> List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE");
            case STATEFULSET -> List.of("NAME", "READY", "AGE");
            case SERVICE -> List.of("NAME", "TYPE", "CLUSTER-IP", "PORT(S)", "LOCAL", "AGE");
            case NODE -> wide ? List.of("NAME", "STATUS", "ZONE", "CPU", "MEMORY", "PODS", "AGE") : List.of("NAME", "STATUS", "ZONE", "AGE");
            case ENDPOINTS -> List.of("NAME", "ENDPOINTS", "AGE");
            case EVENT -> List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
            case CONFIGMAP -> List.of("NAME", "DATA", "AGE");
            case SECRET -> List.of("NAME", "TYPE", "DATA", "AGE");
            case HORIZONTAL_POD_AUTOSCALER -> List.of("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");
            default -> List.of("NAME", "AGE");
        };
    }

    private static List<String> row(ResourceKind kind, HasMetadata o, boolean wide, Instant now) {
        String name = o.getMetadata().getName();
        String age = age(o.getMetadata().getCreationTimestamp(), now);
        if (o instanceof Pod p) {
            List<ContainerStatus> cs = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of() : p.getStatus().getContainerStatuses();
            long ready = cs.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
            int restarts = cs.stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
            List<String> row = new ArrayList<>(List.of(name, ready + "/" + p.getSpec().getContainers().size(), podStatus(p), Integer.toString(restarts), age));
            if (wide) {
                var ports = HostPorts.of(p).values();
                row.add(ports.isEmpty() ? "<none>" : "127.0.0.1:" + ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
                row.add(p.getSpec().getNodeName() == null ? "<none>" : p.getSpec().getNodeName());
            }
            return row;
        }
        if (o instanceof Deployment d) {
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            var s = d.getStatus();
            return List.of(name, n(s == null ? null : s.getReadyReplicas()) + "/" + desired, Integer.toString(n(s == null ? null : s.getUpdatedReplicas())),
                    Integer.toString(n(s == null ? null : s.getAvailableReplicas())), age);
        }
        if (o instanceof ReplicaSet rs) {
            var s = rs.getStatus();
            return List.of(name, Integer.toString(n(rs.getSpec().getReplicas())), Integer.toString(n(s == null ? null : s.getReplicas())),
                    Integer.toString(n(s == null ? null : s.getReadyReplicas())), age);
        }
        if (o instanceof HorizontalPodAutoscaler hpa) {
            var ref = hpa.getSpec().getScaleTargetRef();
            return List.of(name, ref.getKind() + "/" + ref.getName(), hpaTargets(hpa),
                    Integer.toString(hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas()),
                    Integer.toString(hpa.getSpec().getMaxReplicas()), Integer.toString(hpa.getStatus() == null ? 0 : n(hpa.getStatus().getCurrentReplicas())), age);
        }
        if (o instanceof StatefulSet ss) {
            var s = ss.getStatus();
            return List.of(name, n(s == null ? null : s.getReadyReplicas()) + "/" + n(ss.getSpec().getReplicas()), age);
        }
        if (o instanceof Service svc) {
            String ports = svc.getSpec().getPorts().stream().map(p -> p.getPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol()))
                    .collect(Collectors.joining(","));
            String local = svc.getMetadata().getAnnotations() == null ? null : svc.getMetadata().getAnnotations().get(LOCAL_PORT_ANNOTATION);
            String clusterIp = "None".equals(svc.getSpec().getClusterIP()) ? "None" : "127.0.0.1";
            return List.of(name, svc.getSpec().getType() == null ? "ClusterIP" : svc.getSpec().getType(), clusterIp, ports,
                    local == null ? "<none>" : "127.0.0.1:" + local, age);
        }
        if (o instanceof Node node) {
            boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            String status = (ready ? "Ready" : "NotReady") + (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) ? ",SchedulingDisabled" : "");
            String zone = node.getMetadata().getLabels() == null ? "" : node.getMetadata().getLabels().getOrDefault("topology.kubernetes.io/zone", "");
            if (wide) {
                var cap = node.getStatus().getCapacity();
                return List.of(name, status, zone, String.valueOf(cap.get("cpu")), String.valueOf(cap.get("memory")), String.valueOf(cap.get("pods")), age);
            }
            return List.of(name, status, zone, age);
        }
        if (o instanceof Endpoints ep) {
            List<String> addresses = new ArrayList<>();
            for (EndpointSubset s : ep.getSubsets() == null ? List.<EndpointSubset>of() : ep.getSubsets()) {
                if (s.getAddresses() != null) {
                    s.getAddresses().forEach(a -> s.getPorts().forEach(p -> addresses.add(a.getIp() + ":" + p.getPort())));
                }
            }
            return List.of(name, addresses.isEmpty() ? "<none>" : String.join(",", addresses), age);
        }
        if (o instanceof Event e) {
            String object = e.getInvolvedObject().getKind().toLowerCase(java.util.Locale.ROOT) + "/" + e.getInvolvedObject().getName();
            String count = e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "";
            return List.of(age(e.getLastTimestamp(), now), e.getType(), e.getReason(), object, e.getMessage() + count);
        }
        if (o instanceof ConfigMap cm) {
            return List.of(name, Integer.toString(cm.getData() == null ? 0 : cm.getData().size()), age);
        }
        if (o instanceof Secret s) {
            return List.of(name, s.getType() == null ? "Opaque" : s.getType(), Integer.toString(s.getData() == null ? 0 : s.getData().size()), age);
        }
        if (o instanceof Namespace) {
            return List.of(name, age);
        }
        return List.of(name, age);
    }

    /** The STATUS column as kubectl computes it: a waiting reason beats the phase; Terminating beats both. */
    static String podStatus(Pod p) {
        if (PodStatuses.isTerminating(p)) {
            return "Terminating";
        }
        if (p.getStatus() != null && p.getStatus().getReason() != null && PodStatuses.isFinished(p)) {
            return p.getStatus().getReason();
        }
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
                if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
                    return c.getState().getWaiting().getReason();
                }
            }
        }
        return PodStatuses.phase(p);
    }

    static String age(String timestamp, Instant now) {
        if (timestamp == null) {
            return "<unknown>";
        }
        Duration d = Duration.between(Instant.parse(timestamp), now);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d" + (d.toDays() < 10 && d.toHoursPart() > 0 ? d.toHoursPart() + "h" : "");
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h" + (d.toHours() < 10 && d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "");
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m" + (d.toMinutes() < 10 && d.toSecondsPart() > 0 ? d.toSecondsPart() + "s" : "");
        }
        return d.toSeconds() + "s";
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
