package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Between core/v1 Events (what the store keeps) and events.k8s.io/v1 Events, as kube-apiserver converts through its
 * one internal Event ({@code pkg/apis/events/v1/conversion.go} and the generated field-by-field conversion):
 * {@code involvedObject ↔ regarding}, {@code message ↔ note}, {@code source ↔ deprecatedSource},
 * {@code firstTimestamp/lastTimestamp/count ↔ deprecatedFirstTimestamp/deprecatedLastTimestamp/deprecatedCount},
 * {@code reportingComponent ↔ reportingController}; {@code eventTime}, {@code series}, {@code reportingInstance},
 * {@code action}, {@code reason}, {@code type}, {@code related} and metadata are the same fields. Pure; thread-safe.
 */
final class EventConversion {

    /** core/v1 JSON name → events.k8s.io/v1 JSON name, for the fields whose names differ. */
    private static final Map<String, String> RENAMED = Map.of(
            "involvedObject", "regarding",
            "message", "note",
            "source", "deprecatedSource",
            "firstTimestamp", "deprecatedFirstTimestamp",
            "lastTimestamp", "deprecatedLastTimestamp",
            "count", "deprecatedCount",
            "reportingComponent", "reportingController");

    private final KubernetesSerialization json;

    EventConversion(KubernetesSerialization json) {
        this.json = json;
    }

    io.fabric8.kubernetes.api.model.events.v1.Event toV1(Event core) {
        return json.convertValue(toV1Tree(json.convertValue(core, ObjectNode.class)), io.fabric8.kubernetes.api.model.events.v1.Event.class);
    }

    Event toCore(io.fabric8.kubernetes.api.model.events.v1.Event v1) {
        return json.convertValue(toCoreTree(json.convertValue(v1, ObjectNode.class)), Event.class);
    }

    static ObjectNode toV1Tree(ObjectNode core) {
        ObjectNode out = core.deepCopy();
        RENAMED.forEach((from, to) -> move(out, from, to));
        out.put("apiVersion", "events.k8s.io/v1");
        return out;
    }

    static ObjectNode toCoreTree(ObjectNode v1) {
        ObjectNode out = v1.deepCopy();
        RENAMED.forEach((to, from) -> move(out, from, to));
        out.put("apiVersion", "v1");
        return out;
    }

    private static void move(ObjectNode o, String from, String to) {
        JsonNode value = o.remove(from);
        if (value != null && !value.isNull()) {
            o.set(to, value);
        }
    }
}
