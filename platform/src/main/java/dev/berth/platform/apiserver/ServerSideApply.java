package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;

/**
 * The HTTP side of server-side apply: a PATCH whose body is {@code application/apply-patch+yaml} (YAML or JSON), and
 * its {@code fieldManager}, which apply requires. Stateless.
 */
final class ServerSideApply {

    static final String MEDIA_TYPE = "application/apply-patch+yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ServerSideApply() {
    }

    static boolean requested(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * The manager apply names, required as kube-apiserver's {@code ValidatePatchOptions} requires it: 422
     * {@code PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch}.
     */
    static String manager(RoutingContext ctx) {
        String manager = ctx.queryParams().get("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ApiException.invalid("PatchOptions.meta.k8s.io", new ApiException.Resource("meta.k8s.io", "PatchOptions"), "",
                    java.util.List.of(new ApiException.FieldCause("FieldValueRequired", "fieldManager", "Required value: is required for apply patch")));
        }
        return manager;
    }

    /** The applied configuration: one YAML (or JSON) object. */
    static ObjectNode configuration(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        JsonNode tree = body == null || body.length() == 0 ? null : yaml(body.toString());
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("the applied configuration is not an object");
        }
        return (ObjectNode) tree;
    }

    /**
     * A YAML document as a tree, within the YAML parser's limits on nesting, aliases and size (what a body built to
     * exhaust the parser's stack or the heap meets first); null for a document of comments only.
     *
     * @throws ApiException 400 for what is not YAML or exceeds the limits
     */
    static JsonNode yaml(String document) {
        try {
            return YAML.readTree(document);
        } catch (IOException e) {
            throw ApiException.badRequest("error decoding YAML: " + ApiHandler.rootMessage(e));
        }
    }
}
