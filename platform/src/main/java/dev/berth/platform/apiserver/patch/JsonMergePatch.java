package dev.berth.platform.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch, {@code MergePatch(Target, Patch)} of its section 2. Written here because the only
 * implementation on the classpath (JSON-P's, reaching the core through the Elasticsearch client) works on
 * {@code jakarta.json} values, not Jackson trees.
 */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** The merged document; {@code target} (may be {@code null}: absent) and {@code patch} are not modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        return mergeInto(target == null ? null : target.deepCopy(), patch);
    }

    // target is a private copy: it is changed in place
    private static JsonNode mergeInto(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), mergeInto(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
