package dev.berth.platform.api.manifest;

import dev.berth.platform.controller.Canary;
import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.NameFormat;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what Kubernetes' API server would refuse, plus Berth's own limits on absurd sizes, before anything is
 * stored. Every problem is reported with its path; nothing is changed when there is one. Pure; thread-safe.
 */
public final class ManifestValidator {

    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");
    private static final int MAX_OBJECT_BYTES = 1024 * 1024;

    private final Limits limits;

    /** Sizes above these are refused as absurd for one machine (and most clusters). */
    public record Limits(int maxReplicas, BigDecimal maxCpu, BigDecimal maxMemoryBytes, BigDecimal maxVolumeBytes) {
        public static Limits defaults() {
            return new Limits(100, new BigDecimal(64), new BigDecimal(256L << 30), new BigDecimal(1L << 40));
        }
    }

    public ManifestValidator(Limits limits) {
        this.limits = limits;
    }

    /** The default limits with the configured replica cap ({@code berth.limits.max-replicas}). */
    public static ManifestValidator withMaxReplicas(int maxReplicas) {
        var defaults = Limits.defaults();
        return new ManifestValidator(new Limits(maxReplicas, defaults.maxCpu(), defaults.maxMemoryBytes(), defaults.maxVolumeBytes()));
    }

    /**
     * Validates the documents of one file together, naming each field with its document
     * ({@code document[1].spec.replicas}) and refusing an object the file names twice.
     *
     * @throws ManifestException listing every problem of every document
     */
    public void validate(List<HasMetadata> objects) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            Violations v = new Violations("document[" + i + "].");
            check(o, v);
            if (o.getMetadata() != null) {
                String identity = o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
                v.require(seen.add(identity), "metadata.name", "appears twice in this request");
            }
            errors.addAll(v.errors());
        }
        if (!errors.isEmpty()) {
            throw new ManifestException(ManifestReader.summary(errors), errors);
        }
    }

    /**
     * Validates one object about to be written (every write of the Kubernetes API: create, update, patch, apply,
     * scale), with the same rules; the fields are named without a document prefix ({@code spec.replicas}).
     *
     * @throws ManifestException listing every problem
     */
    public void validateObject(HasMetadata o) {
        Violations v = new Violations("");
        check(o, v);
        if (!v.isEmpty()) {
            throw new ManifestException(ManifestReader.summary(v.errors()), v.errors());
        }
    }

    /**
     * The fields {@code o} has that its Kubernetes type does not, by path ({@code spec.replica}); with {@code drop}
     * they are removed from {@code o} — what the API does under {@code fieldValidation=Warn|Ignore}.
     */
    public static List<String> unknownFields(HasMetadata o, boolean drop) {
        return ObjectFields.unknown(o, drop);
    }

    void check(HasMetadata o, Violations v) {
        metadata(o, v);
        ObjectFields.report(o, v);
        if (o.getMetadata() == null) {
            return; // reported; the kind's rules read metadata (annotations, names)
        }
        if (o instanceof Deployment d) {
            deployment(d, v);
        } else if (o instanceof StatefulSet s) {
            statefulSet(s, v);
        } else if (o instanceof Service s) {
            service(s, v);
        } else if (o instanceof ConfigMap c) {
            configMap(c, v);
        } else if (o instanceof Secret s) {
            secret(s, v);
        } else if (o instanceof HorizontalPodAutoscaler h) {
            autoscaler(h, v);
        }
    }

    private void metadata(HasMetadata o, Violations v) {
        var meta = o.getMetadata();
        if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
            v.add("metadata.name", "is required");
            return;
        }
        ObjectNames.problem(o, limits.maxReplicas()).ifPresent(p -> v.add("metadata.name", p));
        if (meta.getNamespace() != null) {
            NameFormat.DNS1123_LABEL.problem(meta.getNamespace()).ifPresent(p -> v.add("metadata.namespace", p));
        }
        labels(meta.getLabels(), "metadata.labels", v);
        hostPorts(meta.getAnnotations(), "metadata.annotations", v);
    }

    /** The kubelet's host-port annotation, pinned by a manifest: only in the range {@link HostPorts} documents. */
    private static void hostPorts(Map<String, String> annotations, String path, Violations v) {
        if (annotations != null && annotations.containsKey(HostPorts.ANNOTATION)) {
            HostPorts.problems(annotations.get(HostPorts.ANNOTATION)).forEach(p -> v.add(path + "." + HostPorts.ANNOTATION, p));
        }
    }

    private static void labels(Map<String, String> labels, String path, Violations v) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, val) -> {
            if (k.length() > 316 || !LABEL_KEY.matcher(k).matches()) {
                v.add(path + "." + k, "is not a valid label key");
            }
            if (val == null || val.length() > 63 || !LABEL_VALUE.matcher(val).matches()) {
                v.add(path + "." + k, "value must be 63 characters at most: letters, digits, '-', '_' or '.'");
            }
        });
    }

    private void deployment(Deployment d, Violations v) {
        if (d.getSpec() == null) {
            v.add("spec", "is required");
            return;
        }
        replicas(d.getSpec().getReplicas(), v);
        selectorAndTemplate(d.getSpec().getSelector(), d.getSpec().getTemplate(), v);
        strategy(d.getSpec().getStrategy(), v);
        nonNegative(d.getSpec().getMinReadySeconds(), "spec.minReadySeconds", v);
        if (d.getSpec().getProgressDeadlineSeconds() != null) {
            v.require(d.getSpec().getProgressDeadlineSeconds() > 0, "spec.progressDeadlineSeconds", "must be greater than 0");
        }
        nonNegative(d.getSpec().getRevisionHistoryLimit(), "spec.revisionHistoryLimit", v);
        Canary.problems(d.getMetadata().getAnnotations()).forEach((key, message) -> v.add("metadata.annotations." + key, message));
    }

    private void statefulSet(StatefulSet s, Violations v) {
        if (s.getSpec() == null) {
            v.add("spec", "is required");
            return;
        }
        replicas(s.getSpec().getReplicas(), v);
        v.require(s.getSpec().getServiceName() != null && !s.getSpec().getServiceName().isBlank(), "spec.serviceName", "is required");
        selectorAndTemplate(s.getSpec().getSelector(), s.getSpec().getTemplate(), v);
        List<PersistentVolumeClaim> claims = s.getSpec().getVolumeClaimTemplates() == null ? List.of() : s.getSpec().getVolumeClaimTemplates();
        for (int i = 0; i < claims.size(); i++) {
            String path = "spec.volumeClaimTemplates[" + i + "]";
            PersistentVolumeClaim c = claims.get(i);
            if (c == null) {
                continue; // reported by ObjectFields
            }
            v.require(c.getMetadata() != null && c.getMetadata().getName() != null && isLabel(c.getMetadata().getName()), path + ".metadata.name", "must be a DNS label");
            Quantity storage = c.getSpec() == null || c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null
                    ? null : c.getSpec().getResources().getRequests().get("storage");
            if (storage == null) {
                v.add(path + ".spec.resources.requests.storage", "is required");
            } else {
                BigDecimal bytes = amount(storage, path + ".spec.resources.requests.storage", v);
                if (bytes != null && (bytes.signum() <= 0 || bytes.compareTo(limits.maxVolumeBytes()) > 0)) {
                    v.add(path + ".spec.resources.requests.storage", "must be between 1 byte and 1Ti");
                }
            }
        }
    }

    private void replicas(Integer replicas, Violations v) {
        if (replicas != null && (replicas < 0 || replicas > limits.maxReplicas())) {
            v.add("spec.replicas", "must be between 0 and " + limits.maxReplicas());
        }
    }

    private void selectorAndTemplate(LabelSelector selector, PodTemplateSpec template, Violations v) {
        boolean emptySelector = selector == null
                || (isEmpty(selector.getMatchLabels()) && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
        if (emptySelector) {
            v.add("spec.selector", "is required and must not be empty");
        }
        if (template == null || template.getSpec() == null) {
            v.add("spec.template.spec", "is required");
            return;
        }
        Map<String, String> labels = template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels();
        if (!emptySelector && selectorIsValid(selector, v) && !Labels.matches(selector, labels)) {
            v.add("spec.selector", "does not match the labels of spec.template.metadata.labels");
        }
        if (template.getMetadata() != null) {
            labels(template.getMetadata().getLabels(), "spec.template.metadata.labels", v);
            hostPorts(template.getMetadata().getAnnotations(), "spec.template.metadata.annotations", v);
        }
        List<Container> containers = template.getSpec().getContainers();
        if (containers == null || containers.isEmpty()) {
            v.add("spec.template.spec.containers", "must have at least one container");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) != null) { // a null is reported by ObjectFields
                container(containers.get(i), "spec.template.spec.containers[" + i + "]", names, v);
            }
        }
        if (template.getSpec().getTerminationGracePeriodSeconds() != null) {
            long grace = template.getSpec().getTerminationGracePeriodSeconds();
            v.require(grace >= 0 && grace <= 3600, "spec.template.spec.terminationGracePeriodSeconds", "must be between 0 and 3600");
        }
    }

    /**
     * Kubernetes' {@code ValidateLabelSelector}: label keys and values, an operator of In, NotIn (with values), Exists or
     * DoesNotExist (without). Reports into {@code v}; returns whether the selector can be evaluated.
     */
    private static boolean selectorIsValid(LabelSelector selector, Violations v) {
        int before = v.errors().size();
        labels(selector.getMatchLabels(), "spec.selector.matchLabels", v);
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement r = expressions.get(i);
            String path = "spec.selector.matchExpressions[" + i + "]";
            if (r == null) {
                continue; // reported by ObjectFields
            }
            v.require(r.getKey() != null && r.getKey().length() <= 316 && LABEL_KEY.matcher(r.getKey()).matches(), path + ".key", "is not a valid label key");
            boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
            if (r.getValues() != null && r.getValues().contains(null)) {
                v.add(path + ".values", "must not contain null");
            }
            switch (r.getOperator() == null ? "" : r.getOperator()) {
                case "In", "NotIn" -> v.require(hasValues, path + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                case "Exists", "DoesNotExist" -> v.require(!hasValues, path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                default -> v.add(path + ".operator", "must be In, NotIn, Exists or DoesNotExist");
            }
        }
        return v.errors().size() == before && !expressions.contains(null);
    }

    private void container(Container c, String path, Set<String> names, Violations v) {
        if (c.getName() == null || !isLabel(c.getName())) {
            v.add(path + ".name", "is required: a DNS label");
        } else {
            v.require(names.add(c.getName()), path + ".name", "is not unique in this pod");
        }
        v.require(c.getImage() != null && !c.getImage().isBlank(), path + ".image", "is required");
        Set<String> portNames = new HashSet<>();
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            if (p == null) {
                continue;
            }
            String pp = path + ".ports[" + i + "]";
            v.require(p.getContainerPort() != null && validPort(p.getContainerPort()), pp + ".containerPort", "must be between 1 and 65535");
            if (p.getHostPort() != null && p.getHostPort() != 0) { // 0 is unset, as upstream's validateContainerPorts has it
                v.require(validPort(p.getHostPort()), pp + ".hostPort", "must be between 1 and 65535");
            }
            if (p.getName() != null) {
                v.require(portNames.add(p.getName()), pp + ".name", "is not unique in this container");
            }
            if (p.getProtocol() != null) {
                v.require(Set.of("TCP", "UDP", "SCTP").contains(p.getProtocol()), pp + ".protocol", "must be TCP, UDP or SCTP");
            }
        }
        resources(c.getResources(), path + ".resources", v);
        List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
        for (int i = 0; i < env.size(); i++) {
            EnvVar e = env.get(i);
            if (e == null) {
                continue;
            }
            String ep = path + ".env[" + i + "]";
            v.require(e.getName() != null && ENV_NAME.matcher(e.getName()).matches(), ep + ".name", "must be a valid environment variable name");
            if (e.getValueFrom() != null) {
                var from = e.getValueFrom();
                if (from.getSecretKeyRef() != null) {
                    v.require(from.getSecretKeyRef().getName() != null && from.getSecretKeyRef().getKey() != null, ep + ".valueFrom.secretKeyRef", "needs name and key");
                    referencedName(from.getSecretKeyRef().getName(), ep + ".valueFrom.secretKeyRef.name", v);
                }
                if (from.getConfigMapKeyRef() != null) {
                    v.require(from.getConfigMapKeyRef().getName() != null && from.getConfigMapKeyRef().getKey() != null, ep + ".valueFrom.configMapKeyRef", "needs name and key");
                    referencedName(from.getConfigMapKeyRef().getName(), ep + ".valueFrom.configMapKeyRef.name", v);
                }
                v.require(e.getValue() == null, ep, "must not set both value and valueFrom");
            }
        }
        List<EnvFromSource> envFrom = c.getEnvFrom() == null ? List.of() : c.getEnvFrom();
        for (int i = 0; i < envFrom.size(); i++) {
            EnvFromSource e = envFrom.get(i);
            if (e == null) {
                continue;
            }
            String ep = path + ".envFrom[" + i + "]";
            if (e.getConfigMapRef() != null) {
                v.require(e.getConfigMapRef().getName() != null, ep + ".configMapRef.name", "is required");
                referencedName(e.getConfigMapRef().getName(), ep + ".configMapRef.name", v);
            }
            if (e.getSecretRef() != null) {
                v.require(e.getSecretRef().getName() != null, ep + ".secretRef.name", "is required");
                referencedName(e.getSecretRef().getName(), ep + ".secretRef.name", v);
            }
        }
        ProbeRules.probe(c.getStartupProbe(), path + ".startupProbe", portNames, true, v);
        ProbeRules.probe(c.getLivenessProbe(), path + ".livenessProbe", portNames, true, v);
        ProbeRules.probe(c.getReadinessProbe(), path + ".readinessProbe", portNames, false, v);
    }

    private void resources(ResourceRequirements r, String path, Violations v) {
        if (r == null) {
            return;
        }
        Map<String, BigDecimal> requests = quantities(r.getRequests(), path + ".requests", v);
        Map<String, BigDecimal> limitsMap = quantities(r.getLimits(), path + ".limits", v);
        requests.forEach((name, amount) -> {
            BigDecimal limit = limitsMap.get(name);
            if (limit != null && amount.compareTo(limit) > 0) {
                v.add(path + ".requests." + name, "must be less than or equal to the " + name + " limit");
            }
        });
    }

    private Map<String, BigDecimal> quantities(Map<String, Quantity> q, String path, Violations v) {
        Map<String, BigDecimal> out = new java.util.HashMap<>();
        if (q == null) {
            return out;
        }
        q.forEach((name, quantity) -> {
            String p = path + "." + name;
            if (quantity == null) {
                v.add(p, "must be a quantity (e.g. 250m, 1, 512Mi)");
                return;
            }
            BigDecimal amount = amount(quantity, p, v);
            if (amount == null) {
                return;
            }
            if (amount.signum() < 0) {
                v.add(p, "must not be negative");
            } else if (name.equals("cpu") && amount.compareTo(limits.maxCpu()) > 0) {
                v.add(p, "more than " + limits.maxCpu() + " CPUs is not a realistic size");
            } else if (name.equals("memory") && amount.compareTo(limits.maxMemoryBytes()) > 0) {
                v.add(p, "more than 256Gi of memory is not a realistic size");
            } else {
                out.put(name, amount);
            }
        });
        return out;
    }

    /** The quantity's value, or null when it is not one (those out of Kubernetes' range are reported by {@link ObjectFields}). */
    private static BigDecimal amount(Quantity q, String path, Violations v) {
        if (QuantityFormat.problem(q).isPresent()) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(q);
        } catch (RuntimeException e) {
            v.add(path, "'" + q + "' is not a quantity (e.g. 250m, 1, 512Mi)");
            return null;
        }
    }

    private static void strategy(DeploymentStrategy s, Violations v) {
        if (s == null || s.getType() == null) {
            return;
        }
        if (!Set.of("RollingUpdate", "Recreate").contains(s.getType())) {
            v.add("spec.strategy.type", "must be RollingUpdate or Recreate");
            return;
        }
        if (s.getRollingUpdate() == null) {
            return;
        }
        if (s.getType().equals("Recreate")) {
            v.add("spec.strategy.rollingUpdate", "may not be set when the strategy is Recreate");
            return;
        }
        boolean surgeZero = intOrPercentZero(s.getRollingUpdate().getMaxSurge(), "spec.strategy.rollingUpdate.maxSurge", v);
        boolean unavailableZero = intOrPercentZero(s.getRollingUpdate().getMaxUnavailable(), "spec.strategy.rollingUpdate.maxUnavailable", v);
        if (surgeZero && unavailableZero) {
            v.add("spec.strategy.rollingUpdate", "maxSurge and maxUnavailable may not both be 0");
        }
    }

    /** Validates an int-or-percentage; returns whether it is zero. Absent counts as non-zero (25% default). */
    private static boolean intOrPercentZero(IntOrString value, String path, Violations v) {
        if (value == null) {
            return false;
        }
        if (value.getIntVal() != null) {
            v.require(value.getIntVal() >= 0, path, "must not be negative");
            return value.getIntVal() == 0;
        }
        var m = PERCENT.matcher(value.getStrVal());
        if (!m.matches() || Integer.parseInt(m.group(1)) > 100) {
            v.add(path, "must be a whole number or a percentage between 0% and 100%");
            return false;
        }
        return Integer.parseInt(m.group(1)) == 0;
    }

    private static void service(Service s, Violations v) {
        if (s.getSpec() == null) {
            v.add("spec", "is required");
            return;
        }
        List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
        v.require(!ports.isEmpty(), "spec.ports", "must have at least one port");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            if (p == null) {
                continue;
            }
            String path = "spec.ports[" + i + "]";
            v.require(p.getPort() != null && validPort(p.getPort()), path + ".port", "must be between 1 and 65535");
            if (p.getTargetPort() != null && p.getTargetPort().getIntVal() != null) {
                v.require(validPort(p.getTargetPort().getIntVal()), path + ".targetPort", "must be between 1 and 65535");
            }
            if (ports.size() > 1) {
                v.require(p.getName() != null && names.add(p.getName()), path + ".name", "is required and must be unique when a Service has several ports");
            }
            if (p.getProtocol() != null) {
                v.require(Set.of("TCP", "UDP", "SCTP").contains(p.getProtocol()), path + ".protocol", "must be TCP, UDP or SCTP");
            }
        }
        if (s.getSpec().getType() != null) {
            v.require(Set.of("ClusterIP", "NodePort", "LoadBalancer").contains(s.getSpec().getType()), "spec.type", "must be ClusterIP, NodePort or LoadBalancer");
        }
        labels(s.getSpec().getSelector(), "spec.selector", v);
    }

    private static void configMap(ConfigMap c, Violations v) {
        int size = 0;
        for (var e : entries(c.getData())) {
            configKey(e.getKey(), "data." + e.getKey(), v);
            size += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        v.require(size <= MAX_OBJECT_BYTES, "data", "must be 1 MiB at most");
    }

    private static void secret(Secret s, Violations v) {
        int size = 0;
        for (var e : entries(s.getData())) {
            configKey(e.getKey(), "data." + e.getKey(), v);
            try {
                size += Base64.getDecoder().decode(e.getValue() == null ? "" : e.getValue()).length;
            } catch (IllegalArgumentException bad) {
                v.add("data." + e.getKey(), "must be base64-encoded (use stringData for plain text)");
            }
        }
        for (var e : entries(s.getStringData())) {
            configKey(e.getKey(), "stringData." + e.getKey(), v);
            size += e.getValue() == null ? 0 : e.getValue().length();
        }
        v.require(size <= MAX_OBJECT_BYTES, "data", "must be 1 MiB at most");
    }

    private void autoscaler(HorizontalPodAutoscaler h, Violations v) {
        if (h.getSpec() == null) {
            v.add("spec", "is required");
            return;
        }
        var ref = h.getSpec().getScaleTargetRef();
        v.require(ref != null && Set.of("Deployment", "StatefulSet").contains(ref.getKind()) && ref.getName() != null,
                "spec.scaleTargetRef", "must name a Deployment or StatefulSet");
        if (ref != null && ref.getName() != null) {
            NameFormat.DNS1123_SUBDOMAIN.problem(ref.getName()).ifPresent(p -> v.add("spec.scaleTargetRef.name", p));
        }
        Integer min = h.getSpec().getMinReplicas();
        Integer max = h.getSpec().getMaxReplicas();
        if (max == null || max < 1 || max > limits.maxReplicas()) {
            v.add("spec.maxReplicas", "must be between 1 and " + limits.maxReplicas());
        } else if (min != null && (min < 1 || min > max)) {
            v.add("spec.minReplicas", "must be between 1 and maxReplicas");
        }
    }

    /**
     * {@code IsConfigMapKey}: 253 characters at most of letters, digits, '-', '_' and '.', and not '.', '..' or
     * starting with '..' (keys become file names when mounted).
     */
    private static void configKey(String key, String path, Violations v) {
        if (key.length() > 253 || !CONFIG_KEY.matcher(key).matches()) {
            v.add(path, "key must be at most 253 letters, digits, '-', '_' or '.'");
        } else if (key.startsWith("..") || key.equals(".")) {
            v.add(path, "key must not be '.' or '..' or start with '..'");
        }
    }

    /** A ConfigMap or Secret named by a container: Kubernetes requires a DNS-1123 subdomain (the kubelet looks it up by key). */
    private static void referencedName(String name, String path, Violations v) {
        if (name != null) {
            NameFormat.DNS1123_SUBDOMAIN.problem(name).ifPresent(p -> v.add(path, p));
        }
    }

    private static <V> Iterable<Map.Entry<String, V>> entries(Map<String, V> map) {
        return map == null ? List.of() : map.entrySet();
    }

    private static boolean isEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }

    private static void nonNegative(Number value, String path, Violations v) {
        if (value != null && value.longValue() < 0) {
            v.add(path, "must not be negative");
        }
    }

    private static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }

    static boolean isLabel(String s) {
        return NameFormat.DNS1123_LABEL.matches(s);
    }
}
