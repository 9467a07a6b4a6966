package dev.berth.platform.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Applies the body of a PATCH request to the stored object, as kube-apiserver's {@code endpoints/handlers/patch.go}
 * does for the three document patches (server-side apply is not a document patch and lives elsewhere). Both
 * documents are JSON trees: parsing the body, and answering 400 when it is not JSON, is the caller's part; so is
 * decoding the result into the kind and validating it.
 *
 * <p>Pure and thread-safe; the arguments are never modified.
 */
public final class Patches {

    private static final String UNSUPPORTED = "the body of the request was in an unknown format - accepted media types include: "
            + PatchType.JSON.mediaType() + ", " + PatchType.MERGE.mediaType() + ", application/apply-patch+yaml"
            + " (strategic merge patch is not supported for %s)";

    private final PatchSchema schema;
    private final StrategicMergePatch strategicMerge;

    /** Patches for the built-in Kubernetes kinds ({@link PatchSchema#kubernetes()}). */
    public Patches() {
        this(PatchSchema.kubernetes());
    }

    public Patches(PatchSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.strategicMerge = new StrategicMergePatch(schema);
    }

    /**
     * Whether this patch type applies to this kind: all do, except strategic merge on kinds the schema does not
     * describe (custom resources, {@code GenericKubernetesResource}), which kube-apiserver answers 415.
     */
    public boolean supports(PatchType type, Class<? extends HasMetadata> kind) {
        return type != PatchType.STRATEGIC_MERGE || schema.supports(kind);
    }

    /**
     * The object {@code patch} makes of {@code current}.
     *
     * @param current the stored object as JSON (a JSON object)
     * @param patch the request body as JSON
     * @param kind the object's model class: strategic merge reads its fields' strategies from it
     * @throws PatchException if the patch is malformed or does not apply; nothing is changed then
     */
    public ObjectNode apply(PatchType type, JsonNode current, JsonNode patch, Class<? extends HasMetadata> kind) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(patch, "patch");
        Objects.requireNonNull(kind, "kind");
        if (current == null || !current.isObject()) {
            throw new IllegalArgumentException("the current object must be a JSON object");
        }
        JsonNode result = switch (type) {
            case JSON -> JsonPatch.apply(current, patch);
            case MERGE -> {
                // evanphx/json-patch, kube-apiserver's, refuses null and scalars as a bad patch
                if (!patch.isObject() && !patch.isArray()) {
                    throw PatchException.badRequest("a JSON merge patch for an object must be a JSON object, not %s",
                            PatchException.typeOf(patch));
                }
                yield JsonMergePatch.apply(current, patch);
            }
            case STRATEGIC_MERGE -> {
                if (!schema.supports(kind)) {
                    throw new PatchException(PatchException.Reason.UNSUPPORTED_MEDIA_TYPE, String.format(UNSUPPORTED, name(kind)));
                }
                yield strategicMerge.apply(current, patch, kind);
            }
        };
        // e.g. a merge patch that is a list, or a JSON patch replacing the root: kube-apiserver cannot decode them either
        if (!result.isObject()) {
            throw PatchException.invalid("the patched %s is not a JSON object but %s", name(kind),
                    PatchException.typeOf(result));
        }
        return (ObjectNode) result;
    }

    private static String name(Class<? extends HasMetadata> kind) {
        String apiVersion = HasMetadata.getApiVersion(kind);
        return apiVersion == null ? kind.getSimpleName() : apiVersion + " " + HasMetadata.getKind(kind);
    }
}
