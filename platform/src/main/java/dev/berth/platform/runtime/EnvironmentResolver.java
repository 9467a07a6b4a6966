package dev.berth.platform.runtime;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment, in kubelet's order: Service links ({@code ORDER_SERVICE_SERVICE_HOST/PORT} for
 * every Service in the namespace, pointing at the Service's local listener or its kernel-path address), then {@code envFrom}, then
 * {@code env} (with {@code $(VAR)} expansion and ConfigMap, Secret, field and resource references). Secret
 * values are returned to the launcher only, never logged. Thread-safe.
 */
public final class EnvironmentResolver {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final ObjectStore store;
    private final Function<Service, Optional<InetSocketAddress>> serviceAddress;

    /** @param serviceAddress where replicas reach a Service (its proxy, or its kernel path), empty when nowhere yet */
    public EnvironmentResolver(ObjectStore store, Function<Service, Optional<InetSocketAddress>> serviceAddress) {
        this.store = store;
        this.serviceAddress = serviceAddress;
    }

    /**
     * @throws ContainerLaunchException CreateContainerConfigError when a referenced ConfigMap, Secret or key is missing
     */
    public Map<String, String> resolve(Pod pod, Container container) throws ContainerLaunchException {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(serviceLinks(ns));
        for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                Optional<ConfigMap> cm = store.get(new ObjectKey(ResourceKind.CONFIGMAP, ns, from.getConfigMapRef().getName()));
                if (cm.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                    throw missing("configmap", from.getConfigMapRef().getName());
                }
                cm.map(ConfigMap::getData).ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, v)));
            }
            if (from.getSecretRef() != null) {
                Optional<Secret> s = store.get(new ObjectKey(ResourceKind.SECRET, ns, from.getSecretRef().getName()));
                if (s.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                    throw missing("secret", from.getSecretRef().getName());
                }
                s.map(Secret::getData).ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, decode(v))));
            }
        }
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value = var.getValueFrom() == null ? expand(var.getValue(), env) : valueFrom(pod, container, var);
            if (value != null) {
                env.put(var.getName(), value);
            }
        }
        return env;
    }

    private Map<String, String> serviceLinks(String namespace) {
        Map<String, String> links = new LinkedHashMap<>();
        for (Service s : store.<Service>list(ResourceKind.SERVICE, namespace, null)) {
            Optional<InetSocketAddress> address = serviceAddress.apply(s);
            if (address.isEmpty()) {
                continue;
            }
            int port = address.get().getPort();
            String prefix = s.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
            links.put(prefix + "_SERVICE_HOST", address.get().getHostString());
            links.put(prefix + "_SERVICE_PORT", Integer.toString(port));
            List<ServicePort> ports = s.getSpec().getPorts();
            if (ports != null && ports.size() == 1 && ports.get(0).getName() != null) {
                links.put(prefix + "_SERVICE_PORT_" + ports.get(0).getName().toUpperCase(Locale.ROOT).replace('-', '_'), Integer.toString(port));
            }
        }
        return links;
    }

    private String valueFrom(Pod pod, Container container, EnvVar var) throws ContainerLaunchException {
        String ns = pod.getMetadata().getNamespace();
        EnvVarSource from = var.getValueFrom();
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            Optional<String> v = store.<ConfigMap>get(new ObjectKey(ResourceKind.CONFIGMAP, ns, ref.getName()))
                    .map(ConfigMap::getData).map(d -> d.get(ref.getKey()));
            if (v.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
                throw new ContainerLaunchException("CreateContainerConfigError",
                        "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return v.orElse(null);
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            Optional<String> v = store.<Secret>get(new ObjectKey(ResourceKind.SECRET, ns, ref.getName()))
                    .map(Secret::getData).map(d -> d.get(ref.getKey())).map(EnvironmentResolver::decode);
            if (v.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
                throw new ContainerLaunchException("CreateContainerConfigError",
                        "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return v.orElse(null);
        }
        if (from.getFieldRef() != null) {
            return field(pod, from.getFieldRef().getFieldPath());
        }
        if (from.getResourceFieldRef() != null) {
            return resource(container, from.getResourceFieldRef().getResource());
        }
        return null;
    }

    static String field(Pod pod, String path) throws ContainerLaunchException {
        Matcher label = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
        if (label.matches()) {
            Map<String, String> m = label.group(1).equals("labels") ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
            return m == null ? "" : m.getOrDefault(label.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.hostIP" -> "127.0.0.1";
            default -> throw new ContainerLaunchException("CreateContainerConfigError", "unsupported fieldRef " + path);
        };
    }

    static String resource(Container c, String resource) {
        Map<String, Quantity> limits = c.getResources() == null ? null : c.getResources().getLimits();
        Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
        boolean isLimit = resource.startsWith("limits.");
        String name = resource.substring(resource.indexOf('.') + 1);
        Quantity q = isLimit ? (limits == null ? null : limits.get(name)) : (requests == null ? null : requests.get(name));
        if (q == null) {
            return "0";
        }
        BigDecimal amount = Quantity.getAmountInBytes(q);
        return name.equals("cpu") ? amount.setScale(0, RoundingMode.CEILING).toPlainString() : amount.toBigInteger().toString();
    }

    /** {@code $(VAR)} refers to a variable defined before; {@code $$(VAR)} is a literal {@code $(VAR)}. */
    static String expand(String value, Map<String, String> env) {
        if (value == null || !value.contains("$(")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = REFERENCE.matcher(value);
        int last = 0;
        while (m.find()) {
            boolean escaped = m.start() > 0 && value.charAt(m.start() - 1) == '$';
            out.append(value, last, escaped ? m.start() - 1 : m.start());
            out.append(escaped ? m.group() : env.getOrDefault(m.group(1), m.group()));
            last = m.end();
        }
        return out.append(value.substring(last)).toString();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static ContainerLaunchException missing(String kind, String name) {
        return new ContainerLaunchException("CreateContainerConfigError", kind + " \"" + name + "\" not found");
    }
}
