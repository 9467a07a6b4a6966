package dev.berth.platform.cli;

import dev.berth.platform.model.HostPorts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code berth describe}: kubectl's layout — the object's main facts, then its Events, where a Pending pod says
 * why ({@code FailedScheduling … 0/3 nodes are available: …}). Pure.
 */
final class Describe {

    private Describe() {}

    static String render(HasMetadata o, List<Event> events, KubernetesSerialization json, Instant now) {
        StringBuilder out = new StringBuilder();
        line(out, "Name", o.getMetadata().getName());
        if (o.getMetadata().getNamespace() != null) {
            line(out, "Namespace", o.getMetadata().getNamespace());
        }
        line(out, "Labels", map(o.getMetadata().getLabels()));
        line(out, "Annotations", map(o.getMetadata().getAnnotations()));
        line(out, "Created", o.getMetadata().getCreationTimestamp());
        if (o instanceof Pod p) {
            pod(out, p);
        } else if (o instanceof Deployment d) {
            var s = d.getStatus();
            line(out, "Replicas", (d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()) + " desired | "
                    + (s == null ? 0 : nz(s.getUpdatedReplicas())) + " updated | " + (s == null ? 0 : nz(s.getReplicas())) + " total | "
                    + (s == null ? 0 : nz(s.getAvailableReplicas())) + " available | " + (s == null ? 0 : nz(s.getUnavailableReplicas())) + " unavailable");
            line(out, "StrategyType", d.getSpec().getStrategy() == null ? "RollingUpdate" : d.getSpec().getStrategy().getType());
            line(out, "Selector", d.getSpec().getSelector() == null ? "" : map(d.getSpec().getSelector().getMatchLabels()));
            containers(out, d.getSpec().getTemplate().getSpec().getContainers());
            if (s != null && s.getConditions() != null && !s.getConditions().isEmpty()) {
                // kubectl's Conditions table, with Berth's Degraded and the messages that say why
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("  Type", "Status", "Reason", "Message"));
                s.getConditions().forEach(c -> rows.add(List.of("  " + c.getType(), c.getStatus(), String.valueOf(c.getReason()),
                        c.getMessage() == null ? "" : c.getMessage())));
                out.append("Conditions:\n").append(Tables.format(rows));
            }
        } else if (o instanceof StatefulSet s) {
            line(out, "Replicas", nz(s.getSpec().getReplicas()) + " desired | " + (s.getStatus() == null ? 0 : nz(s.getStatus().getReadyReplicas())) + " ready");
            line(out, "Service", s.getSpec().getServiceName());
            containers(out, s.getSpec().getTemplate().getSpec().getContainers());
        } else {
            out.append("Spec:\n");
            for (String l : json.asYaml(o).split("\n")) {
                out.append("  ").append(l).append('\n');
            }
        }
        out.append("Events:");
        if (events.isEmpty()) {
            out.append("  <none>\n");
        } else {
            out.append('\n');
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("  Type", "Reason", "Age", "From", "Message"));
            events.stream().sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp()))).forEach(e -> rows.add(List.of(
                    "  " + e.getType(), e.getReason(),
                    Tables.age(e.getLastTimestamp(), now) + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : ""),
                    e.getSource() == null || e.getSource().getComponent() == null ? "" : e.getSource().getComponent(), e.getMessage())));
            out.append(Tables.format(rows));
        }
        return out.toString();
    }

    private static void pod(StringBuilder out, Pod p) {
        line(out, "Node", p.getSpec().getNodeName() == null ? "<none>" : p.getSpec().getNodeName());
        line(out, "Status", Tables.podStatus(p));
        if (p.getStatus() != null && p.getStatus().getMessage() != null) {
            line(out, "Message", p.getStatus().getMessage());
        }
        Map<Integer, Integer> ports = HostPorts.of(p);
        line(out, "IP", ports.isEmpty() ? "<none>" : "127.0.0.1");
        p.getMetadata().getOwnerReferences().stream().findFirst().ifPresent(r -> line(out, "Controlled By", r.getKind() + "/" + r.getName()));
        out.append("Containers:\n");
        for (Container c : p.getSpec().getContainers()) {
            ContainerStatus cs = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? null
                    : p.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(c.getName())).findFirst().orElse(null);
            out.append("  ").append(c.getName()).append(":\n");
            sub(out, "Image", c.getImage());
            if (cs != null && cs.getImageID() != null) {
                sub(out, "Image ID", cs.getImageID());
            }
            if (cs != null && cs.getContainerID() != null) {
                sub(out, "Container ID", cs.getContainerID());
            }
            if (c.getPorts() != null) {
                sub(out, "Ports", c.getPorts().stream().map(x -> x.getContainerPort() + "/TCP"
                        + (ports.containsKey(x.getContainerPort()) ? " → 127.0.0.1:" + ports.get(x.getContainerPort()) : "")).collect(Collectors.joining(", ")));
            }
            if (cs != null) {
                sub(out, "State", state(cs));
                if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
                    var t = cs.getLastState().getTerminated();
                    sub(out, "Last State", "Terminated (" + t.getReason() + ", exit code " + t.getExitCode() + ", finished " + t.getFinishedAt() + ")");
                }
                sub(out, "Ready", String.valueOf(Boolean.TRUE.equals(cs.getReady())));
                sub(out, "Restart Count", String.valueOf(nz(cs.getRestartCount())));
            }
            resourcesAndProbes(out, c);
        }
        if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            out.append("Conditions:\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("  Type", "Status", "Reason"));
            for (PodCondition c : p.getStatus().getConditions()) {
                rows.add(List.of("  " + c.getType(), c.getStatus(), c.getReason() == null ? "" : c.getReason()));
            }
            out.append(Tables.format(rows));
        }
    }

    private static void containers(StringBuilder out, List<Container> containers) {
        out.append("Pod Template:\n");
        for (Container c : containers) {
            out.append("  ").append(c.getName()).append(":\n");
            sub(out, "Image", c.getImage());
            resourcesAndProbes(out, c);
        }
    }

    private static void resourcesAndProbes(StringBuilder out, Container c) {
        if (c.getResources() != null) {
            if (c.getResources().getLimits() != null && !c.getResources().getLimits().isEmpty()) {
                sub(out, "Limits", c.getResources().getLimits().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
            }
            if (c.getResources().getRequests() != null && !c.getResources().getRequests().isEmpty()) {
                sub(out, "Requests", c.getResources().getRequests().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
            }
        }
        probe(out, "Startup", c.getStartupProbe());
        probe(out, "Liveness", c.getLivenessProbe());
        probe(out, "Readiness", c.getReadinessProbe());
    }

    private static void probe(StringBuilder out, String name, Probe p) {
        if (p == null) {
            return;
        }
        String target = p.getHttpGet() != null ? "http-get :" + port(p.getHttpGet().getPort()) + p.getHttpGet().getPath()
                : p.getTcpSocket() != null ? "tcp-socket :" + port(p.getTcpSocket().getPort()) : p.getExec() != null ? "exec " + p.getExec().getCommand() : "?";
        sub(out, name, target + " delay=" + nz(p.getInitialDelaySeconds()) + "s timeout=" + (p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds())
                + "s period=" + (p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds()) + "s #success=" + (p.getSuccessThreshold() == null ? 1 : p.getSuccessThreshold())
                + " #failure=" + (p.getFailureThreshold() == null ? 3 : p.getFailureThreshold()));
    }

    private static String port(io.fabric8.kubernetes.api.model.IntOrString port) {
        return port == null ? "" : port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }

    private static String state(ContainerStatus cs) {
        if (cs.getState() == null) {
            return "Unknown";
        }
        if (cs.getState().getRunning() != null) {
            return "Running (since " + cs.getState().getRunning().getStartedAt() + ")";
        }
        if (cs.getState().getWaiting() != null) {
            var w = cs.getState().getWaiting();
            return "Waiting (" + w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage()) + ")";
        }
        var t = cs.getState().getTerminated();
        return "Terminated (" + t.getReason() + ", exit code " + t.getExitCode() + ")";
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-14s %s%n", key + ":", value == null || value.isEmpty() ? "<none>" : value));
    }

    private static void sub(StringBuilder out, String key, String value) {
        out.append(String.format("    %-14s %s%n", key + ":", value == null ? "<none>" : value));
    }

    private static String map(Map<String, String> m) {
        return m == null || m.isEmpty() ? "<none>" : m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

}
