package dev.berth.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.observability.KibanaObjects.SavedObject;
import dev.berth.platform.observability.KibanaObjects.SavedQuery;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KibanaObjectsTest {

    static final Path SAVED_OBJECTS =
            Path.of(System.getProperty("berth.root", "..")).resolve("observability/kibana/saved-objects.ndjson");

    @Test
    void theShippedObjectsReferenceTheLogFieldsTheyShow() {
        KibanaObjects kibana = KibanaObjects.read(SAVED_OBJECTS);

        assertThat(kibana.referencedFields()).containsExactly(
                "@timestamp", "kubernetes.pod.name", "log.level", "log.logger", "message", "service.name", "trace.id");
        assertThat(kibana.timeFields()).containsExactly("@timestamp");
        // sorted, bucketed or broken down by: these need doc values (keyword/date, never text)
        assertThat(kibana.aggregatedFields()).containsExactly("@timestamp", "log.level", "service.name");
        assertThat(kibana.referencedFieldsByObject().get("search:berth-logs-trace-across-services"))
                .containsExactly("@timestamp", "kubernetes.pod.name", "message", "service.name", "trace.id");
    }

    @Test
    void theShippedObjectsAreADataViewTwoSearchesAChartAndTheDashboardHoldingThem() {
        KibanaObjects kibana = KibanaObjects.read(SAVED_OBJECTS);

        assertThat(kibana.objects()).extracting(SavedObject::key).containsExactly(
                "index-pattern:berth-logs", "search:berth-logs-errors-by-service", "search:berth-logs-trace-across-services",
                "lens:berth-logs-by-service-and-level", "dashboard:berth-logs-dashboard");
        assertThat(kibana.objects()).filteredOn(o -> o.type().equals("index-pattern"))
                .singleElement().satisfies(dv -> assertThat(dv.attributes().path("title").asText()).isEqualTo("berth-logs-*"));
        assertThat(kibana.objects()).filteredOn(o -> o.type().equals("dashboard")).singleElement()
                .satisfies(d -> {
                    assertThat(d.title()).isEqualTo("Berth / Logs");
                    assertThat(d.references()).extracting(KibanaObjects.Reference::id).containsExactlyInAnyOrder(
                            "berth-logs-by-service-and-level", "berth-logs-errors-by-service", "berth-logs-trace-across-services");
                });
        assertThat(kibana.savedSearchQueries()).containsEntry("Errors by service", new SavedQuery("kuery", "log.level: ERROR"));
        assertThat(kibana.savedSearchQueries().get("Trace across services").query()).matches("trace\\.id: \"[0-9a-f]{32}\"");
        assertThat(kibana.unresolvedReferences()).isEmpty();
    }

    @Test
    void findsFieldsInQueriesFiltersVisualizationsAndDataViewAttributes() {
        KibanaObjects kibana = KibanaObjects.parse("""
                {"type":"index-pattern","id":"dv","attributes":{"title":"logs-*","timeFieldName":"ts","fieldAttrs":"{\\"labelled\\":{\\"customLabel\\":\\"L\\"}}","runtimeFieldMap":"{\\"computed\\":{\\"type\\":\\"keyword\\"}}"},"references":[]}
                {"type":"search","id":"s","attributes":{"title":"s","columns":["_source","computed"],"sort":["ts","desc"],"kibanaSavedObjectMeta":{"searchSourceJSON":"{\\"query\\":{\\"query\\":\\"url.full: \\\\\\"http://a:1/b\\\\\\" and http.status >= 500 or not k8s.ns:prod\\",\\"language\\":\\"kuery\\"},\\"filter\\":[{\\"meta\\":{\\"key\\":\\"pill\\",\\"type\\":\\"phrase\\"},\\"query\\":{\\"match_phrase\\":{\\"pill\\":\\"x\\"}}},{\\"meta\\":{\\"type\\":\\"exists\\"},\\"exists\\":{\\"field\\":\\"old.exists\\"}},{\\"meta\\":{},\\"range\\":{\\"old.range\\":{\\"gte\\":1}}},{\\"meta\\":{},\\"query\\":{\\"bool\\":{\\"should\\":[{\\"term\\":{\\"in.bool\\":\\"v\\"}}]}}}],\\"indexRefName\\":\\"kibanaSavedObjectMeta.searchSourceJSON.index\\"}"}},"references":[{"type":"index-pattern","id":"dv","name":"kibanaSavedObjectMeta.searchSourceJSON.index"}]}
                {"type":"search","id":"l","attributes":{"title":"l","columns":[],"kibanaSavedObjectMeta":{"searchSourceJSON":"{\\"query\\":{\\"query\\":\\"_exists_:lucene.exists AND level:(WARN OR ERROR)\\",\\"language\\":\\"lucene\\"},\\"filter\\":[]}"}},"references":[]}
                {"type":"visualization","id":"v","attributes":{"title":"v","visState":"{\\"aggs\\":[{\\"type\\":\\"count\\",\\"params\\":{}},{\\"type\\":\\"terms\\",\\"params\\":{\\"field\\":\\"legacy.terms\\"}}]}","kibanaSavedObjectMeta":{"searchSourceJSON":"{}"}},"references":[]}
                {"excludedObjects":[],"excludedObjectsCount":0,"exportedCount":4,"missingRefCount":0,"missingReferences":[]}
                """);

        assertThat(kibana.objects()).hasSize(4);
        // values (the quoted URL with its colons, WARN, ERROR, prod) are not fields; the runtime field is the data view's own
        assertThat(kibana.referencedFields()).containsExactly("http.status", "in.bool", "k8s.ns", "labelled", "legacy.terms",
                "level", "lucene.exists", "old.exists", "old.range", "pill", "ts", "url.full");
        assertThat(kibana.aggregatedFields()).containsExactly("legacy.terms", "ts");
        assertThat(kibana.unresolvedReferences()).isEmpty();
    }

    @Test
    void reportsReferencesThatResolveToNothing() {
        KibanaObjects kibana = KibanaObjects.parse("""
                {"type":"search","id":"s","attributes":{"title":"s","kibanaSavedObjectMeta":{"searchSourceJSON":"{\\"indexRefName\\":\\"kibanaSavedObjectMeta.searchSourceJSON.index\\"}"}},"references":[]}
                {"type":"dashboard","id":"d","attributes":{"title":"d","panelsJSON":"[{\\"type\\":\\"search\\",\\"panelIndex\\":\\"1\\",\\"panelRefName\\":\\"panel_1\\"},{\\"type\\":\\"search\\",\\"panelIndex\\":\\"2\\",\\"panelRefName\\":\\"panel_2\\"}]"},"references":[{"type":"search","id":"s","name":"1:panel_1"},{"type":"search","id":"gone","name":"3:panel_3"}]}
                """);

        assertThat(kibana.unresolvedReferences()).containsExactly(
                "search:s uses kibanaSavedObjectMeta.searchSourceJSON.index",
                "dashboard:d -> search:gone (3:panel_3)",
                "dashboard:d uses 2:panel_2");
    }

    @Test
    void rejectsALineThatIsNoSavedObject() {
        assertThatThrownBy(() -> KibanaObjects.parse("{\"id\":\"x\",\"attributes\":{}}\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type, id and attributes required");
        assertThatThrownBy(() -> KibanaObjects.parse("{not json\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }
}
