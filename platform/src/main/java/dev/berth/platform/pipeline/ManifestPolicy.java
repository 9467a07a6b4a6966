package dev.berth.platform.pipeline;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pipeline's {@code validate} stage: what a workload must declare before Berth deploys it. Every container of
 * every Deployment and StatefulSet needs readiness and liveness probes, cpu and memory requests and a memory limit,
 * to run as non-root (pod or container {@code runAsNonRoot: true}, or a non-zero {@code runAsUser}), and an image
 * pinned by digest ({@code repo@sha256:…}, never {@code :latest} or another tag); a selector must not match on a
 * version label, or the next version could never be selected by it. Each violation names the object and the path
 * of the field. Pure and thread-safe.
 */
public final class ManifestPolicy {

    /** @param object {@code Kind/namespace/name}; @param path the offending field, as in {@code kubectl explain} */
    public record Violation(String object, String path, String message) {
        @Override
        public String toString() {
            return object + ": " + path + ": " + message;
        }
    }

    static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
    static final Set<String> VERSION_LABELS = Set.of("version", "app.kubernetes.io/version", "helm.sh/chart");

    private ManifestPolicy() {}

    public static List<Violation> check(List<HasMetadata> objects) {
        List<Violation> violations = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
                check(name(o), d.getSpec().getSelector(), d.getSpec().getTemplate().getSpec(), violations);
            } else if (o instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getTemplate() != null) {
                check(name(o), s.getSpec().getSelector(), s.getSpec().getTemplate().getSpec(), violations);
            }
        }
        return violations;
    }

    /** The pod template's spec of a Deployment or StatefulSet; null for other kinds. */
    static PodSpec podSpec(HasMetadata o) {
        if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getTemplate() != null) {
            return s.getSpec().getTemplate().getSpec();
        }
        return null;
    }

    private static void check(String object, LabelSelector selector, PodSpec pod, List<Violation> out) {
        Map<String, String> match = selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        match.keySet().stream().filter(VERSION_LABELS::contains).sorted().forEach(k -> out.add(new Violation(object,
                "spec.selector.matchLabels." + k, "a version label in the selector: the next version's pods would not match it")));
        if (pod == null || pod.getContainers() == null || pod.getContainers().isEmpty()) {
            out.add(new Violation(object, "spec.template.spec.containers", "no containers"));
            return;
        }
        boolean podNonRoot = nonRoot(pod.getSecurityContext());
        for (int i = 0; i < pod.getContainers().size(); i++) {
            Container c = pod.getContainers().get(i);
            String path = "spec.template.spec.containers[" + i + "]";
            String named = " (container " + c.getName() + ")";
            if (c.getReadinessProbe() == null) {
                out.add(new Violation(object, path + ".readinessProbe", "missing" + named + ": traffic would reach it before it is ready"));
            }
            if (c.getLivenessProbe() == null) {
                out.add(new Violation(object, path + ".livenessProbe", "missing" + named + ": a hung replica would never be restarted"));
            }
            ResourceRequirements r = c.getResources();
            requireQuantity(object, path + ".resources.requests.cpu", r == null ? null : r.getRequests(), "cpu", named, out);
            requireQuantity(object, path + ".resources.requests.memory", r == null ? null : r.getRequests(), "memory", named, out);
            requireQuantity(object, path + ".resources.limits.memory", r == null ? null : r.getLimits(), "memory", named, out);
            if (!podNonRoot && !nonRoot(c.getSecurityContext())) {
                out.add(new Violation(object, path + ".securityContext.runAsNonRoot",
                        "not set" + named + ": set runAsNonRoot: true (or a non-zero runAsUser) on the container or the pod"));
            }
            String image = c.getImage();
            if (image == null || image.isBlank()) {
                out.add(new Violation(object, path + ".image", "missing" + named));
            } else if (!DIGEST.matcher(image).matches()) {
                out.add(new Violation(object, path + ".image", "\"" + image + "\" is not pinned by digest" + named
                        + (image.endsWith(":latest") ? " (:latest moves)" : "") + ": deploy repo@sha256:<digest>, the artifact that was built and tested"));
            }
        }
    }

    private static void requireQuantity(String object, String path, Map<String, Quantity> values, String key, String named, List<Violation> out) {
        Quantity q = values == null ? null : values.get(key);
        if (q == null || q.getAmount() == null || q.getAmount().isBlank()) {
            out.add(new Violation(object, path, "missing" + named));
        }
    }

    private static boolean nonRoot(PodSecurityContext s) {
        return s != null && (Boolean.TRUE.equals(s.getRunAsNonRoot()) || s.getRunAsUser() != null && s.getRunAsUser() > 0);
    }

    private static boolean nonRoot(SecurityContext s) {
        return s != null && (Boolean.TRUE.equals(s.getRunAsNonRoot()) || s.getRunAsUser() != null && s.getRunAsUser() > 0);
    }

    private static String name(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + "/" + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
    }
}
