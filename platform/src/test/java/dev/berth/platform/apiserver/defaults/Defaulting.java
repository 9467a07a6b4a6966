package dev.berth.platform.apiserver.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Test support: an object decoded from JSON (single quotes for readability), defaulted, and read back as JSON. */
final class Defaulting {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Defaulting() {}

    static JsonNode defaulted(Class<? extends HasMetadata> type, String json) {
        HasMetadata object = JSON.unmarshal(json.replace('\'', '"'), type);
        return JSON.convertValue(Defaults.apply(object), JsonNode.class);
    }

    /** The value at {@code pointer} as text ("" when absent), so a table row can name any field. */
    static String at(JsonNode tree, String pointer) {
        JsonNode n = tree.at(pointer);
        return n.isMissingNode() || n.isNull() ? "" : n.isValueNode() ? n.asText() : n.toString();
    }
}
