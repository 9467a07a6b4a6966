package dev.berth.platform.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;

/**
 * RFC 6902 JSON patch, applied by fabric8's zjsonpatch (the library the fabric8 client already ships) with the
 * strictness of kube-apiserver's evanphx/json-patch: removing a missing member is an error, not a no-op.
 */
final class JsonPatch {

    /** kube-apiserver's limit ({@code maxJSONPatchOperations} in {@code endpoints/handlers/patch.go}). */
    static final int MAX_OPERATIONS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    private JsonPatch() {
    }

    /** A patched copy of {@code document}; {@code document} and {@code patch} are not modified. */
    static JsonNode apply(JsonNode document, JsonNode patch) {
        // kube-apiserver decodes before it applies: a body that is no list of operations is a bad request
        if (!patch.isArray()) {
            throw PatchException.badRequest("a JSON patch must be a list of operations, not %s", PatchException.typeOf(patch));
        }
        for (int i = 0; i < patch.size(); i++) {
            if (!patch.get(i).isObject()) {
                throw PatchException.badRequest("JSON patch operation %d is not an object", i);
            }
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchException(PatchException.Reason.REQUEST_ENTITY_TOO_LARGE, String.format(
                    "The allowed maximum operations in a JSON patch is %d, got %d", MAX_OPERATIONS, patch.size()));
        }
        try {
            return io.fabric8.zjsonpatch.JsonPatch.apply(patch, hasTest(patch) ? asParsed(document) : document, FLAGS);
        } catch (JsonPatchException e) {
            throw PatchException.invalid("the JSON patch does not apply: %s", e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // zjsonpatch reports a pointer without its leading slash, or an object step into an array, this way
            throw PatchException.invalid("the JSON patch does not apply: %s", e.getMessage());
        }
    }

    private static boolean hasTest(JsonNode patch) {
        for (JsonNode op : patch) {
            if ("test".equals(op.path("op").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The document as a request body would be parsed: zjsonpatch's {@code test} compares nodes by type, so the stored
     * object's {@code generation: 2} (a long) would not equal the patch's {@code 2} (an int), where evanphx/json-patch
     * compares the JSON values.
     */
    private static JsonNode asParsed(JsonNode document) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(document));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
