package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code metadata.managedFields} of one object, decoded as upstream's {@code managedfields/internal/managedfields.go}
 * decodes it: one entry per manager identifier — the manager, its operation, its API version for {@code Update}
 * (an applier keeps one entry across versions) and its subresource — holding the fields it owns and when it last
 * changed them. Not thread-safe: one per write.
 */
final class ManagedFields {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One manager's fields. */
    record Owned(FieldSet fields, String apiVersion, boolean applied) {
    }

    final Map<String, Owned> fields = new LinkedHashMap<>();
    final Map<String, String> times = new LinkedHashMap<>();

    /**
     * The identifier of a manager: upstream's {@code BuildManagerIdentifier}, the entry without its fields and time
     * (and without the API version for an applier), as JSON with the entry's field order and empty fields left out.
     */
    static String identifier(String manager, String operation, String apiVersion, String subresource) {
        ObjectNode id = JSON.createObjectNode();
        putIfNotEmpty(id, "manager", manager);
        putIfNotEmpty(id, "operation", operation);
        if (!APPLY.equals(operation)) {
            putIfNotEmpty(id, "apiVersion", apiVersion);
        }
        putIfNotEmpty(id, "subresource", subresource);
        return id.toString();
    }

    /** {@code managedFields: []} or {@code [{}]}: the writer asks to start over, with no manager. */
    static boolean isReset(JsonNode entries) {
        return entries != null && entries.isArray()
                && (entries.isEmpty() || (entries.size() == 1 && entries.get(0).isObject() && entries.get(0).isEmpty()));
    }

    /**
     * @param entries the {@code metadata.managedFields} array, or null
     * @throws IllegalArgumentException where upstream's decoding fails: an operation other than Apply/Update, no
     *         apiVersion, a fieldsType other than FieldsV1, fields that are not FieldsV1
     */
    static ManagedFields decode(JsonNode entries) {
        ManagedFields managed = new ManagedFields();
        if (entries == null || entries.isNull()) {
            return managed;
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException("managedFields is a list");
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String operation = text(e, "operation");
            if (!APPLY.equals(operation) && !UPDATE.equals(operation)) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = text(e, "apiVersion");
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            String fieldsType = text(e, "fieldsType");
            if (fieldsType.isEmpty()) {
                throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
            }
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\" in managed fields entry " + i);
            }
            String id = identifier(text(e, "manager"), operation, apiVersion, text(e, "subresource"));
            managed.fields.put(id, new Owned(FieldSet.fromFieldsV1(e.get("fieldsV1")), apiVersion, APPLY.equals(operation)));
            String time = text(e, "time");
            if (!time.isEmpty()) {
                managed.times.put(id, time);
            }
        }
        return managed;
    }

    /** The entries, sorted as upstream sorts them: Apply before Update, then by time, manager, API version, subresource. */
    ArrayNode encode() {
        List<ObjectNode> entries = new ArrayList<>();
        fields.forEach((id, owned) -> {
            JsonNode identity = parse(id);
            ObjectNode entry = JSON.createObjectNode();
            putIfNotEmpty(entry, "manager", text(identity, "manager"));
            entry.put("operation", owned.applied() ? APPLY : text(identity, "operation"));
            entry.put("apiVersion", owned.apiVersion());
            putIfNotEmpty(entry, "time", times.get(id));
            entry.put("fieldsType", "FieldsV1");
            entry.set("fieldsV1", owned.fields().toFieldsV1());
            putIfNotEmpty(entry, "subresource", text(identity, "subresource"));
            entries.add(entry);
        });
        entries.sort(Comparator.<ObjectNode, String>comparing(e -> text(e, "operation"))
                .thenComparing(e -> text(e, "time"))
                .thenComparing(e -> text(e, "manager"))
                .thenComparing(e -> text(e, "apiVersion"))
                .thenComparing(e -> text(e, "subresource")));
        ArrayNode out = JSON.createArrayNode();
        entries.forEach(out::add);
        return out;
    }

    /** Upstream's {@code printManager}: {@code "kubectl"}, or {@code "ctl" using apps/v1} for an updater. */
    static String describe(String id) {
        JsonNode identity = parse(id);
        String text = quote(text(identity, "manager"));
        String subresource = text(identity, "subresource");
        if (!subresource.isEmpty()) {
            text += " with subresource " + quote(subresource);
        }
        if (UPDATE.equals(text(identity, "operation"))) {
            text += " using " + text(identity, "apiVersion");
        }
        return text;
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    private static JsonNode parse(String id) {
        try {
            return JSON.readTree(id);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a manager identifier is JSON: " + id, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    @Override
    public String toString() {
        return Objects.toString(fields);
    }
}
