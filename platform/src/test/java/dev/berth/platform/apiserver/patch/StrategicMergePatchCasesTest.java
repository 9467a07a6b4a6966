package dev.berth.platform.apiserver.patch;

import static dev.berth.platform.apiserver.patch.PatchStrategy.MERGE;
import static dev.berth.platform.apiserver.patch.PatchStrategy.REPLACE;
import static dev.berth.platform.apiserver.patch.PatchStrategy.RETAIN_KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.platform.apiserver.patch.PatchSchema.Field;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strategic merge patch against k8s.io/apimachinery's own tables ({@code pkg/util/strategicpatch/patch_test.go}):
 * every application of a two-way and a three-way patch in {@code customStrategicMergePatchTestCaseData},
 * {@code customStrategicMergePatchRawTestCases}, {@code createStrategicMergePatchTestCaseData},
 * {@code strategicMergePatchRawTestCases} and {@code replaceRawExtensionPatchTestCases} (transcribed into
 * {@code strategic-merge-patch-cases.yaml}), plus {@code TestUnknownField}'s and {@code TestNumberConversion}'s.
 * The type is a test-only mirror of upstream's test struct {@code MergeItem}, its tags in {@link #SCHEMA}.
 */
class StrategicMergePatchCasesTest {

    /** Upstream's {@code MergeItem}; values are typed loosely, as upstream's cases put numbers in string fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class MergeItem {
        public JsonNode name;
        public JsonNode value;
        public JsonNode other;
        public List<MergeItem> mergingList;
        public List<MergeItem> nonMergingList;
        public List<Integer> mergingIntList;
        public List<Integer> nonMergingIntList;
        public MergeItem mergeItemPtr;
        public Map<String, String> simpleMap;
        public JsonNode replacingItem;
        public JsonNode jsonItem;
        public RetainKeysMergeItem retainKeysMap;
        public List<MergeItem> retainKeysMergingList;
    }

    /** Upstream's {@code RetainKeysMergeItem}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class RetainKeysMergeItem {
        public JsonNode name;
        public JsonNode value;
        public JsonNode other;
        public Map<String, String> simpleMap;
        public List<Integer> mergingIntList;
        public List<MergeItem> mergingList;
        public List<MergeItem> nonMergingList;
    }

    /** Upstream's {@code PrecisionItem}: no tags. */
    public static final class PrecisionItem {
        public String name;
        public Integer int32;
        public Long int64;
        public Float float32;
        public Double float64;
    }

    static final PatchSchema SCHEMA = new PatchSchema(List.of(
            PatchMeta.of(MergeItem.class, "mergingList", "name", MERGE),
            PatchMeta.of(MergeItem.class, "mergingIntList", "", MERGE),
            PatchMeta.of(MergeItem.class, "mergeItemPtr", "name", MERGE),
            PatchMeta.of(MergeItem.class, "replacingItem", "", REPLACE),
            PatchMeta.of(MergeItem.class, "retainKeysMap", "", RETAIN_KEYS),
            PatchMeta.of(MergeItem.class, "retainKeysMergingList", "name", MERGE, RETAIN_KEYS),
            PatchMeta.of(RetainKeysMergeItem.class, "mergingIntList", "", MERGE),
            PatchMeta.of(RetainKeysMergeItem.class, "mergingList", "name", MERGE)), Set.of());

    // upstream's error texts and the phrase of this implementation's message for the same fault
    private static final Map<String, String> ERRORS = Map.of(
            "doesn't match", "does not match its `$setElementOrder/",
            "does not contain declared merge key", "has an element without its merge key `name`");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StrategicMergePatch PATCH = new StrategicMergePatch(SCHEMA);

    static Stream<Arguments> upstreamCases() throws IOException {
        try (InputStream in = StrategicMergePatchCasesTest.class.getResourceAsStream("strategic-merge-patch-cases.yaml")) {
            List<Arguments> rows = new ArrayList<>();
            new YAMLMapper().readTree(in).forEach(row -> rows.add(Arguments.of(row.get("upstream").asText(), row.get("way").asText(), row)));
            return rows.stream();
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("upstreamCases")
    void appliesUpstreamCase(String upstream, String way, JsonNode row) {
        boolean sort = row.path("sortMergingLists").asBoolean();
        JavaType type = SCHEMA.typeOf(MergeItem.class);
        JsonNode current = sort ? sorted(row.get("current"), type) : row.get("current");
        JsonNode patch = sort ? sorted(row.get("patch"), type) : row.get("patch");

        if (row.has("error")) {
            String phrase = ERRORS.get(row.get("error").asText());
            assertThat(phrase).as("a phrase for upstream's error").isNotNull();
            assertThatThrownBy(() -> PATCH.apply(current, patch, MergeItem.class))
                    .isInstanceOf(PatchException.class).hasMessageContaining(phrase);
            return;
        }
        JsonNode expected = sort ? sorted(row.get("expected"), type) : row.get("expected");
        assertThat(PATCH.apply(current, patch, MergeItem.class)).isEqualTo(expected);
    }

    // TestUnknownField's applications that upstream can make (the others fail while creating the patch)
    @ParameterizedTest(name = "TestUnknownField {0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "no diff                                      | twoWay   | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true} | {} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true}",
            "no diff even if modified null                | twoWay   | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true} | {\"complex_nullable\":{\"key\":null}} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"complex_nullable\":{},\"name\":\"foo\",\"scalar\":true}",
            "discard nulls in nested and adds not nulls   | twoWay   | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true} | {\"complex_nullable\":{\"key\":{\"keynotnull\":\"value\",\"keynull\":null}}} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"complex_nullable\":{\"key\":{\"keynotnull\":\"value\"}},\"name\":\"foo\",\"scalar\":true}",
            "discard if modified all nulls                | twoWay   | {} | {\"complex\":{\"nested\":null}} | {\"complex\":{}}",
            "add only not nulls                           | twoWay   | {} | {\"complex\":{\"nested\":null,\"nested2\":\"foo\"}} | {\"complex\":{\"nested2\":\"foo\"}}",
            "null values in original are preserved        | twoWay   | {\"thing\":null} | {\"nested\":{\"value\":5}} | {\"nested\":{\"value\":5},\"thing\":null}",
            "nested null values in original are preserved | twoWay   | {\"complex\":{\"key\":null},\"thing\":null} | {\"nested\":{\"value\":5}} | {\"complex\":{\"key\":null},\"nested\":{\"value\":5},\"thing\":null}",
            "add empty slices                             | twoWay   | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true} | {\"complex_nullable\":[]} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"complex_nullable\":[],\"name\":\"foo\",\"scalar\":true}",
            "filter nulls from nested slices              | twoWay   | {} | {\"complex_nullable\":[{\"inner_one\":{\"key_one\":\"foo\",\"key_two\":null}}]} | {\"complex_nullable\":[{\"inner_one\":{\"key_one\":\"foo\"}}]}",
            "filter if slice is all empty                 | twoWay   | {} | {\"complex_nullable\":[{\"inner_one\":{\"key_one\":null,\"key_two\":null}}]} | {\"complex_nullable\":[{\"inner_one\":{}}]}",
            "not filter nulls from non-associative slice  | twoWay   | {} | {\"complex_nullable\":[\"key1\",null,\"key2\"]} | {\"complex_nullable\":[\"key1\",null,\"key2\"]}",
            "added only                                   | twoWay   | {\"name\":\"foo\"} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"scalar\":true} | {\"array\":[1,2,3],\"complex\":{\"nested\":true},\"name\":\"foo\",\"scalar\":true}",
            "removed only                                 | twoWay   | {\"name\":\"foo\",\"scalar\":true,\"complex\":{\"nested\":true}} | {\"complex\":null,\"scalar\":null} | {\"name\":\"foo\"}",
            "removed only                                 | threeWay | {\"name\":\"foo\",\"scalar\":true,\"complex\":{\"nested\":true},\"array\":[1,2,3]} | {\"complex\":null,\"scalar\":null} | {\"array\":[1,2,3],\"name\":\"foo\"}",
    })
    void appliesUnknownFieldCase(String name, String way, String current, String patch, String expected) throws IOException {
        assertThat(PATCH.apply(JSON.readTree(current), JSON.readTree(patch), MergeItem.class)).isEqualTo(JSON.readTree(expected));
    }

    // TestNumberConversion: numbers at the limits of their Go types come back unchanged
    @ParameterizedTest(name = "TestNumberConversion {0}")
    @CsvSource(delimiter = '|', value = {
            "empty        | {}                                    | {}                    | {}",
            "int32 medium | {\"int32\":1000000}                   | {\"name\":\"newname\"} | {\"int32\":1000000,\"name\":\"newname\"}",
            "int32 max    | {\"int32\":2147483647}                | {\"name\":\"newname\"} | {\"int32\":2147483647,\"name\":\"newname\"}",
            "int64 medium | {\"int64\":1000000}                   | {\"name\":\"newname\"} | {\"int64\":1000000,\"name\":\"newname\"}",
            "int64 max    | {\"int64\":9223372036854775807}       | {\"name\":\"newname\"} | {\"int64\":9223372036854775807,\"name\":\"newname\"}",
            "float32 max  | {\"float32\":3.4028234663852886e+38}  | {\"name\":\"newname\"} | {\"float32\":3.4028234663852886e+38,\"name\":\"newname\"}",
            "float64 max  | {\"float64\":1.7976931348623157e+308} | {\"name\":\"newname\"} | {\"float64\":1.7976931348623157e+308,\"name\":\"newname\"}",
    })
    void keepsNumbers(String name, String old, String patch, String expected) throws IOException {
        JsonNode result = new StrategicMergePatch(SCHEMA).apply(JSON.readTree(old), JSON.readTree(patch), PrecisionItem.class);
        assertThat(JSON.writeValueAsString(result)).isEqualTo(JSON.writeValueAsString(JSON.readTree(expected)));
    }

    /**
     * Upstream's {@code sortMergeListsByNameMap}: merging lists sorted by merge key (primitives deduplicated and
     * sorted), recursively, directives' lists of names too, {@code $setElementOrder} left as it is.
     */
    static JsonNode sorted(JsonNode node, JavaType type) {
        if (node == null || !node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.properties().forEach(member -> {
            String key = member.getKey();
            JsonNode value = member.getValue();
            if (key.equals("$retainKeys") || key.startsWith("$deleteFromPrimitiveList")) {
                out.set(key, sortedList(value, null, ""));
            } else if (key.startsWith("$setElementOrder") || key.equals("$patch")) {
                out.set(key, value);
            } else {
                Field field = SCHEMA.field(type, key);
                if (value.isObject()) {
                    out.set(key, sorted(value, field.type()));
                } else if (value.isArray() && field.merges()) {
                    out.set(key, sortedList(value, field.elementType(), field.mergeKey()));
                } else {
                    out.set(key, value);
                }
            }
        });
        return out;
    }

    private static JsonNode sortedList(JsonNode list, JavaType elementType, String mergeKey) {
        List<JsonNode> elements = new ArrayList<>();
        list.forEach(elements::add);
        if (elements.isEmpty()) {
            return list;
        }
        if (!elements.get(0).isObject()) {
            elements = new ArrayList<>(elements.stream().distinct().toList());
            elements.sort(Comparator.comparing(StrategicMergePatchCasesTest::text));
        } else {
            elements = new ArrayList<>(elements.stream().map(e -> sorted(e, elementType)).toList());
            elements.sort(Comparator.comparing(e -> text(e.get(mergeKey))));
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        elements.forEach(out::add);
        return out;
    }

    // Go's %v, which upstream sorts by
    private static String text(JsonNode value) {
        return value == null ? "<nil>" : value.asText();
    }
}
