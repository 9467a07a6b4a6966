package dev.berth.platform.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.discovery.GroupVersionKind;
import dev.berth.platform.apiserver.discovery.ServedResource;
import dev.berth.platform.apiserver.discovery.Subresource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OpenAPI paths of a group version: for each served resource the operations kube-apiserver's installer
 * (apiserver/pkg/endpoints/installer.go) registers for its verbs, with upstream's operation ids, actions, query
 * parameters and {@code x-kubernetes-group-version-kind}.
 *
 * <p>Every POST, PUT and PATCH declares {@code fieldValidation}: kubectl's QueryParamVerifierV3 sends
 * {@code fieldValidation=Strict} only when the PATCH operation of the kind declares it, and otherwise falls back to
 * client-side validation.
 */
final class ResourcePaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSON = "application/json";

    /** Query parameters by operation, as upstream 1.32 declares them, less the alpha ones the core ignores. */
    private static final List<String> LIST = List.of("allowWatchBookmarks", "continue", "fieldSelector",
            "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "timeoutSeconds", "watch");
    private static final List<String> WRITE = List.of("dryRun", "fieldManager", "fieldValidation");
    private static final List<String> PATCH = List.of("dryRun", "fieldManager", "fieldValidation", "force");
    private static final List<String> DELETE = List.of("dryRun", "gracePeriodSeconds", "orphanDependents",
            "propagationPolicy");
    private static final List<String> DELETE_COLLECTION = List.of("continue", "dryRun", "fieldSelector",
            "gracePeriodSeconds", "labelSelector", "limit", "orphanDependents", "propagationPolicy",
            "resourceVersion", "resourceVersionMatch", "timeoutSeconds");
    private static final List<String> LOG = List.of("container", "follow", "insecureSkipTLSVerifyBackend", "limitBytes", "previous",
            "sinceSeconds", "tailLines", "timestamps");

    private static final Set<String> BOOLEANS = Set.of("allowWatchBookmarks", "follow", "force", "insecureSkipTLSVerifyBackend",
            "orphanDependents", "previous", "timestamps", "watch");
    private static final Set<String> INTEGERS = Set.of("gracePeriodSeconds", "limit", "limitBytes", "sinceSeconds", "tailLines",
            "timeoutSeconds");

    /** The patch types kube-apiserver accepts (1.32): server-side apply, JSON patch, merge and strategic merge. */
    private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml",
            "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");

    private static final Map<String, String> DESCRIPTIONS = Map.of("200", "OK", "201", "Created", "202", "Accepted");

    private final ModelSchemas schemas;
    private final Set<String> roots;

    /**
     * @param roots collects the components the paths refer to, the roots of the document's schemas
     */
    ResourcePaths(ModelSchemas schemas, Set<String> roots) {
        this.schemas = schemas;
        this.roots = roots;
    }

    /** {@code /api/v1} or {@code /apis/{group}/{version}}. */
    static String prefix(String group, String version) {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** {@code GET /apis/apps/v1/}: the group version's APIResourceList. */
    void addResourceList(Map<String, ObjectNode> paths, String group, String version) {
        ObjectNode get = operation(tag(group, version), "get available resources",
                "get" + groupVersionWords(group, version) + "APIResources", null, List.of());
        get.set("responses", responses(Map.of("200", APIResourceList.class), List.of(JSON)));
        paths.put(prefix(group, version) + "/", NODES.objectNode().set("get", get));
    }

    void add(Map<String, ObjectNode> paths, ServedResource r) {
        String kind = r.kind().kind();
        String gv = groupVersionWords(r.group(), r.version());
        String scope = r.namespaced() ? "Namespaced" : "";
        String collection = prefix(r.group(), r.version()) + (r.namespaced() ? "/namespaces/{namespace}/" : "/")
                + r.plural();
        String item = collection + "/{name}";
        String tag = tag(r.group(), r.version());

        ObjectNode collectionPath = pathParameters(r.namespaced(), false);
        if (r.serves("list")) {
            collectionPath.set("get", list(tag, r, "list" + gv + scope + kind));
        }
        if (r.serves("create")) {
            collectionPath.set("post", write(tag, "create a " + kind, "create" + gv + scope + kind, "post", r.kind(),
                    r.type(), WRITE, Map.of("200", r.type(), "201", r.type(), "202", r.type())));
        }
        if (r.serves("deletecollection")) {
            ObjectNode op = operation(tag, "delete collection of " + kind, "delete" + gv + "Collection" + scope + kind,
                    r.kind(), DELETE_COLLECTION).put("x-kubernetes-action", "deletecollection");
            op.set("requestBody", body(DeleteOptions.class, List.of("*/*"), false));
            op.set("responses", responses(Map.of("200", Status.class), List.of(JSON)));
            collectionPath.set("delete", op);
        }
        putIfOperations(paths, collection, collectionPath);

        ObjectNode itemPath = pathParameters(r.namespaced(), true);
        if (r.serves("get")) {
            ObjectNode op = operation(tag, "read the specified " + kind, "read" + gv + scope + kind, r.kind(), List.of())
                    .put("x-kubernetes-action", "get");
            op.set("responses", responses(Map.of("200", r.type()), List.of(JSON)));
            itemPath.set("get", op);
        }
        if (r.serves("update")) {
            itemPath.set("put", write(tag, "replace the specified " + kind, "replace" + gv + scope + kind, "put",
                    r.kind(), r.type(), WRITE, Map.of("200", r.type(), "201", r.type())));
        }
        if (r.serves("patch")) {
            itemPath.set("patch", patch(tag, "partially update the specified " + kind, "patch" + gv + scope + kind,
                    r.kind(), r.type()));
        }
        if (r.serves("delete")) {
            ObjectNode op = operation(tag, "delete a " + kind, "delete" + gv + scope + kind, r.kind(), DELETE)
                    .put("x-kubernetes-action", "delete");
            op.set("requestBody", body(DeleteOptions.class, List.of("*/*"), false));
            op.set("responses", responses(Map.of("200", Status.class, "202", Status.class), List.of(JSON)));
            itemPath.set("delete", op);
        }
        putIfOperations(paths, item, itemPath);

        if (r.namespaced() && r.serves("list")) {
            ObjectNode all = pathParameters(false, false);
            all.set("get", list(tag, r, "list" + gv + kind + "ForAllNamespaces"));
            paths.put(prefix(r.group(), r.version()) + "/" + r.plural(), all);
        }
        for (Subresource s : r.subresources()) {
            paths.put(item + "/" + s.name(), subresource(tag, gv + scope + kind, kind, r.namespaced(), s));
        }
    }

    private ObjectNode subresource(String tag, String idStem, String parentKind, boolean namespaced, Subresource s) {
        String word = capitalize(s.name());
        ObjectNode path = pathParameters(namespaced, true);
        if (s.verbs().contains("get")) {
            ObjectNode op = operation(tag, "read " + s.name() + " of the specified " + parentKind, "read" + idStem + word,
                    s.kind(), s.text() ? LOG : List.of()).put("x-kubernetes-action", "get");
            op.set("responses", s.text() ? textResponse() : responses(Map.of("200", s.body()), List.of(JSON)));
            path.set("get", op);
        }
        if (s.verbs().contains("create")) {
            path.set("post", write(tag, "create " + s.name() + " of a " + parentKind, "create" + idStem + word, "post",
                    s.kind(), s.body(), WRITE, Map.of("200", s.body(), "201", s.body(), "202", s.body())));
        }
        if (s.verbs().contains("update")) {
            path.set("put", write(tag, "replace " + s.name() + " of the specified " + parentKind,
                    "replace" + idStem + word, "put", s.kind(), s.body(), WRITE,
                    Map.of("200", s.body(), "201", s.body())));
        }
        if (s.verbs().contains("patch")) {
            path.set("patch", patch(tag, "partially update " + s.name() + " of the specified " + parentKind,
                    "patch" + idStem + word, s.kind(), s.body()));
        }
        return path;
    }

    private ObjectNode list(String tag, ServedResource r, String operationId) {
        ObjectNode op = operation(tag, "list or watch objects of kind " + r.kind().kind(), operationId, r.kind(), LIST)
                .put("x-kubernetes-action", "list");
        op.set("responses", responses(Map.of("200", listType(r)), List.of(JSON, JSON + ";stream=watch")));
        return op;
    }

    private ObjectNode write(String tag, String description, String operationId, String action, GroupVersionKind gvk,
            Class<?> bodyType, List<String> parameters, Map<String, Class<?>> responses) {
        ObjectNode op = operation(tag, description, operationId, gvk, parameters).put("x-kubernetes-action", action);
        op.set("requestBody", body(bodyType, List.of("*/*"), true));
        op.set("responses", responses(responses, List.of(JSON)));
        return op;
    }

    private ObjectNode patch(String tag, String description, String operationId, GroupVersionKind gvk, Class<?> type) {
        ObjectNode op = operation(tag, description, operationId, gvk, PATCH).put("x-kubernetes-action", "patch");
        op.set("requestBody", body(Patch.class, PATCH_TYPES, true));
        op.set("responses", responses(Map.of("200", type, "201", type), List.of(JSON)));
        return op;
    }

    private static ObjectNode operation(String tag, String description, String operationId, GroupVersionKind gvk,
            List<String> parameters) {
        ObjectNode op = NODES.objectNode();
        op.set("tags", NODES.arrayNode().add(tag));
        op.put("description", description);
        op.put("operationId", operationId);
        if (!parameters.isEmpty()) {
            ArrayNode params = op.putArray("parameters");
            parameters.forEach(p -> params.add(parameter(p, "query", false)));
        }
        if (gvk != null) {
            op.set("x-kubernetes-group-version-kind", NODES.objectNode()
                    .put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version()));
        }
        return op;
    }

    private static ObjectNode parameter(String name, String in, boolean required) {
        ObjectNode p = NODES.objectNode().put("name", name).put("in", in);
        if (required) {
            p.put("required", true);
        }
        String type = BOOLEANS.contains(name) ? "boolean" : INTEGERS.contains(name) ? "integer" : "string";
        p.set("schema", NODES.objectNode().put("type", type).put("uniqueItems", true));
        return p;
    }

    /** The parameters every operation of a path shares: the name and namespace in it, and {@code pretty}. */
    private static ObjectNode pathParameters(boolean namespaced, boolean named) {
        ArrayNode params = NODES.arrayNode();
        if (named) {
            params.add(parameter("name", "path", true));
        }
        if (namespaced) {
            params.add(parameter("namespace", "path", true));
        }
        params.add(parameter("pretty", "query", false));
        return NODES.objectNode().set("parameters", params);
    }

    private static void putIfOperations(Map<String, ObjectNode> paths, String path, ObjectNode node) {
        if (node.size() > 1) {
            paths.put(path, node);
        }
    }

    private ObjectNode body(Class<?> type, List<String> mediaTypes, boolean required) {
        ObjectNode content = NODES.objectNode();
        mediaTypes.forEach(m -> content.set(m, NODES.objectNode().set("schema", ref(type))));
        ObjectNode body = NODES.objectNode().set("content", content);
        if (required) {
            body.put("required", true);
        }
        return body;
    }

    private ObjectNode responses(Map<String, Class<?>> byStatus, List<String> mediaTypes) {
        ObjectNode responses = NODES.objectNode();
        byStatus.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode content = NODES.objectNode();
            mediaTypes.forEach(m -> content.set(m, NODES.objectNode().set("schema", ref(e.getValue()))));
            responses.set(e.getKey(), NODES.objectNode().put("description", DESCRIPTIONS.get(e.getKey()))
                    .set("content", content));
        });
        responses.set("401", NODES.objectNode().put("description", "Unauthorized"));
        return responses;
    }

    private static ObjectNode textResponse() {
        ObjectNode content = NODES.objectNode();
        content.set("text/plain", NODES.objectNode().set("schema", NODES.objectNode().put("type", "string")));
        ObjectNode responses = NODES.objectNode();
        responses.set("200", NODES.objectNode().put("description", "OK").set("content", content));
        responses.set("401", NODES.objectNode().put("description", "Unauthorized"));
        return responses;
    }

    private ObjectNode ref(Class<?> type) {
        roots.add(SchemaNames.of(type));
        return schemas.ref(type);
    }

    /** A kind's list type, which fabric8 names after the kind in the same package ({@code DeploymentList}). */
    static Class<?> listType(ServedResource r) {
        String name = r.type().getName() + "List";
        try {
            return Class.forName(name, false, r.type().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("fabric8 has no list type " + name + " for " + r.plural(), e);
        }
    }

    /** Upstream's operation id words: {@code ""/v1} is CoreV1, {@code rbac.authorization.k8s.io/v1} RbacAuthorizationV1. */
    static String groupVersionWords(String group, String version) {
        String groupWords = group.isEmpty() ? "Core" : Arrays.stream(stripK8sIo(group).split("\\."))
                .map(ResourcePaths::capitalize).collect(Collectors.joining());
        return groupWords + capitalize(version);
    }

    /** Upstream's tag: {@code core_v1}, {@code apps_v1}, {@code rbacAuthorization_v1}. */
    static String tag(String group, String version) {
        String words = groupVersionWords(group, "");
        return Character.toLowerCase(words.charAt(0)) + words.substring(1) + "_" + version;
    }

    private static String stripK8sIo(String group) {
        return group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
