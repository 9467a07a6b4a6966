package dev.berth.platform.apiserver;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request asks of the API, read from its method, path and {@code watch} parameter the way kube-apiserver's
 * {@code RequestInfoFactory} does ({@code apiserver/pkg/endpoints/request/requestinfo.go}): prefix, group, version,
 * namespace, resource, name, subresource and the RBAC verb (get, list, watch, create, update, patch, delete,
 * deletecollection). Paths under {@code /api} and {@code /apis} with too few parts are not resource requests
 * (discovery documents). One difference: the namespace of a request on the {@code namespaces} resource itself is
 * empty, because a Namespace is cluster-scoped (upstream reports its name there).
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiPrefix, String group, String version,
        String namespace, String resource, String subresource, String name, List<String> parts) {

    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /**
     * @param watchParameter the first {@code watch} query value, null when absent
     * @throws IllegalArgumentException when a special verb names nothing (e.g. {@code /api/v1/watch})
     */
    public static RequestInfo of(String method, String path, String watchParameter) {
        String verb = method.toLowerCase(Locale.ROOT);
        List<String> parts = split(path);
        if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return nonResource(path, verb);
        }
        String prefix = parts.get(0);
        parts = parts.subList(1, parts.size());
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.size() < 3) {
                return nonResource(path, verb);
            }
            group = parts.get(0);
            parts = parts.subList(1, parts.size());
        }
        String version = parts.get(0);
        parts = parts.subList(1, parts.size());
        if (SPECIAL_VERBS.contains(parts.get(0))) {
            if (parts.size() < 2) {
                throw new IllegalArgumentException("unable to determine kind and namespace from url " + path);
            }
            verb = parts.get(0);
            parts = parts.subList(1, parts.size());
        } else {
            verb = switch (method) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String subresource = parts.size() >= 3 && !verb.equals("proxy") ? parts.get(2) : "";
        if (resource.equals("namespaces") && parts.size() >= 2 && namespace.equals(name)) {
            namespace = "";
        }
        if (name.isEmpty() && verb.equals("get")) {
            verb = watchParameter == null || watchParameter.equalsIgnoreCase("false") || watchParameter.equals("0") ? "list" : "watch";
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestInfo(true, path, verb, prefix, group, version, namespace, resource, subresource, name, List.copyOf(parts));
    }

    private static RequestInfo nonResource(String path, String verb) {
        return new RequestInfo(false, path, verb, "", "", "", "", "", "", "", List.of());
    }

    private static List<String> split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
    }

    /** {@code apps/v1} or {@code v1}. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
