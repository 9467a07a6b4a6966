package dev.berth.platform.apiserver.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Table as kube-apiserver serialises it: apiserver's endpoints tests TestGetTable and TestWatchTable (default
 * table, row objects as PartialObjectMetadata, headers only on a watch's first event) and handlers' asTable
 * (includeObject), checked on the JSON fabric8's serialisation writes.
 */
class TablePrinterTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final TablePrinter PRINTER = new TablePrinter(Printed.CLOCK);
    private static final String CREATED = "2024-06-01T11:59:30Z";

    /** upstream's genericapitesting.Simple "foo1", as a Role: a kind without a printer of its own. */
    private static final Role FOO1 = new RoleBuilder().withMetadata(new ObjectMetaBuilder().withName("foo1").withNamespace("ns1")
            .withResourceVersion("10").withCreationTimestamp(CREATED).withUid("abcdef0123").build()).build();

    private static final String DEFAULT_COLUMNS = """
            [{"name":"Name","type":"string","format":"name","description":%s,"priority":0},
             {"name":"Created At","type":"date","format":"","description":%s,"priority":0}]"""
            .formatted(quoted(TableColumn.NAME_DOC), quoted(TableColumn.CREATION_TIMESTAMP_DOC));
    private static final String FOO1_PARTIAL = """
            {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
             "metadata":{"name":"foo1","namespace":"ns1","resourceVersion":"10","creationTimestamp":"2024-06-01T11:59:30Z","uid":"abcdef0123"}}""";

    @Test
    void testGetTableAnItemWithoutAPrinterGetsTheDefaultTableWithPartialObjectMetadata() {
        Table table = PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(FOO1), TableOptions.of(IncludeObject.parse(null)),
                new ListMetaBuilder().withResourceVersion("10").build());

        assertThat(json(table)).isEqualTo(tree("""
                {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"10"},
                 "columnDefinitions":%s,
                 "rows":[{"cells":["foo1","2024-06-01T11:59:30Z"],"object":%s}]}""".formatted(DEFAULT_COLUMNS, FOO1_PARTIAL)));
    }

    @Test
    void testGetTableIncludeObjectMetadataIsTheDefault() {
        Table asked = PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(FOO1), TableOptions.of(IncludeObject.parse("Metadata")), null);
        Table defaulted = PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(FOO1), TableOptions.of(IncludeObject.parse("")), null);

        assertThat(json(asked)).isEqualTo(json(defaulted));
        assertThat(json(asked).at("/rows/0/object")).isEqualTo(tree(FOO1_PARTIAL));
        assertThat(json(asked).get("metadata")).as("Go writes an empty ListMeta as {}").isEqualTo(tree("{}"));
    }

    @Test
    void testWatchTableOnlyTheFirstEventCarriesTheColumnDefinitions() {
        TableOptions first = TableOptions.of(IncludeObject.METADATA);
        JsonNode added = json(PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(FOO1), first,
                new ListMetaBuilder().withResourceVersion("10").build()));
        JsonNode modified = json(PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(FOO1), first.withoutHeaders(),
                new ListMetaBuilder().withResourceVersion("10").build()));

        assertThat(added.get("columnDefinitions")).isEqualTo(tree(DEFAULT_COLUMNS));
        assertThat(modified.get("columnDefinitions").isNull()).isTrue();
        assertThat(modified.get("rows")).isEqualTo(added.get("rows"));
    }

    @Test
    void asTableIncludeObjectNoneWritesANullObjectAndObjectTheWholeOne() {
        Pod pod = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName("web-0").withNamespace("shop").build()).withNewSpec()
                .withNodeName("node-a").endSpec().build();

        JsonNode none = json(PRINTER.table(ResourceKind.POD, List.of(pod), IncludeObject.NONE, null, null));
        JsonNode whole = json(PRINTER.table(ResourceKind.POD, List.of(pod), IncludeObject.OBJECT, null, null));

        assertThat(none.at("/rows/0").has("object")).isTrue();
        assertThat(none.at("/rows/0/object").isNull()).isTrue();
        assertThat(whole.at("/rows/0/object")).isEqualTo(tree(JSON.asJson(pod)));
        assertThat(whole.at("/rows/0/object/kind").asText()).isEqualTo("Pod");
    }

    @Test
    void asTableAnUnknownIncludeObjectIsABadRequestWithUpstreamsMessage() {
        assertThatThrownBy(() -> IncludeObject.parse("Everything")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unrecognized includeObject value: \"Everything\"");
    }

    @Test
    void aPrintedKindHasItsColumnsAndWideCellsInEveryRow() {
        Pod done = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName("job-1").withCreationTimestamp(CREATED).build())
                .withNewSpec().addNewContainer().endContainer().endSpec().withNewStatus().withPhase("Succeeded").endStatus().build();

        JsonNode table = json(PRINTER.table(ResourceKind.POD, List.of(done), IncludeObject.NONE, "42", "next-page"));

        assertThat(table.get("metadata")).isEqualTo(tree("{\"resourceVersion\":\"42\",\"continue\":\"next-page\"}"));
        assertThat(table.get("columnDefinitions")).hasSize(9);
        assertThat(table.at("/columnDefinitions/5")).isEqualTo(tree("""
                {"name":"IP","type":"string","format":"","description":"podIP address allocated to the pod. Routable at least within the \
                cluster. Empty if not yet allocated.","priority":1}"""));
        assertThat(table.at("/rows/0/cells")).isEqualTo(tree("""
                ["job-1","0/1","Succeeded","0","30s","<none>","<none>","<none>","<none>"]"""));
        assertThat(table.at("/rows/0/conditions")).isEqualTo(tree("""
                [{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}]"""));
    }

    @Test
    void integerCellsAreJsonNumbersAndRowsWithoutConditionsOmitThem() {
        var cm = new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName("app").withCreationTimestamp(CREATED).build())
                .addToData("a", "1").build();

        JsonNode row = json(PRINTER.table(ResourceKind.CONFIGMAP, List.of(cm), IncludeObject.NONE, null, null)).at("/rows/0");

        assertThat(row.get("cells")).isEqualTo(tree("[\"app\",1,\"30s\"]"));
        assertThat(row.has("conditions")).isFalse();
    }

    @Test
    void anEmptyListIsAnEmptyTableButTheDefaultTableHasNoRowsAtAll() {
        JsonNode pods = json(PRINTER.table(ResourceKind.POD, List.of(), IncludeObject.METADATA, "5", null));
        JsonNode roles = json(PRINTER.table("rbac.authorization.k8s.io/v1", "Role", List.of(), TableOptions.of(IncludeObject.METADATA), null));

        assertThat(pods.get("rows")).isEqualTo(tree("[]"));
        assertThat(roles.get("rows").isNull()).isTrue();
        assertThat(roles.get("columnDefinitions")).hasSize(2);
    }

    @Test
    void rolesAndClusterRolesHaveNoPrinterUpstreamSoKubectlShowsNameAndCreatedAt() {
        var admin = new ClusterRoleBuilder().withMetadata(new ObjectMetaBuilder().withName("admin").withCreationTimestamp("2024-06-01T11:00:00.5Z")
                .build()).build();
        var unset = new ClusterRoleBuilder().withMetadata(new ObjectMetaBuilder().withName("unset").build()).build();

        Table table = PRINTER.table("rbac.authorization.k8s.io/v1", "ClusterRole", List.of(admin, unset), TableOptions.of(IncludeObject.NONE),
                null);

        assertThat(table.columnDefinitions()).extracting(TableColumn::name).containsExactly("Name", "Created At");
        assertThat(table.rows()).extracting(Table.TableRow::cells)
                .containsExactly(List.of("admin", "2024-06-01T11:00:00Z"), List.of("unset", "0001-01-01T00:00:00Z"));
    }

    @Test
    void anObjectOfAnotherKindIsRefusedNamingBoth() {
        var cm = new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName("app").build()).build();

        assertThatThrownBy(() -> PRINTER.table(ResourceKind.POD, List.of(cm), IncludeObject.NONE, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot print a ConfigMap as Pod");
    }

    @Test
    void theRemainingItemCountOfAPagedListIsCopied() {
        JsonNode table = json(PRINTER.table("v1", "Pod", List.of(), TableOptions.of(IncludeObject.NONE),
                new ListMetaBuilder().withResourceVersion("9").withContinue("abc").withRemainingItemCount(12L).build()));

        assertThat(table.get("metadata")).isEqualTo(tree("{\"resourceVersion\":\"9\",\"continue\":\"abc\",\"remainingItemCount\":12}"));
    }

    @Test
    void twoTablesForOneKindAreRefused() {
        assertThatThrownBy(() -> new KindTables(List.of(PodTable.TABLE, PodTable.TABLE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two tables for v1/Pod");
    }

    @Test
    void everyKindTheCoreServesPrintsWithUpstreamsTable() {
        for (ResourceKind kind : ResourceKind.values()) {
            // upstream's printers.go has no handler for Role and ClusterRole: the default Name/Created At table
            boolean defaultTable = kind == ResourceKind.ROLE || kind == ResourceKind.CLUSTER_ROLE;
            assertThat(KindTables.BUILT_IN.find(kind.apiVersion(), kind.kind()).isPresent()).as(kind.kind()).isEqualTo(!defaultTable);
        }
        for (String[] kind : new String[][] { { "v1", "ServiceAccount" }, { "v1", "PersistentVolumeClaim" }, { "apps/v1", "ControllerRevision" },
                { "coordination.k8s.io/v1", "Lease" }, { "rbac.authorization.k8s.io/v1", "RoleBinding" },
                { "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" }, { "events.k8s.io/v1", "Event" } }) {
            assertThat(KindTables.BUILT_IN.find(kind[0], kind[1])).as(kind[1]).isPresent();
        }
    }

    private static JsonNode json(Table table) {
        return tree(JSON.asJson(table));
    }

    private static JsonNode tree(String json) {
        try {
            return TREE.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String quoted(String s) {
        try {
            return TREE.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
