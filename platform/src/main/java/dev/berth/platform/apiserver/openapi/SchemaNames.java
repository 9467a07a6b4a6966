package dev.berth.platform.apiserver.openapi;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name upstream's OpenAPI gives a fabric8 model class ({@code components.schemas} keys, the Go package path
 * reversed): {@code io.fabric8.kubernetes.api.model.apps.Deployment} is {@code io.k8s.api.apps.v1.Deployment}.
 * Clients match schemas by these names (kubectl explain prints the last segment as a field's type).
 */
public final class SchemaNames {

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
    private static final String META_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

    /**
     * The types of k8s.io/apimachinery/pkg/apis/meta/v1 that fabric8 keeps in its core package, beside the
     * core/v1 types.
     */
    private static final Set<String> META_V1_TYPES = Set.of(
            "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "CreateOptions",
            "DeleteOptions", "Duration", "FieldSelectorRequirement", "FieldsV1", "GetOptions", "GroupKind",
            "GroupVersionForDiscovery", "GroupVersionKind", "GroupVersionResource", "LabelSelector",
            "LabelSelectorRequirement", "ListMeta", "ListOptions", "ManagedFieldsEntry", "MicroTime", "ObjectMeta",
            "OwnerReference", "Patch", "PatchOptions", "Preconditions", "RootPaths", "ServerAddressByClientCIDR",
            "Status", "StatusCause", "StatusDetails", "TypeMeta", "UpdateOptions", "WatchEvent");

    private SchemaNames() {}

    /**
     * The upstream name of a fabric8 Kubernetes model class.
     *
     * @throws IllegalArgumentException for a class outside fabric8's Kubernetes model
     */
    public static String of(Class<?> type) {
        if (type == Quantity.class) {
            return "io.k8s.apimachinery.pkg.api.resource.Quantity";
        }
        if (type == IntOrString.class) {
            return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        }
        String pkg = type.getPackageName();
        if (!pkg.equals(FABRIC8) && !pkg.startsWith(FABRIC8 + ".")) {
            throw new IllegalArgumentException(type.getName() + " is not a fabric8 Kubernetes model type");
        }
        String name = type.getSimpleName();
        if (pkg.equals(FABRIC8)) {
            return (META_V1_TYPES.contains(name) ? META_V1 : "io.k8s.api.core.v1.") + name;
        }
        String group = pkg.substring(FABRIC8.length() + 1);
        if (group.equals("runtime") || group.equals("version")) {
            return "io.k8s.apimachinery.pkg." + group + "." + name;
        }
        // fabric8 leaves the version out of packages that hold a group's only version (apps, rbac, storage): v1
        String last = group.substring(group.lastIndexOf('.') + 1);
        return "io.k8s.api." + (VERSION.matcher(last).matches() ? group : group + ".v1") + "." + name;
    }
}
