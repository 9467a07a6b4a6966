package dev.berth.platform.apiserver.discovery;

import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The resources the core serves, derived from {@link ResourceKind} so that a kind added there appears in
 * discovery and OpenAPI without more work. What ResourceKind does not say (verbs that differ from the usual
 * eight, subresources, categories) is in the tables below, as kube-apiserver registers them.
 */
public final class ServedResources {

    /** The verbs of a resource with a full generic REST store. */
    public static final List<String> STANDARD_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private static final List<String> CREATE = List.of("create");
    private static final List<String> GET = List.of("get");
    private static final List<String> UPDATE = List.of("update");
    private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");

    private record GroupResource(String group, String resource) {}

    /** A table row; a null body means the subresource reads and writes the resource's own kind. */
    private record Row(String name, Class<?> body, List<String> verbs) {}

    private static final Row STATUS = new Row("status", null, GET_PATCH_UPDATE);
    private static final Row SCALE = new Row("scale", Scale.class, GET_PATCH_UPDATE);

    /** Resources whose storage lacks some of the standard verbs (namespaces: pkg/registry/core/namespace). */
    private static final Map<GroupResource, List<String>> VERBS = Map.of(
            new GroupResource("", "namespaces"), List.of("create", "delete", "get", "list", "patch", "update", "watch"),
            new GroupResource("", "bindings"), CREATE,
            new GroupResource("authorization.k8s.io", "selfsubjectaccessreviews"), CREATE,
            new GroupResource("authorization.k8s.io", "selfsubjectrulesreviews"), CREATE);

    private static final Map<GroupResource, List<Row>> SUBRESOURCES = Map.of(
            new GroupResource("", "pods"), List.of(new Row("binding", Binding.class, CREATE),
                    new Row("eviction", Eviction.class, CREATE), new Row("log", String.class, GET), STATUS),
            new GroupResource("", "nodes"), List.of(STATUS),
            new GroupResource("", "services"), List.of(STATUS),
            new GroupResource("", "namespaces"), List.of(new Row("finalize", null, UPDATE), STATUS),
            new GroupResource("apps", "deployments"), List.of(SCALE, STATUS),
            new GroupResource("apps", "replicasets"), List.of(SCALE, STATUS),
            new GroupResource("apps", "statefulsets"), List.of(SCALE, STATUS),
            new GroupResource("autoscaling", "horizontalpodautoscalers"), List.of(STATUS),
            new GroupResource("", "persistentvolumeclaims"), List.of(STATUS));

    /** The resources upstream puts in the {@code all} category (each kind's storage {@code Categories()}). */
    private static final Set<GroupResource> CATEGORY_ALL = Set.of(
            new GroupResource("", "pods"), new GroupResource("", "services"),
            new GroupResource("apps", "deployments"), new GroupResource("apps", "replicasets"),
            new GroupResource("apps", "statefulsets"), new GroupResource("autoscaling", "horizontalpodautoscalers"));

    private ServedResources() {}

    /**
     * Every kind the core knows, and what it answers without storing it (create only): the self reviews and the
     * older {@code bindings} collection (a Pod's binding, the pod named in the Binding).
     */
    public static List<ServedResource> all() {
        List<ServedResource> all = new ArrayList<>(of(ResourceKind.values()));
        all.add(describe("v1", "Binding", "bindings", true, List.of(), Binding.class));
        all.add(describe("authorization.k8s.io/v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, List.of(),
                SelfSubjectAccessReview.class));
        all.add(describe("authorization.k8s.io/v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false, List.of(),
                SelfSubjectRulesReview.class));
        return List.copyOf(all);
    }

    public static List<ServedResource> of(ResourceKind... kinds) {
        return Arrays.stream(kinds).map(ServedResources::of).toList();
    }

    static ServedResource of(ResourceKind k) {
        return describe(k.apiVersion(), k.kind(), k.plural(), k.namespaced(), shortNames(k), k.type());
    }

    /**
     * A resource with what the tables add to its names: verbs, subresources, categories. For kinds that are not
     * (yet) in ResourceKind.
     */
    public static ServedResource describe(String apiVersion, String kind, String plural, boolean namespaced,
            List<String> shortNames, Class<? extends HasMetadata> type) {
        GroupVersionKind gvk = GroupVersionKind.of(apiVersion, kind);
        GroupResource key = new GroupResource(gvk.group(), plural);
        List<Subresource> subresources = SUBRESOURCES.getOrDefault(key, List.of()).stream()
                .map(row -> subresource(row, gvk, type))
                .sorted(Comparator.comparing(Subresource::name))
                .toList();
        return new ServedResource(gvk, plural, namespaced, shortNames, VERBS.getOrDefault(key, STANDARD_VERBS),
                CATEGORY_ALL.contains(key) ? List.of("all") : List.of(), subresources, type);
    }

    static List<String> shortNames(ResourceKind k) {
        return k.shortNames();
    }

    private static Subresource subresource(Row row, GroupVersionKind parent, Class<? extends HasMetadata> type) {
        if (row.body() == null) {
            return new Subresource(row.name(), parent, type, row.verbs());
        }
        GroupVersionKind kind = GroupVersionKind.declaredBy(row.body()).orElse(parent);
        return new Subresource(row.name(), kind, row.body(), row.verbs());
    }

    /**
     * The served resources grouped by group, then version, in {@link GroupOrder}: core first, a group's
     * preferred version first; resources within a version sorted by name, as kube-apiserver lists them.
     */
    public static Map<String, Map<String, List<ServedResource>>> byGroupVersion(List<ServedResource> resources) {
        Map<String, Map<String, List<ServedResource>>> groups = new TreeMap<>(GroupOrder.GROUPS);
        for (ServedResource r : resources) {
            groups.computeIfAbsent(r.group(), g -> new TreeMap<>(GroupOrder.VERSIONS))
                    .computeIfAbsent(r.version(), v -> new ArrayList<>()).add(r);
        }
        Map<String, Map<String, List<ServedResource>>> sorted = new LinkedHashMap<>();
        groups.forEach((group, versions) -> sorted.put(group, versions.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey,
                e -> e.getValue().stream().sorted(Comparator.comparing(ServedResource::plural)).toList(),
                (a, b) -> a, LinkedHashMap::new))));
        return sorted;
    }
}
