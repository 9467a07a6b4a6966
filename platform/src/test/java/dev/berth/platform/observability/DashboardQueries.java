package dev.berth.platform.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL behind every panel of the Grafana dashboards in {@code observability/grafana/dashboards}, with the
 * template variables replaced, ready for Prometheus's {@code /api/v1/query}.
 *
 * <p>Contract:
 * <ul>
 *   <li>One {@link PanelQuery} per target that has an {@code expr}, for every panel, panels nested in (collapsed) rows
 *       included: dashboards in file-name order, panels and targets in JSON order. Row panels have no queries.</li>
 *   <li>Variable references {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]} are replaced
 *       by the first of: the caller's value for {@code name}, used verbatim (the dashboards match variables with
 *       {@code =~}, so a regex such as {@code order-service|payment-service} is fine); Grafana's built-in value from
 *       {@link #BUILT_INS} ({@code $__rate_interval} = {@code 1m}, ...; the caller may override these too); the
 *       variable's "All" value ({@code allValue}) if it offers All. Otherwise {@link IllegalArgumentException} names
 *       the dashboard, panel and variable. {@code $1}-style references are PromQL's own and stay.</li>
 *   <li>Reads the files on every call; stateless and thread-safe.</li>
 * </ul>
 */
public final class DashboardQueries {

    /** One query of one panel: {@code expr} has its variables substituted. */
    public record PanelQuery(String dashboard, String panel, String refId, String expr) {
    }

    /** Grafana's global variables, with the values a one-hour dashboard over a 15 s scrape interval would get. */
    public static final Map<String, String> BUILT_INS = Map.of(
            "__rate_interval", "1m", "__rate_interval_ms", "60000",
            "__interval", "1m", "__interval_ms", "60000",
            "__range", "1h", "__range_s", "3600", "__range_ms", "3600000");

    private static final String DASHBOARDS = "observability/grafana/dashboards";
    private static final Pattern VARIABLE =
            Pattern.compile("\\$([A-Za-z_]\\w*)|\\$\\{([A-Za-z_]\\w*)(?::[^}]*)?}|\\[\\[([A-Za-z_]\\w*)(?::[^\\]]*)?]]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardQueries() {
    }

    /** Every query of the kit's dashboards (see {@link #dashboardsDirectory()}). */
    public static List<PanelQuery> read(Map<String, String> variables) {
        return read(dashboardsDirectory(), variables);
    }

    /** Every query of the {@code *.json} dashboards in {@code directory}. */
    public static List<PanelQuery> read(Path directory, Map<String, String> variables) {
        List<PanelQuery> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                queries.addAll(queriesOf(JSON.readTree(file.toFile()), variables));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboards in " + directory, e);
        }
        return queries;
    }

    /**
     * {@code observability/grafana/dashboards} of this checkout: below the {@code berth.root} system property when set
     * (the failsafe configuration sets it), else below the nearest directory up from the working directory that has
     * it (Maven runs the platform module's tests in {@code platform/}).
     */
    public static Path dashboardsDirectory() {
        String root = System.getProperty("berth.root");
        if (root != null) {
            return Path.of(root).resolve(DASHBOARDS).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DASHBOARDS))) {
                return dir.resolve(DASHBOARDS);
            }
        }
        throw new IllegalStateException(DASHBOARDS + " not found above " + Path.of("").toAbsolutePath());
    }

    private static List<PanelQuery> queriesOf(JsonNode dashboard, Map<String, String> given) {
        String title = dashboard.path("title").asText();
        Map<String, String> values = new HashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("includeAll").asBoolean() && v.hasNonNull("allValue")) {
                values.put(v.path("name").asText(), v.path("allValue").asText());
            }
        }
        values.putAll(BUILT_INS);
        values.putAll(given);
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            addQueries(title, panel, values, queries);
            for (JsonNode nested : panel.path("panels")) {
                addQueries(title, nested, values, queries);
            }
        }
        return queries;
    }

    private static void addQueries(String dashboard, JsonNode panel, Map<String, String> values, List<PanelQuery> into) {
        String title = panel.path("title").asText();
        for (JsonNode target : panel.path("targets")) {
            if (target.hasNonNull("expr")) {
                String expr = substitute(target.path("expr").asText(), values,
                        dashboard + " / " + title + " / " + target.path("refId").asText());
                into.add(new PanelQuery(dashboard, title, target.path("refId").asText(), expr));
            }
        }
    }

    private static String substitute(String expr, Map<String, String> values, String where) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException(where + ": no value for $" + name + " (pass it, or give the variable an allValue)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
