package dev.berth.platform.apiserver.apply;

import static dev.berth.platform.apiserver.apply.Scenario.apply;
import static dev.berth.platform.apiserver.apply.Scenario.applyConflicting;
import static dev.berth.platform.apiserver.apply.Scenario.forceApply;
import static dev.berth.platform.apiserver.apply.Scenario.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.patch.PatchMeta;
import dev.berth.platform.apiserver.patch.PatchSchema;
import dev.berth.platform.apiserver.patch.PatchStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * structured-merge-diff's {@code merge/leaf_test.go} (TestUpdateLeaf), {@code merge/set_test.go} (TestUpdateSet,
 * TestUpdateSetBroken's case as upstream wants it), {@code merge/key_test.go} (TestUpdateAssociativeLists) and
 * {@code merge/multiple_appliers_test.go} (TestMultipleAppliersSet, TestMultipleAppliersFieldUnsetting at one
 * version: Berth serves one version per kind) cases, one row per upstream case, over small model types standing for
 * upstream's test schemas. Objects compare as upstream's fixture compares them: associative lists as sets.
 */
class MergeCasesTest {

    /** leaf_test.go's {@code leafFields}. */
    public static class LeafFields {
        public Long numeric;
        public String string;
        public Boolean bool;
    }

    /** set_test.go's {@code sets}: a list of strings, associative (a set). */
    public static class Sets {
        public List<String> list;
    }

    /** key_test.go's {@code associativeList}: a list keyed by name, items with a name and a value. */
    public static class AssociativeList {
        public List<Item> list;
    }

    public static class Item {
        public String name;
        public Long value;
    }

    /** multiple_appliers_test.go's {@code structMultiversionParser} type at one version (v1). */
    public static class Struct {
        public StructFields struct;
    }

    public static class StructFields {
        public String name;
        public String scalarField_v1;
        public Named complexField_v1;
    }

    public static class Named {
        public String name;
    }

    private static final ApplySchema SCHEMA = new ApplySchema(new PatchSchema(List.of(
            PatchMeta.of(Sets.class, "list", "", PatchStrategy.MERGE),
            PatchMeta.of(AssociativeList.class, "list", "name", PatchStrategy.MERGE)), Set.of()));

    record Case(String name, Class<?> type, List<Scenario.Op> ops, String object, Map<String, String> managed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // leaf_test.go TestUpdateLeaf
                new Case("leaf apply_twice", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        apply("default", "v1", "numeric: 2\nstring: string\nbool: false")),
                        "numeric: 2\nstring: string\nbool: false",
                        Map.of("default", "{\"f:bool\":{},\"f:numeric\":{},\"f:string\":{}}")),
                new Case("leaf apply_twice_different_versions", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        apply("default", "v2", "numeric: 2\nstring: string\nbool: false")),
                        "numeric: 2\nstring: string\nbool: false",
                        Map.of("default", "{\"f:bool\":{},\"f:numeric\":{},\"f:string\":{}}")),
                new Case("leaf apply_update_apply_no_conflict", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        update("controller", "v1", "numeric: 1\nstring: string\nbool: true"),
                        apply("default", "v1", "numeric: 2\nstring: string")),
                        "numeric: 2\nstring: string\nbool: true",
                        Map.of("default", "{\"f:numeric\":{},\"f:string\":{}}", "controller", "{\"f:bool\":{}}")),
                new Case("leaf apply_update_apply_no_conflict_different_version", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        update("controller", "v2", "numeric: 1\nstring: string\nbool: true"),
                        apply("default", "v1", "numeric: 2\nstring: string")),
                        "numeric: 2\nstring: string\nbool: true",
                        Map.of("default", "{\"f:numeric\":{},\"f:string\":{}}", "controller", "{\"f:bool\":{}}")),
                new Case("leaf apply_update_apply_with_conflict", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        update("controller", "v1", "numeric: 1\nstring: controller string\nbool: true"),
                        applyConflicting("default", "v1", "numeric: 2\nstring: user string", "controller .string"),
                        forceApply("default", "v1", "numeric: 2\nstring: user string")),
                        "numeric: 2\nstring: user string\nbool: true",
                        Map.of("default", "{\"f:numeric\":{},\"f:string\":{}}", "controller", "{\"f:bool\":{}}")),
                new Case("leaf apply_update_apply_with_conflict_across_version", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string"),
                        update("controller", "v2", "numeric: 1\nstring: controller string\nbool: true"),
                        applyConflicting("default", "v1", "numeric: 2\nstring: user string", "controller .string"),
                        forceApply("default", "v1", "numeric: 2\nstring: user string")),
                        "numeric: 2\nstring: user string\nbool: true",
                        Map.of("default", "{\"f:numeric\":{},\"f:string\":{}}", "controller", "{\"f:bool\":{}}")),
                new Case("leaf apply_twice_remove", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string\nbool: false"),
                        apply("default", "v1", "string: new string")),
                        "string: new string",
                        Map.of("default", "{\"f:string\":{}}")),
                new Case("leaf update_apply_omits", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 2"),
                        update("controller", "v1", "numeric: 1"),
                        apply("default", "v1", "")),
                        "numeric: 1",
                        Map.of("controller", "{\"f:numeric\":{}}")),
                new Case("leaf apply_twice_remove_different_version", LeafFields.class, List.of(
                        apply("default", "v1", "numeric: 1\nstring: string\nbool: false"),
                        apply("default", "v2", "string: new string")),
                        "string: new string",
                        Map.of("default", "{\"f:string\":{}}")),
                new Case("leaf update_remove_empty_set", LeafFields.class, List.of(
                        apply("default", "v1", "string: string"),
                        update("controller", "v1", "string: new string")),
                        "string: new string",
                        Map.of("controller", "{\"f:string\":{}}")),
                new Case("leaf apply_remove_empty_set", LeafFields.class, List.of(
                        apply("default", "v1", "string: string"),
                        apply("default", "v1", "")),
                        "",
                        Map.of()),
                // set_test.go TestUpdateSet
                new Case("set apply_twice", Sets.class, List.of(
                        apply("default", "v1", "list: [a, c]"),
                        apply("default", "v1", "list: [a, b, c, d]")),
                        "list: [a, b, c, d]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{},\"v:\\\"c\\\"\":{},\"v:\\\"d\\\"\":{}}}")),
                new Case("set apply_update_apply_no_overlap", Sets.class, List.of(
                        apply("default", "v1", "list: [a, c]"),
                        update("controller", "v1", "list: [a, b, c, d]"),
                        apply("default", "v1", "list: [a, aprime, c, cprime]")),
                        "list: [a, aprime, b, c, cprime, d]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"aprime\\\"\":{},\"v:\\\"c\\\"\":{},\"v:\\\"cprime\\\"\":{}}}",
                                "controller", "{\"f:list\":{\"v:\\\"b\\\"\":{},\"v:\\\"d\\\"\":{}}}")),
                new Case("set apply_update_apply_with_overlap", Sets.class, List.of(
                        apply("default", "v1", "list: [a, c]"),
                        update("controller", "v1", "list: [a, b, c, d]"),
                        apply("default", "v1", "list: [a, b, c]")),
                        "list: [a, b, c, d]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{},\"v:\\\"c\\\"\":{}}}",
                                "controller", "{\"f:list\":{\"v:\\\"b\\\"\":{},\"v:\\\"d\\\"\":{}}}")),
                new Case("set apply_twice_reorder", Sets.class, List.of(
                        apply("default", "v1", "list: [a, b, c, d]"),
                        apply("default", "v1", "list: [a, d, c, b]")),
                        "list: [a, d, c, b]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{},\"v:\\\"c\\\"\":{},\"v:\\\"d\\\"\":{}}}")),
                new Case("set apply_update_apply_reorder", Sets.class, List.of(
                        apply("default", "v1", "list: [a, b, c, d]"),
                        update("controller", "v1", "list: [a, d, c, b]"),
                        apply("default", "v1", "list: [a, b, c, d]")),
                        "list: [a, b, c, d]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{},\"v:\\\"c\\\"\":{},\"v:\\\"d\\\"\":{}}}")),
                // TestUpdateSetBroken apply_twice_remove: upstream marks it broken; the removal it wants is what is served here
                new Case("set apply_twice_remove (TestUpdateSetBroken)", Sets.class, List.of(
                        apply("default", "v1", "list: [a, b, c, d]"),
                        apply("default", "v1", "list: [a, c]")),
                        "list: [a, c]",
                        Map.of("default", "{\"f:list\":{\"v:\\\"a\\\"\":{},\"v:\\\"c\\\"\":{}}}")),
                // key_test.go TestUpdateAssociativeLists
                new Case("key removing_obsolete_applied_structs", AssociativeList.class, List.of(
                        apply("default", "v1", "list: [{name: a, value: 1}]"),
                        apply("default", "v1", "list: [{name: b, value: 2}]")),
                        "list: [{name: b, value: 2}]",
                        Map.of("default", item("b", "\"f:name\":{},\"f:value\":{}"))),
                // multiple_appliers_test.go TestMultipleAppliersSet
                new Case("multiple appliers remove_one", AssociativeList.class, List.of(
                        apply("apply-one", "v1", "list: [{name: a}, {name: b}]"),
                        apply("apply-two", "v1", "list: [{name: c}]"),
                        apply("apply-one", "v1", "list: [{name: a}]")),
                        "list: [{name: a}, {name: c}]",
                        Map.of("apply-one", item("a", "\"f:name\":{}"), "apply-two", item("c", "\"f:name\":{}"))),
                new Case("multiple appliers same_value_no_conflict", AssociativeList.class, List.of(
                        apply("apply-one", "v1", "list: [{name: a, value: 0}]"),
                        apply("apply-two", "v1", "list: [{name: a, value: 0}]")),
                        "list: [{name: a, value: 0}]",
                        Map.of("apply-one", item("a", "\"f:name\":{},\"f:value\":{}"), "apply-two", item("a", "\"f:name\":{},\"f:value\":{}"))),
                new Case("multiple appliers change_value_yes_conflict", AssociativeList.class, List.of(
                        apply("apply-one", "v1", "list: [{name: a, value: 0}]"),
                        applyConflicting("apply-two", "v1", "list: [{name: a, value: 1}]", "apply-one .list[name=\"a\"].value")),
                        "list: [{name: a, value: 0}]",
                        Map.of("apply-one", item("a", "\"f:name\":{},\"f:value\":{}"))),
                // multiple_appliers_test.go TestMultipleAppliersFieldUnsetting (v1-v1-v1)
                new Case("field unsetting unset_scalar_sole_owner", Struct.class, List.of(
                        apply("apply-one", "v1", "struct: {name: a, scalarField_v1: a}"),
                        apply("apply-one", "v1", "struct: {name: a}")),
                        "struct: {name: a}",
                        Map.of("apply-one", "{\"f:struct\":{\"f:name\":{}}}")),
                new Case("field unsetting unset_scalar_shared_with_applier", Struct.class, List.of(
                        apply("apply-one", "v1", "struct: {name: a, scalarField_v1: a}"),
                        apply("apply-two", "v1", "struct: {scalarField_v1: a}"),
                        apply("apply-one", "v1", "struct: {name: a}")),
                        "struct: {name: a, scalarField_v1: a}",
                        Map.of("apply-one", "{\"f:struct\":{\"f:name\":{}}}", "apply-two", "{\"f:struct\":{\"f:scalarField_v1\":{}}}")),
                new Case("field unsetting unset_scalar_shared_with_updater", Struct.class, List.of(
                        update("updater", "v1", "struct: {name: a, scalarField_v1: a}"),
                        apply("applier", "v1", "struct: {name: a, scalarField_v1: a}"),
                        apply("applier", "v1", "struct: {name: a}")),
                        "struct: {name: a, scalarField_v1: a}",
                        Map.of("updater", "{\"f:struct\":{\".\":{},\"f:name\":{},\"f:scalarField_v1\":{}}}",
                                "applier", "{\"f:struct\":{\"f:name\":{}}}")),
                new Case("field unsetting updater_claims_field", Struct.class, List.of(
                        apply("applier", "v1", "struct: {name: a, scalarField_v1: a}"),
                        update("updater", "v1", "struct: {name: a, scalarField_v1: b}")),
                        "struct: {name: a, scalarField_v1: b}",
                        Map.of("updater", "{\"f:struct\":{\"f:scalarField_v1\":{}}}", "applier", "{\"f:struct\":{\"f:name\":{}}}")),
                new Case("field unsetting unset_complex_sole_owner", Struct.class, List.of(
                        apply("apply-one", "v1", "struct: {name: a, complexField_v1: {name: b}}"),
                        apply("apply-one", "v1", "struct: {name: a}")),
                        "struct: {name: a}",
                        Map.of("apply-one", "{\"f:struct\":{\"f:name\":{}}}")),
                new Case("field unsetting unset_complex_shared_with_applier", Struct.class, List.of(
                        apply("apply-one", "v1", "struct: {name: a, complexField_v1: {name: b}}"),
                        apply("apply-two", "v1", "struct: {complexField_v1: {name: b}}"),
                        apply("apply-one", "v1", "struct: {name: a}")),
                        "struct: {name: a, complexField_v1: {name: b}}",
                        Map.of("apply-one", "{\"f:struct\":{\"f:name\":{}}}", "apply-two", "{\"f:struct\":{\"f:complexField_v1\":{\"f:name\":{}}}}")));
    }

    /** The FieldsV1 of one item of {@code list} keyed by name, with the fields under it. */
    private static String item(String name, String fields) {
        return "{\"f:list\":{\"k:{\\\"name\\\":\\\"" + name + "\\\"}\":{\".\":{}," + fields + "}}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mergesAndOwnsAsUpstream(Case c) {
        Scenario s = new Scenario(SCHEMA, c.type()).run(c.ops());

        assertThat(Scenario.same(s.object(), Scenario.yaml(c.object()), SCHEMA.root(c.type())))
                .as("object %s, want %s", s.object(), Scenario.yaml(c.object())).isTrue();
        Map<String, FieldSet> want = new LinkedHashMap<>();
        c.managed().forEach((m, f) -> want.put(m, Scenario.fieldsV1(f)));
        assertThat(s.managed()).isEqualTo(want);
    }
}
