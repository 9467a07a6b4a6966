package dev.berth.platform.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * structured-merge-diff's {@code internal/fixture} TestCase: operations (apply, force apply, update) by managers at
 * API versions on one object, then the object and each manager's fields. Objects are YAML without
 * {@code apiVersion}, which the scenario adds per operation as upstream's fixture passes it beside the object.
 */
final class Scenario {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** One operation of a case; {@code conflicts} lists the expected conflicts as {@code manager path}, empty for none. */
    record Op(String type, String manager, String apiVersion, String object, List<String> conflicts) {
        @Override
        public String toString() {
            return type + " " + manager;
        }
    }

    static Op apply(String manager, String apiVersion, String object) {
        return new Op("Apply", manager, apiVersion, object, List.of());
    }

    static Op applyConflicting(String manager, String apiVersion, String object, String... conflicts) {
        return new Op("Apply", manager, apiVersion, object, List.of(conflicts));
    }

    static Op forceApply(String manager, String apiVersion, String object) {
        return new Op("ForceApply", manager, apiVersion, object, List.of());
    }

    static Op update(String manager, String apiVersion, String object) {
        return new Op("Update", manager, apiVersion, object, List.of());
    }

    private final FieldManager fields;
    private final Class<?> kind;
    private ObjectNode live;

    Scenario(ApplySchema schema, Class<?> kind) {
        this.fields = new FieldManager(schema, Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));
        this.kind = kind;
    }

    /** Runs the operations; each expected conflict is asserted, and a conflicting apply changes nothing. */
    Scenario run(List<Op> ops) {
        for (Op op : ops) {
            ObjectNode object = yaml(op.object());
            object.put("apiVersion", op.apiVersion());
            switch (op.type()) {
                case "Update" -> live = fields.update(live, object, kind, op.manager(), "", new FieldSet());
                case "ForceApply" -> live = fields.apply(live, object, kind, op.manager(), true, new FieldSet());
                default -> {
                    if (op.conflicts().isEmpty()) {
                        live = fields.apply(live, object, kind, op.manager(), false, new FieldSet());
                    } else {
                        assertThatThrownBy(() -> fields.apply(live, object, kind, op.manager(), false, new FieldSet()))
                                .isInstanceOfSatisfying(ApplyConflictException.class, e -> assertThat(e.conflicts().stream()
                                        .map(c -> c.manager().replaceAll("\"| using .*", "") + " " + c.field()).toList())
                                        .containsExactlyInAnyOrderElementsOf(op.conflicts()));
                    }
                }
            }
        }
        return this;
    }

    ObjectNode live() {
        return live;
    }

    /** The object without what the scenario adds (apiVersion) and managedFields. */
    JsonNode object() {
        ObjectNode o = live.deepCopy();
        o.remove("apiVersion");
        if (o.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
            if (meta.isEmpty()) {
                o.remove("metadata");
            }
        }
        return o;
    }

    /** Each manager's fields, by manager name. */
    Map<String, FieldSet> managed() {
        Map<String, FieldSet> out = new LinkedHashMap<>();
        live.path("metadata").path("managedFields").forEach(e -> out.put(e.get("manager").asText(), FieldSet.fromFieldsV1(e.get("fieldsV1"))));
        return out;
    }

    /** Whether two objects are the same to structured-merge-diff: associative lists compared as sets. */
    static boolean same(JsonNode a, JsonNode b, ApplySchema.Type type) {
        TypedObjects.Comparison c = TypedObjects.compare(a, b, type);
        return c.added().isEmpty() && c.modified().isEmpty() && c.removed().isEmpty();
    }

    static ObjectNode yaml(String text) {
        try {
            JsonNode node = YAML.readTree(text);
            return node == null || node.isMissingNode() || node.isNull() ? JSON.createObjectNode() : (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static FieldSet fieldsV1(String json) {
        try {
            return FieldSet.fromFieldsV1(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
