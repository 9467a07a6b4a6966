package dev.berth.platform.apiserver;

import dev.berth.platform.model.ResourceKind;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which kind a request's group, version and resource name, and which subresources each kind has. The kinds are
 * {@link ResourceKind}'s; a path naming anything else is answered 404 as kube-apiserver answers it.
 */
public final class ApiResources {

    private static final Map<String, ResourceKind> BY_PATH = Arrays.stream(ResourceKind.values())
            .collect(Collectors.toUnmodifiableMap(k -> k.apiVersion() + "/" + k.plural(), Function.identity()));

    private static final Map<ResourceKind, Set<String>> SUBRESOURCES = Map.of(
            ResourceKind.POD, Set.of("status", "log", "binding", "eviction"),
            ResourceKind.DEPLOYMENT, Set.of("status", "scale"),
            ResourceKind.REPLICASET, Set.of("status", "scale"),
            ResourceKind.STATEFULSET, Set.of("status", "scale"),
            ResourceKind.NODE, Set.of("status"),
            ResourceKind.SERVICE, Set.of("status"),
            ResourceKind.NAMESPACE, Set.of("status"),
            ResourceKind.HORIZONTAL_POD_AUTOSCALER, Set.of("status"),
            ResourceKind.HORIZONTAL_POD_AUTOSCALER_V1, Set.of("status"),
            ResourceKind.PERSISTENT_VOLUME_CLAIM, Set.of("status"));

    private ApiResources() {}

    /** The kind served at {@code /api/v1/<resource>} or {@code /apis/<group>/<version>/<resource>}. */
    public static Optional<ResourceKind> kind(RequestInfo info) {
        return Optional.ofNullable(BY_PATH.get(info.groupVersion() + "/" + info.resource()));
    }

    public static boolean hasSubresource(ResourceKind kind, String subresource) {
        return SUBRESOURCES.getOrDefault(kind, Set.of()).contains(subresource);
    }

    /** The kind's group ("" for the core group). */
    public static String group(ResourceKind kind) {
        int slash = kind.apiVersion().indexOf('/');
        return slash < 0 ? "" : kind.apiVersion().substring(0, slash);
    }

    public static ApiException.Resource resource(ResourceKind kind) {
        return new ApiException.Resource(group(kind), kind.plural());
    }

    /** {@code Deployment.apps}, {@code Pod}: how Invalid errors name a kind. */
    public static String qualifiedKind(ResourceKind kind) {
        String group = group(kind);
        return group.isEmpty() ? kind.kind() : kind.kind() + "." + group;
    }
}
