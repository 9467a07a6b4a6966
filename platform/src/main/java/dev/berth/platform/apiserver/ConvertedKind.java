package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.conversion.AutoscalingV1Conversion;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A kind served in one version and stored in another, as kube-apiserver keeps one storage version per resource and
 * converts every request and answer: {@code served} is what the client reads and writes, {@code stored} what the
 * store keeps. A conversion that cannot read its input (a malformed round-trip annotation) is a 400. Immutable.
 *
 * @param toServed the stored object's JSON as the served version
 * @param toStored a served object's JSON as the stored version
 * @param configurationToStored a server-side apply configuration as the stored version, or null when apply is not served
 */
record ConvertedKind(ResourceKind served, ResourceKind stored, UnaryOperator<ObjectNode> toServed, UnaryOperator<ObjectNode> toStored,
        UnaryOperator<ObjectNode> configurationToStored) {

    private static final Map<ResourceKind, ConvertedKind> ALL = Map.of(
            ResourceKind.EVENT_V1, new ConvertedKind(ResourceKind.EVENT_V1, ResourceKind.EVENT,
                    EventConversion::toV1Tree, EventConversion::toCoreTree, null),
            ResourceKind.HORIZONTAL_POD_AUTOSCALER_V1, new ConvertedKind(ResourceKind.HORIZONTAL_POD_AUTOSCALER_V1,
                    ResourceKind.HORIZONTAL_POD_AUTOSCALER, AutoscalingV1Conversion::toV1, AutoscalingV1Conversion::toV2,
                    AutoscalingV1Conversion::configurationToV2));

    /** The conversion of a kind served from another's storage; empty for a kind stored as it is served. */
    static Optional<ConvertedKind> of(ResourceKind served) {
        return Optional.ofNullable(ALL.get(served));
    }

    HasMetadata served(KubernetesSerialization json, HasMetadata stored) {
        return json.convertValue(toServed.apply(json.convertValue(stored, ObjectNode.class)), served.type());
    }

    HasMetadata stored(KubernetesSerialization json, HasMetadata served) {
        return json.convertValue(storedTree(json.convertValue(served, ObjectNode.class)), stored.type());
    }

    /** A patch written against the served version, as a change of the stored object. */
    UnaryOperator<JsonNode> patch(UnaryOperator<JsonNode> servedPatch) {
        return current -> storedTree((ObjectNode) servedPatch.apply(toServed.apply((ObjectNode) current)));
    }

    ObjectNode configuration(ObjectNode configuration) {
        return convert(configurationToStored, configuration);
    }

    private ObjectNode storedTree(ObjectNode served) {
        return convert(toStored, served);
    }

    private static ObjectNode convert(UnaryOperator<ObjectNode> conversion, ObjectNode in) {
        try {
            return conversion.apply(in);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
