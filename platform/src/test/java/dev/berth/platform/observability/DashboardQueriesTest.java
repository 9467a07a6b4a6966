package dev.berth.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.observability.DashboardQueries.PanelQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardQueriesTest {

    static final Map<String, String> ORDER_SERVICE =
            Map.of("namespace", "default", "service", "order-service", "replica", "order-service-.*", "currency", "EUR");

    @Test
    void everyPanelOfEveryDashboardHasAQueryWithEveryVariableSubstituted() throws IOException {
        List<PanelQuery> queries = DashboardQueries.read(ORDER_SERVICE);

        assertThat(queries).extracting(PanelQuery::dashboard).containsOnly(
                "Berth / Business", "Berth / JVM", "Berth / Platform core", "Berth / Services RED");
        // counted from the JSON independently of the reader: every panel but a row needs a query; unique titles keep
        // a failing query's name unambiguous
        assertThat(panelsOfTheDashboards()).isNotEmpty().doesNotHaveDuplicates().allSatisfy(panel ->
                assertThat(queries).as("queries of %s", panel).anyMatch(q -> (q.dashboard() + " / " + q.panel()).equals(panel)));
        assertThat(queries).allSatisfy(q -> {
            assertThat(q.expr()).as("%s / %s / %s", q.dashboard(), q.panel(), q.refId()).doesNotContain("$").isNotBlank();
            assertThat(q.refId()).isNotBlank();
        });
    }

    @Test
    void substitutesTheGivenValuesAndGrafanasBuiltIns() {
        List<PanelQuery> queries = DashboardQueries.read(ORDER_SERVICE);

        assertThat(query(queries, "Berth / JVM", "Allocation rate", "A").expr()).isEqualTo(
                "sum by (service, replica) (rate(jvm_gc_memory_allocated_bytes_total{namespace=~\"default\", "
                        + "service=~\"order-service\", replica=~\"order-service-.*\"}[1m]))");
        assertThat(query(queries, "Berth / Business", "Orders in range", "A").expr())
                .isEqualTo("sum by (status) (increase(orders_created_total{namespace=~\"default\"}[1h]))");
        // the log shipper's panels sit in a collapsed row
        assertThat(query(queries, "Berth / Platform core", "Shipping lag", "A").expr()).isEqualTo("sum(berth_logs_lag_bytes)");
    }

    @Test
    void variablesNotGivenTakeTheirAllValueAndBuiltInsCanBeOverridden() {
        List<PanelQuery> queries = DashboardQueries.read(Map.of("__rate_interval", "5m"));

        assertThat(query(queries, "Berth / JVM", "Allocation rate", "A").expr()).isEqualTo(
                "sum by (service, replica) (rate(jvm_gc_memory_allocated_bytes_total{namespace=~\".+\", "
                        + "service=~\".+\", replica=~\".+\"}[5m]))");
    }

    @Test
    void readsEveryVariableSyntaxAndNestedPanelsAndRefusesAVariableWithoutAValue(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.json"), """
                {"title": "A", "templating": {"list": [
                   {"name": "ns", "type": "query", "includeAll": true, "allValue": ".+"},
                   {"name": "pod", "type": "query", "includeAll": false}]},
                 "panels": [
                   {"type": "row", "title": "folded", "collapsed": true, "panels": [
                      {"type": "stat", "title": "inner", "targets": [
                         {"refId": "A", "expr": "up{a=~\\"$ns\\", b=~\\"${ns}\\", c=~\\"${ns:regex}\\", d=~\\"[[ns]]\\"}[$__range]"},
                         {"refId": "B", "expr": "label_replace(up, \\"x\\", \\"$1\\", \\"job\\", \\"(.*)\\")"}]}]},
                   {"type": "timeseries", "title": "outer", "targets": [{"refId": "A", "expr": "up{pod=~\\"$pod\\"}"}]}]}
                """);
        Files.writeString(dir.resolve("not-a-dashboard.txt"), "{");

        assertThat(DashboardQueries.read(dir, Map.of("pod", "p-1"))).containsExactly(
                new PanelQuery("A", "inner", "A", "up{a=~\".+\", b=~\".+\", c=~\".+\", d=~\".+\"}[1h]"),
                new PanelQuery("A", "inner", "B", "label_replace(up, \"x\", \"$1\", \"job\", \"(.*)\")"),
                new PanelQuery("A", "outer", "A", "up{pod=~\"p-1\"}"));
        assertThatThrownBy(() -> DashboardQueries.read(dir, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A / outer / A: no value for $pod (pass it, or give the variable an allValue)");
    }

    private static PanelQuery query(List<PanelQuery> queries, String dashboard, String panel, String refId) {
        return queries.stream().filter(q -> q.dashboard().equals(dashboard) && q.panel().equals(panel) && q.refId().equals(refId))
                .findFirst().orElseThrow(() -> new AssertionError("no query " + dashboard + " / " + panel + " / " + refId));
    }

    /** "dashboard title / panel title" of every non-row panel, nested ones included. */
    private static List<String> panelsOfTheDashboards() throws IOException {
        List<String> panels = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(DashboardQueries.dashboardsDirectory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode d = json.readTree(file.toFile());
                for (JsonNode p : d.path("panels")) {
                    Stream.concat(Stream.of(p), StreamSupport.stream(p.path("panels").spliterator(), false))
                            .filter(x -> !x.path("type").asText().equals("row"))
                            .forEach(x -> panels.add(d.path("title").asText() + " / " + x.path("title").asText()));
                }
            }
        }
        return panels;
    }
}
